import type { TranscriptBlock } from '../session/transcript-fold.js';
import { plainText, rowTextsOf } from './format.js';

type OutputBlock = Extract<TranscriptBlock, { kind: 'output' }>;

/**
 * Rows of a running command's screen that are in the terminal's scrollback already: the terminal
 * wrapped the frame they were drawn in again at a narrower width, and pushed them off the top. As
 * they leave the command's screen later, the transcript would print them a second time; they are
 * left out instead, as long as they come as they were drawn. A line longer than the screen was
 * wide took several of its rows: left out when all of them are in the scrollback, and printed from
 * the first that is not when only its first ones are. A line that differs ends this (the command
 * drew over them since): from there on, every line is printed, so that none is lost.
 */
export class RunRowsInScrollback {
  readonly #runId: string;
  /** The last block of the transcript when the rows went: lines after it are those to look at. */
  readonly #afterBlock: number;
  /** Lines of the run still to come before the first of {@link #rows} (the screen's rows above them). */
  #before: number;
  /** The rows, as text without styles or trailing blanks, in the order they leave the screen. */
  #rows: string[];
  /** How wide the command's screen was: a longer line took a row for each width of it. */
  readonly #columns: number;
  /** Whether a line of the run came yet (the screen may have begun in the middle of the first). */
  #lineCame = false;
  /** Whether the rows were taken back above the frame (see {@link takenBackAboveFrame}). */
  #takenBack = false;

  /**
   * @param runId the command whose screen the rows are of
   * @param afterBlock the last block of the transcript when they went
   * @param screen the command's screen then, its rows as the frame drew them
   * @param pushed the frame's lines the terminal pushed into its scrollback, from its top
   * @param columns how wide the command's screen was then
   * @param after the frame's lines under those pushed: where they are on the screen says where
   *   the pushed ones were (a row alone, an empty one say, reads as many others do)
   */
  constructor(
    runId: string,
    afterBlock: number,
    screen: readonly string[],
    pushed: string[],
    columns: number,
    after: readonly string[] = [],
  ) {
    this.#runId = runId;
    this.#columns = columns;
    this.#afterBlock = afterBlock;
    const rows = screen.map(plainText);
    // A line of the frame drawn across rows the command's terminal wrapped is one line of them.
    pushed = pushed.flatMap((line) => rowTextsOf(line, columns));
    // The frame showed the screen's lowest rows, as they were when it was drawn: the screen may
    // have scrolled since (its first lines pushed are in the transcript then, and printed once).
    // Where the first of the others is on the screen, and how many of the lines pushed are the
    // screen's (those after are the frame's own).
    const drawn = [...pushed, ...after.flatMap((line) => rowTextsOf(line, columns))];
    const { from, first, matched } = longestRunOnScreen(rows, drawn);
    this.#before = Math.max(0, first);
    this.#rows = pushed.slice(from, from + matched);
    // Before the first that is still on the screen (all of them when none is).
    this.leftScreen = pushed.slice(0, from);
  }

  /**
   * The rows pushed that had left the command's screen since the frame was drawn: in the
   * transcript already, and waiting to be printed above the next frame (see {@link withoutLines}).
   */
  readonly leftScreen: string[];

  /** The rows still to be left out as they leave the screen of run `runId` (none for another run). */
  rowsLeftOf(runId: string): readonly string[] {
    return runId === this.#runId ? this.#rows : [];
  }

