import { rowsOf } from './format.js';

/**
 * The cursor moves the TUI writes, a style or a mode between them, the cursor saved and restored
 * (`ESC 7`, `ESC 8`), and a line end.
 */
const moves = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b([78])|\n/g;

/**
 * How many rows lie under the terminal's cursor, followed from what the TUI writes: a frame that
 * shrinks (the renderer erases its rows bottom up and draws fewer) leaves the rows it took empty
 * under the cursor, until lines printed after it fill them again. A full screen whose cursor is not
 * on its last row is one the terminal wraps again around that row, not its bottom. Until the TUI
 * has written a screen's worth of rows it cannot know, and counts the cursor as on the first row.
 */
export class RowsUnderCursor {
  #below: number | undefined;
  #wraps = true;
  /** Rows under the cursor where it was last saved (`ESC 7`). */
  #saved: number | undefined;
  /** See {@link known}. */
  #known = false;
  /** The terminal's size at the last write. */
  #columns: number | undefined;
  #rows: number | undefined;

  /** Rows under the cursor's (0 when it is on the last row). */
  get count(): number {
    return this.#below ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Whether {@link count} is exact, not a guess, on a terminal `columns` × `rows` now: the cursor
   * was on the last row, or put on a row by number, and moved only by what the TUI wrote since at
   * this size. A terminal that changed its size with rows under the cursor may have taken some of
   * them, or added more (wrapping its lines again at a new width moves the cursor down or up). On
   * the last row, it counts as there: the rows above it are at most the screen's less one, whatever
   * the terminal did.
   */
  knownAt(columns: number, rows: number): boolean {
    if (!this.#known) return false;
    return this.#below === 0 || (columns === this.#columns && rows === this.#rows);
  }

  /** `text` went to a terminal `columns` wide and `rows` high. */
  wrote(text: string, columns: number, rows: number): void {
    if (!this.knownAt(columns, rows)) this.#known = false;
    this.#columns = columns;
    this.#rows = rows;
    let below = Math.min(this.#below ?? rows - 1, rows - 1);
    let from = 0;
    // Text of the current row since the last move: with wrapping on, it takes rows of its own
    // (counted only while there are rows under the cursor for it to take: a burst of thousands of
    // lines is measured only until the cursor reaches the last row).
    const textRowsTo = (end: number) => {
      if (this.#wraps && below > 0)
        below = Math.max(0, below - (rowsOf(text.slice(from, end), columns) - 1));
      if (below === 0) this.#known = true;
    };
    for (const move of text.matchAll(moves)) {
      const at = move.index;
      if (move[0] === '\n') {
        textRowsTo(at);
        below = Math.max(0, below - 1);
        if (below === 0) this.#known = true;
        from = at + 1;
        continue;
      }
      if (move[3] !== undefined) {
        textRowsTo(at);
        if (move[3] === '7') this.#saved = below;
        else below = Math.min(this.#saved ?? below, rows - 1);
        from = at + move[0].length;
        continue;
      }
      const [, parameters = '', final] = move;
      if (parameters === '?7' && (final === 'h' || final === 'l')) {
        textRowsTo(at);
        this.#wraps = final === 'h';
        from = at + move[0].length;
      } else if (final === 'A' || final === 'B' || final === 'H') {
        textRowsTo(at);
        const count = Math.max(1, Number.parseInt(parameters, 10) || 1);
        if (final === 'A') below = Math.min(rows - 1, below + count);
        else if (final === 'B') below = Math.max(0, below - count);
        else {
          below = rows - Math.min(rows, count);
          this.#known = true;
        }
        from = at + move[0].length;
      }
    }
    textRowsTo(text.length);
    this.#below = below;
  }
}
