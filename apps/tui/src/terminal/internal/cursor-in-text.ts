// Where the cursor is in the text a screen holds, whatever width wraps it: terminals that wrap
// their lines again at a new width (tmux, kitty, GNOME Terminal) keep the cursor on the character
// it was on, and a shell redrawing its line on SIGWINCH counts on that. The emulator Lifeline runs
// moves the cursor down by every row the new width adds, those under it too: the cursor is put
// back on its character from this.

/** Rows of a screen, scrollback first: each says whether it continues the row above (wrapped). */
export interface WrappedRows {
  readonly length: number;
  getLine(row: number): { readonly isWrapped: boolean } | undefined;
}

/** The cursor's place in the text: its line (wrapped rows joined, from the first) and cells into it. */
export interface CursorInText {
  line: number;
  cells: number;
}

/** Where the cursor at `row` (from the first row, scrollback's included) and `column` is in the text. */
export function cursorInText(
  rows: WrappedRows,
  row: number,
  column: number,
  columns: number,
): CursorInText {
  let lineStart = row;
  while (lineStart > 0 && rows.getLine(lineStart)?.isWrapped === true) lineStart -= 1;
  let line = 0;
  for (let above = 0; above < lineStart; above += 1)
    if (rows.getLine(above)?.isWrapped !== true) line += 1;
  return { line, cells: (row - lineStart) * columns + column };
}

/**
 * The row and column `place` is at in `rows` wrapped at `columns`; undefined when its line is not
 * there (rows left the top) or is shorter than the rows the place needs (then the emulator's own
 * placing stands).
 */
export function cursorAt(
  rows: WrappedRows,
  place: CursorInText,
  columns: number,
): { row: number; column: number } | undefined {
  let line = -1;
  for (let row = 0; row < rows.length; row += 1) {
    if (rows.getLine(row)?.isWrapped !== true) line += 1;
    if (line < place.line) continue;
    const target = row + Math.floor(place.cells / columns);
    for (let wrapped = row + 1; wrapped <= target; wrapped += 1)
      if (rows.getLine(wrapped)?.isWrapped !== true) return undefined;
    return { row: target, column: place.cells % columns };
  }
  return undefined;
}
