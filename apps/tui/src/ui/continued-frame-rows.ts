import { autowrapOff, autowrapOn } from '../terminal-sequences.js';
import { columnsOf, plainText, rowTextsOf } from './format.js';
import { rendererErase } from './frame-hold.js';

/**
 * The lines of the frame that go on on the next line: rows of a running command's screen where
 * its terminal wrapped a line, as the frame's view last laid them out (their indexes from the
 * frame's first line). See {@link joinContinuedRows}.
 */
export class ContinuedFrameRows {
  rows: ReadonlySet<number> = new Set();
}

/**
 * A frame as the renderer writes it (its erase, then lines each ending in a line end), with each
 * line in `rows` joined to the next as the terminal wraps a line: its line end left out and the
 * terminal's wrapping on across them, so that the terminal holds them as one line, as the
 * program's terminal did. A narrower width wraps them again as one line, and rows of it pushed into
 * the scrollback join there, rather than staying apart as lines of their own. Only a line that
 * fills the terminal's `columns` is joined (or leaves its last column to a wide character that
 * starts the next): drawn so, the next line starts on the row under it as before.
 */
export function joinContinuedRows(
  text: string,
  rows: ReadonlySet<number>,
  columns: number,
): string {
  if (rows.size === 0) return text;
  const erase = rendererErase.exec(text)?.[0] ?? '';
  const lines = text.slice(erase.length).split('\n');
  // The text after the last line end is not a line of the frame.
  const frameLines = lines.length - 1;
  const joined: string[] = [];
  let group: string | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const goesOn =
      index + 1 < frameLines && rows.has(index) && fillsRow(line, lines[index + 1] ?? '', columns);
    if (group === undefined && !goesOn) joined.push(line);
    else if (group === undefined) group = `${autowrapOn}${line}`;
    else if (goesOn) group += line;
    else {
      joined.push(`${group}${line}${autowrapOff}`);
      group = undefined;
    }
  }
  return erase + joined.join('\n');
}

/** Whether `line` ends where the terminal wraps onto the next row, ahead of `next`. */
function fillsRow(line: string, next: string, columns: number): boolean {
  const width = columnsOf(line);
  if (width === columns) return true;
  // A column short: only when the next row's first character did not fit in it.
  return width === columns - 1 && rowTextsOf(line + next, columns)[0] === plainText(line);
}
