import { columnsOf, rowsTaken } from './format.js';

/**
 * The frame the renderer last drew under the transcript, followed from what it writes to the
 * terminal: how many columns each of its lines takes. The renderer writes a frame in one piece,
 * its lines each ending in a line end (the cursor then rests on the row under them), and draws the
 * frame again after anything written through it, so the last write that ends a line is the frame.
 *
 * When the terminal gets narrower, it wraps the frame's lines again (as it does every line it
 * holds), so the frame takes more rows, and the renderer, which erases the lines it drew, leaves
 * the rows of the difference behind. Read before the renderer draws at the new width, the frame
 * says where the transcript ends on the screen (see {@link FrameAtResize}).
 */
export class DrawnFrame {
  #lineColumns: number[] = [];
  #atResize: number[] | undefined;

  /** Text the renderer wrote to the terminal. */
  wrote(data: string): void {
    if (!data.includes('\n')) return;
    const lines = data.split('\n');
    // After the last line end: the row the cursor rests on, and escape sequences at most.
    lines.pop();
    this.#lineColumns = lines.map((line) => columnsOf(line));
  }

  /**
   * The terminal has a new size (called before the renderer draws at it): the frame on the
   * screen is the one drawn before, as the terminal wrapped it again.
   */
  terminalResized(): void {
    this.#atResize = this.#lineColumns;
  }

  /**
   * The frame as the terminal last changed its size and as the renderer has drawn it since, at
   * `columns`; undefined when no frame was drawn before the change.
   */
  takeResize(columns: number): FrameAtResize | undefined {
    const before = this.#atResize;
    this.#atResize = undefined;
    if (!before || before.length === 0) return undefined;
    return {
      lines: before.length,
      rewrappedRows: before.reduce(
        (rows, lineColumns) => rows + rowsTaken(lineColumns, columns),
        0,
      ),
      linesNow: this.#lineColumns.length,
    };
  }
}

/**
 * The frame when the terminal changed its size, and after. On a screen the transcript filled, the
 * terminal keeps its last rows in view as it wraps the lines again (the rest scroll into or back
 * out of its scrollback); the renderer erases `lines` of the `rewrappedRows` the old frame takes
 * then, bottom up, and draws `linesNow` from there, scrolling the screen if they are more.
 */
export interface FrameAtResize {
  /** Lines of the frame drawn before the change. */
  lines: number;
  /** Rows those lines take at the new width. */
  rewrappedRows: number;
  /** Lines of the frame drawn at the new size. */
  linesNow: number;
}

/**
 * Rows the transcript keeps at the top of a screen `rows` high that it filled, once the terminal
 * has changed its width and the renderer has drawn its frame again: the rest are under it (the old
 * frame as wrapped again, what the renderer left of it, the new frame, and the row the cursor
 * rests on).
 */
export function transcriptRowsAfterResize(rows: number, frame: FrameAtResize): number {
  const cursorRow = 1;
  const scrolledByNewFrame = Math.max(0, frame.linesNow - frame.lines);
  return Math.max(0, rows - frame.rewrappedRows - cursorRow - scrolledByNewFrame);
}
