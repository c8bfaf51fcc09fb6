import type { LiveRun } from '../session/transcript-fold.js';
import { resetAttributes } from '../terminal-sequences.js';
import { columnsOf, styleAt } from './format.js';

/** A running command's screen as the frame shows it: its rows, which go on, and its cursor. */
export interface ScreenView {
  rows: readonly string[];
  continued: readonly boolean[];
  cursor: LiveRun['cursor'];
}

/** The screen of `run` as its terminal has it. */
export function screenAsIs(run: LiveRun): ScreenView {
  return { rows: run.screen, continued: run.screenContinued ?? [], cursor: run.cursor };
}

/**
 * The screen of `run` as the frame shows it on a terminal `columns` wide. Its rows are the
 * program's terminal's, as wide as it: for a moment after the terminal got narrower, before that
 * screen takes the new width, they are wider. Cut to the width, they would leave on the terminal
 * rows that are no line's (a further change of width pushes them into the scrollback as they are);
 * its lines are wrapped at the width instead, as the screen will wrap them, the rows of each going
 * on on the next, and the cursor kept on its character.
 */
export function screenAtWidth(run: LiveRun, columns: number): ScreenView {
  const view = screenAsIs(run);
  // Measured only where it may be wider: a character takes two columns at most (every frame of a
  // command that streams asks this).
  const fits = (row: string) => row.length * 2 <= columns || columnsOf(row) <= columns;
  if (columns < 1 || run.screen.every(fits)) return view;
  const rows: string[] = [];
  const continued: boolean[] = [];
  let cursor: LiveRun['cursor'];
  let line: { text: string; cursorAt: number | undefined } = { text: '', cursorAt: undefined };
  const endLine = () => {
    const wrapped = styledRowsOf(line.text, columns, line.cursorAt);
    if (wrapped.cursor)
      cursor = { row: rows.length + wrapped.cursor.row, column: wrapped.cursor.column };
    wrapped.rows.forEach((row, index) => {
      rows.push(row);
      continued.push(index + 1 < wrapped.rows.length);
    });
    line = { text: '', cursorAt: undefined };
  };
  // A row its terminal wrapped filled that terminal's width: its blanks at the end were trimmed.
  const screenColumns = Math.max(
    0,
    ...run.screen.map((row, index) => (run.screenContinued?.[index] === true ? columnsOf(row) : 0)),
  );
  run.screen.forEach((row, index) => {
    if (run.cursor?.row === index) line.cursorAt = columnsOf(line.text) + run.cursor.column;
    const goesOn = run.screenContinued?.[index] === true;
    line.text += goesOn ? row + ' '.repeat(Math.max(0, screenColumns - columnsOf(row))) : row;
    if (!goesOn || index + 1 === run.screen.length) endLine();
  });
  return { rows, continued, cursor };
}

/**
 * `line` (text with SGR styles) in rows of `columns` at most: a character that does not fit in
 * what is left of a row starts the next; a row cut in styles ends in the default style, and the
 * next starts in those styles. `cursorAt`: a column of the line, whose row and column it says.
 */
function styledRowsOf(
  line: string,
  columns: number,
  cursorAt: number | undefined,
): { rows: string[]; cursor: { row: number; column: number } | undefined } {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  let styles = '';
  let column = 0;
  let cursor: { row: number; column: number } | undefined;
  for (let index = 0; index < line.length;) {
    const style = styleAt(line, index);
    if (style) {
      row += style;
      styles = style === '\x1b[0m' || style === '\x1b[m' ? '' : styles + style;
      index += style.length;
      continue;
    }
    const character = String.fromCodePoint(line.codePointAt(index) ?? 0);
    const width = columnsOf(character);
    if (used + width > columns && used > 0) {
      rows.push(styles === '' ? row : `${row}${resetAttributes}`);
      row = styles;
      used = 0;
    }
    if (cursorAt === column) cursor = { row: rows.length, column: used };
    row += character;
    used += width;
    column += width;
    index += character.length;
  }
  // The cursor after the last character: on the row's end, or the next row's start once full.
  if (cursorAt !== undefined && cursor === undefined) {
    const past = cursorAt - column;
    if (used + past >= columns && used > 0) {
      rows.push(row);
      row = '';
      used = 0;
    }
    cursor = { row: rows.length, column: Math.min(columns - 1, used + past) };
  }
  rows.push(row);
  return { rows, cursor };
}
