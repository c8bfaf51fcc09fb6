import { columnsOf } from './format.js';

/**
 * The rows at the top of a running command's screen that the frame, as last laid out, does not
 * show: Lifeline's header and command line take rows from the top of that screen while they are
 * open. None of them has left that screen for the transcript, so the terminal has them only where
 * a frame shows them. As the TUI leaves, its last frame stays on the terminal: these rows are
 * printed above it (see {@link runRowsAboveFrameText}), where the transcript would have printed
 * them as they left the screen.
 */
export class RunRowsAboveFrame {
  /** The rows, styled, from the screen's first. */
  rows: readonly string[] = [];
  /** For each row: whether its line goes on on the next (the program's terminal wrapped it there). */
  continued: readonly boolean[] = [];
}

/**
 * The rows of `above` as lines of text on a terminal `columns` wide, each ending in a line end: a
 * row its terminal wrapped is joined to the next, filled out to the width, so that the terminal
 * holds the line as one, as it holds the lines the transcript prints.
 */
export function runRowsAboveFrameText(above: RunRowsAboveFrame, columns: number): string {
  let text = '';
  above.rows.forEach((row, index) => {
    const goesOn = above.continued[index] === true && index + 1 < above.rows.length;
    text += goesOn ? row + ' '.repeat(Math.max(0, columns - columnsOf(row))) : `${row}\n`;
  });
  return text;
}