  /**
   * The terminal, made taller, took the rows back out of its scrollback, above the frame, where
   * they are drawn again: returns them (none for another run than `runId`). The command's screen,
   * made lower and taller again too, may have let the first of them go without handing them out.
   */
  takenBackAboveFrame(runId: string): readonly string[] {
    if (runId !== this.#runId) return [];
    this.#takenBack = true;
    return this.#rows;
  }

  /** Whether no line is left out any more. */
  get done(): boolean {
    return this.#rows.length === 0;
  }

  /** `blocks` without the run's lines that are in the scrollback already. */
  filter(blocks: readonly TranscriptBlock[]): TranscriptBlock[] {
    return blocks.map((block) => {
      if (this.done || block.id <= this.#afterBlock) return block;
      if (block.kind !== 'output' || block.runId !== this.#runId) {
        // The run ended, or something else came: what is left will not come as drawn.
        if (block.kind !== 'output') this.#rows = [];
        return block;
      }
      return this.#outputFilter(block);
    });
  }

  #outputFilter(block: OutputBlock): OutputBlock {
    // Lines not kept are not printed: they count as they come.
    for (let hidden = 0; hidden < block.hidden && !this.done; hidden += 1) this.#pass();
    const kept = block.lines.map((line) => this.#unpushed(line));
    if (kept.every((line, index) => line === block.lines[index])) return block;
    return { ...block, lines: kept.filter((line) => line !== undefined) };
  }

  /** What of `line` is still to be printed: all of it, its rows after those pushed, or none. */
  #unpushed(line: string): string | undefined {
    if (this.done) return line;
    const plain = plainText(line);
    const rows = rowTextsOf(plain, this.#columns);
    const first = !this.#lineCame;
    this.#lineCame = true;
    let row = 0;
    for (; row < rows.length && this.#before > 0; row += 1) this.#before -= 1;
    if (first && row === 0 && rows[0] !== this.#rows[0]) {
      // The screen began with the last rows of this line (its first ones had left it).
      row = Math.max(0, rows.indexOf(this.#rows[0] ?? '', 1));
      // Or, the rows taken back above the frame, further down them: those before left the
      // command's screen (made lower and taller again) without coming as lines, and are not awaited.
      const later = row === 0 && this.#takenBack ? this.#rows.indexOf(rows[0] ?? '', 1) : -1;
      if (later > 0) this.#rows.splice(0, later);
    }
    // Its first rows were above those the frame showed: it is printed whole (its last rows are in
    // the scrollback as well then), so that none of it is lost.
    if (row > 0) {
      if (row < rows.length) this.#leaveOut(rows.slice(row));
      return line;
    }
    const pushed = this.#leaveOut(rows);
    if (pushed === rows.length) return undefined;
    // Its first rows only are in the scrollback: the rest of it, where its styles allow a cut.
    return pushed > 0 && plain === line && /^[\x20-\x7e]*$/.test(line)
      ? line.slice(pushed * this.#columns)
      : line;
  }

  /** Leaves out as many of `rows` as are the next pushed, in order; how many that was. */
  #leaveOut(rows: string[]): number {
    let count = 0;
    while (count < rows.length && !this.done && this.#rows[0] === rows[count]) {
      this.#rows.shift();
      count += 1;
    }
    // A row other than the one drawn: the command drew over them since.
    if (count < rows.length && !this.done) this.#rows = [];
    return count;
  }

  /** A line of the run passes without being looked at. */
  #pass(): void {
    if (this.#before > 0) this.#before -= 1;
    else this.#rows.shift();
  }
}

/**
 * Where the rows `pushed` are on the screen `rows`: from the row of them at `from` (those before
 * left the screen), `matched` of them read as the screen's rows from its row `first` (-1, and none
 * matched, when none is on it). Of the places a row is on the screen, the one the most rows follow
 * as pushed is taken, the first row found in a tie: a row that reads as others do (an empty one,
 * between lines of output) is found where it is, not where the first row like it is.
 */
function longestRunOnScreen(
  rows: readonly string[],
  pushed: readonly string[],
): { from: number; first: number; matched: number } {
  let best = { from: pushed.length, first: -1, matched: 0 };
  for (let from = 0; from < pushed.length; from += 1) {
    // A row that left the screen went before every one that did not: none better comes later.
    if (best.matched >= pushed.length - from) break;
    for (let first = 0; first < rows.length; first += 1) {
      let matched = 0;
      while (
        from + matched < pushed.length &&
        first + matched < rows.length &&
        rows[first + matched] === pushed[from + matched]
      )
        matched += 1;
      if (matched > best.matched) best = { from, first, matched };
    }
  }
  return best;
}

/**
 * `text` (lines ending in a line end) without the first run of whole lines whose rows, on a
 * screen `columns` wide, read `rows` (compared without styles or trailing blanks); `text` itself
 * when it holds no such run.
 */
export function withoutLines(text: string, rows: readonly string[], columns: number): string {
  if (rows.length === 0) return text;
  const held = text.split('\n');
  const heldRows = held.map((line) => rowTextsOf(line, columns));
  for (let start = 0; start < held.length; start += 1) {
    let matched = 0;
    let end = start;
    while (matched < rows.length && end < held.length) {
      const lineRows = heldRows[end] ?? [];
      if (!lineRows.every((row, offset) => rows[matched + offset] === row)) break;
      matched += lineRows.length;
      end += 1;
    }
    if (matched === rows.length) {
      held.splice(start, end - start);
      return held.join('\n');
    }
  }
  return text;
}
