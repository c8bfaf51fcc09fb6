import { autowrapOn } from '../terminal-sequences.js';
import { rendererErase } from './frame-hold.js';
import { rowsOf } from './format.js';

/** Code units of text kept: more than the rows of any screen hold, in most cases (twice this at most). */
const keptLength = 256 * 1024;

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
  /** The last of the text written, from a line's start; looked at only when asked. */
  #text = '';

  /** The renderer wrote `text` as the transcript's (its erase of the frame first, if any). */
  wrote(text: string): void {
    let rest = text.slice(rendererErase.exec(text)?.[0].length ?? 0);
    if (rest.startsWith(autowrapOn)) rest = rest.slice(autowrapOn.length);
    this.#text += rest;
    if (this.#text.length <= 2 * keptLength) return;
    // Cut where a line starts: what came before it is no longer known.
    const cut = this.#text.indexOf('\n', this.#text.length - keptLength);
    this.#text = cut === -1 ? '' : this.#text.slice(cut + 1);
  }

  /**
   * On a screen `columns` wide whose last `rows` rows above the frame are the transcript's: how
   * many of them, from the top, are the last rows of a line whose first rows are above the screen
   * (0 when a line starts on the top row); undefined when the lines kept do not reach the top, or
   * the last is not ended.
   */
  rowsOfLineCutAtTop(columns: number, rows: number): number | undefined {
    let after = 0;
    for (const match of this.#text.matchAll(cursorControl))
      if (!wrappingSwitch.test(match[0])) after = match.index + match[0].length;
    const text = this.#text.slice(after);
    if (!text.endsWith('\n')) return undefined;
    const lines = text.split('\n');
    lines.pop();
    let used = 0;
    for (let index = lines.length - 1; index >= 0 && rows > 0; index -= 1) {
      const taken = rowsOf(lines[index] ?? '', columns);
      if (used + taken >= rows) return used + taken === rows ? 0 : rows - used;
      used += taken;
    }
    return undefined;
  }
}
