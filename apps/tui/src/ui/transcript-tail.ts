import { autowrapOn } from '../terminal-sequences.js';
import { rendererErase } from './frame-hold.js';
import { rowsOf } from './format.js';

/** Code units of lines kept at most: more than the rows of any screen hold, in most cases. */
const maxKeptLength = 256 * 1024;

/**
 * A sequence that moves the cursor or erases (anything but a style, or the line wrapping switched
 * on or off): the text written after it is not under what was written before.
 */
const cursorControl = /\x1b(?:\[[0-9;?]*[@-ln-~]|[^[])/g;
const wrappingSwitch = /^\x1b\[\?7[hl]$/;

/**
 * The last lines of the transcript's text as written to the terminal (above the frame, one after
 * another), to tell where on the screen the line its top row belongs to starts once the terminal
 * wraps them again. Text that moves the cursor (a redraw in place, a clear) starts the lines
 * afresh: what is above it is not known.
 */
export class TranscriptTail {
  #lines: string[] = [];
  #partial = '';
  #length = 0;

  /** The renderer wrote `text` as the transcript's (its erase of the frame first, if any). */
  wrote(text: string): void {
    let rest = text.slice(rendererErase.exec(text)?.[0].length ?? 0);
    if (rest.startsWith(autowrapOn)) rest = rest.slice(autowrapOn.length);
    let after = -1;
    for (const match of rest.matchAll(cursorControl))
      if (!wrappingSwitch.test(match[0])) after = match.index + match[0].length;
    if (after !== -1) {
      this.#lines = [];
      this.#partial = '';
      this.#length = 0;
      rest = rest.slice(after);
    }
    const pieces = (this.#partial + rest).split('\n');
    this.#partial = pieces.pop() ?? '';
    for (const line of pieces) {
      this.#lines.push(line);
      this.#length += line.length;
    }
    while (this.#length > maxKeptLength && this.#lines.length > 0)
      this.#length -= this.#lines.shift()?.length ?? 0;
  }

  /**
   * On a screen `columns` wide whose last `rows` rows above the frame are the transcript's: how
   * many of them, from the top, are the last rows of a line whose first rows are above the screen
   * (0 when a line starts on the top row); undefined when the lines kept do not reach the top.
   */
  rowsOfLineCutAtTop(columns: number, rows: number): number | undefined {
    if (this.#partial !== '') return undefined;
    let used = 0;
    for (let index = this.#lines.length - 1; index >= 0 && rows > 0; index -= 1) {
      const taken = rowsOf(this.#lines[index] ?? '', columns);
      if (used + taken >= rows) return used + taken === rows ? 0 : rows - used;
      used += taken;
    }
    return undefined;
  }
}
