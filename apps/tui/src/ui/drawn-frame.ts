import { FrameHold, rendererErase } from './frame-hold.js';
import { plainText, rowsOf, rowTextsOf } from './format.js';
import {
  screenAfterLateWrites,
  type LateWritesScreen,
  type WriteSeen,
} from './late-writes-screen.js';
import { RowsUnderCursor } from './rows-under-cursor.js';
import { controlSequence, rowsErased } from '../terminal-sequences.js';
import { TranscriptTail } from './transcript-tail.js';

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
  /**
   * The frame's lines as written (escape sequences and all): measured only when the size changes.
   * A line that goes on on the next row (see `joinContinuedRows`) is one line of several rows.
   */
  #lines: string[] | undefined;
  /** How wide the terminal was as the frame was written. */
  #columns = 0;
  /**
   * The frame's lines when the terminal changed its size, the rows they took, and whether the
   * cursor was on its last row.
   */
  #atResize:
    | {
        lines: string[] | undefined;
        rows: number;
        cursorOnLastRow: boolean;
        rowsScrolledOff: number;
        transcriptRowsScrolledOff: number;
      }
    | undefined;
  /** The writes since the last change of size (the last {@link writesKept}). */
  #seen: WriteSeen[] = [];
  /** How many of those went out before the terminal was last asked where its cursor is. */
  #seenBeforeQuestion = 0;
  /**
   * The screen as the terminal has it, having read writes of the TUI's after it changed its size
   * (see {@link LateWritesScreen}): followed until the frame is taken ({@link takeResize}).
   */
  #late: LateWritesScreen | undefined;
  /** See {@link topRowsPushed}. */
  #topRowsPushed: string[] = [];
  readonly #rowsUnderCursor = new RowsUnderCursor();
  readonly #transcriptTail = new TranscriptTail();
  /** Frames held back while the terminal may still be changing its width (see {@link FrameHold}). */
  readonly hold = new FrameHold();

  /**
   * Text the renderer wrote to a terminal `columns` wide and `rows` high: a frame, or the
   * transcript's text (`transcript`), which it writes with its frame erased, then draws the frame
   * again under it. Until it does (a frame drawn as the terminal changes its size is held, see
   * {@link FrameHold}), no frame is on the screen: the cursor rests right under the text.
   */
  wrote(data: string, columns: number, rows: number, transcript = false): void {
    const startsAtRest = this.#rowsUnderCursor.count === 0 && rendererErase.test(data);
    this.#seen.push({
      text: data,
      transcript,
      columns,
      rows,
      frameBefore: this.#lines ?? [],
      startsAtRest,
    });
    if (this.#seen.length > writesKept) {
      this.#seen.shift();
      this.#seenBeforeQuestion = Math.max(0, this.#seenBeforeQuestion - 1);
    }
    this.#late?.write(data, transcript);
    this.#rowsUnderCursor.wrote(data, columns, rows);
    if (transcript) this.#transcriptTail.wrote(data);
    if (!data.includes('\n')) return;
    const lines = data.split('\n');
    // After the last line end: the row the cursor rests on, and escape sequences at most.
    lines.pop();
    this.#lines = transcript ? [] : lines;
    this.#columns = columns;
  }

  /**
   * The terminal is asked where its cursor is (see `CursorRowProbe`): its answer tells where what
   * was written so far left it.
   */
  questionAsked(): void {
    this.#seenBeforeQuestion = this.#seen.length;
  }

  /**
   * Rows above the cursor's on a screen `columns` × `rows`, followed from what the TUI wrote;
   * undefined while the TUI cannot know them (see {@link RowsUnderCursor.knownAt}).
   */
  rowsAboveCursor(columns: number, rows: number): number | undefined {
    if (!this.#rowsUnderCursor.knownAt(columns, rows)) return undefined;
    return rows - 1 - Math.min(rows - 1, this.#rowsUnderCursor.count);
  }

  /** Rows the frame's lines took as written: the renderer erases as many. */
  #rowsDrawn(): number {
    return (this.#lines ?? []).reduce((taken, line) => taken + rowsOf(line, this.#columns), 0);
  }

  /**
   * The terminal is `columns` × `rows` now (called before the renderer draws at it): the frame on
   * the screen is the one drawn before, as the terminal wrapped it again. Returns what to write to
   * the terminal first, where `frameShown` (see {@link restRowsUnderErase}). `answeredRow`: the
   * row the terminal said its cursor is on, asked as it told of the change (see
   * {@link questionAsked}); not its last row under a frame drawn at the bottom, it read the TUI's
   * last writes after it changed (see {@link LateWritesScreen}).
   */
  terminalResized(
    columns: number,
    rows: number,
    frameShown: boolean,
    answeredRow?: number,
  ): string {
    this.hold.stop();
    const cursorOnLastRow = this.#rowsUnderCursor.count === 0;
    const atBottom = frameShown && cursorOnLastRow;
    const asked = this.#seen.slice(0, this.#seenBeforeQuestion);
    // Where the cursor is when the terminal read everything before it changed: it keeps the row,
    // as long as the screen keeps its height (taller or lower, it moves rows in or out).
    const rowNow = rows - Math.min(rows - 1, this.#rowsUnderCursor.count);
    const sameHeight = asked.every((write) => write.rows === rows);
    this.#late =
      frameShown && sameHeight && answeredRow !== undefined && answeredRow !== rowNow
        ? screenAfterLateWrites(asked, answeredRow, columns, rows)
        : undefined;
    for (const write of this.#seen.slice(this.#seenBeforeQuestion))
      this.#late?.write(write.text, write.transcript);
    // What those writes left of the screen is erased, so that the frame drawn next scrolls none of
    // it into the scrollback after rows they erased there (which would leave those out of order):
    // the transcript's rows off the scrollback are drawn again from the top (see takeResize).
    const erased = this.#late ? rowsErased(1, rows) + controlSequence('1;1', 'H') : '';
    if (erased !== '') {
      this.#late?.erased();
      this.#rowsUnderCursor.wrote(erased, columns, rows);
    }
    this.#seen = [];
    this.#seenBeforeQuestion = 0;
    const lines = this.#lines ?? [];
    const lineRows = lines.map((line) => rowsOf(line, columns));
    const rowsDrawn = this.#rowsDrawn();
    const rewrappedRows = lineRows.reduce((sum, taken) => sum + taken, 0);
    // Read after the change, the last writes drew the frame at the new width: nothing on the
    // screen is the old frame wrapped again.
    const inPlace = atBottom && this.#late === undefined;
    const rowsScrolledOff = inPlace ? restRowsUnderErase(rows, lineRows, rowsDrawn) : 0;
    const transcriptRowsScrolledOff =
      inPlace && rowsScrolledOff === 0
        ? transcriptRestUnderErase(this.#transcriptTail, columns, rows, rewrappedRows, rowsDrawn)
        : 0;
    this.#atResize = {
      lines: this.#lines,
      rows: rowsDrawn,
      cursorOnLastRow,
      rowsScrolledOff,
      transcriptRowsScrolledOff,
    };
    this.#topRowsPushed = atBottom
      ? frameLinesAboveLowerScreen(rows, {
          lineRows,
          texts: lines.map(plainText),
          rewrappedRows,
          rowsScrolledOff,
        }).lines.flatMap((line) => rowTextsOf(line, this.#columns))
      : [];
    return erased + '\n'.repeat(rowsScrolledOff + transcriptRowsScrolledOff);
  }

  /**
   * The frame's first rows, as drawn (plain text), that the terminal pushed into its scrollback at
   * the last change of size: the frame at the bottom of the screen grew taller than it as the
   * terminal wrapped its lines again, or the screen got lower than the frame.
   */
  get topRowsPushed(): readonly string[] {
    return this.#topRowsPushed;
  }

  /** Whether the terminal changed its size since the frame at the change was last taken. */
  get resizing(): boolean {
    return this.#atResize !== undefined;
  }

  /**
   * The frame as the terminal last changed its size and as the renderer has drawn it since, at
   * `columns`; undefined when nothing was drawn before the change. A frame of no lines is none on
   * the screen, the cursor right under the transcript's text.
   */
  takeResize(columns: number): FrameAtResize | undefined {
    const atResize = this.#atResize;
    const late = this.#late?.transcriptRowsOffScrollback;
    this.#atResize = undefined;
    this.#late = undefined;
    const before = atResize?.lines;
    if (!atResize || !before) return undefined;
    const lineRows = before.map((line) => rowsOf(line, columns));
    return {
      rowsDrawn: atResize.rows,
      rewrappedRows: lineRows.reduce((rows, taken) => rows + taken, 0),
      rowsNow: this.#rowsDrawn(),
      lineRows,
      texts: before.map(plainText),
      cursorOnLastRow: atResize.cursorOnLastRow,
      rowsScrolledOff: atResize.rowsScrolledOff,
      transcriptRowsScrolledOff: atResize.transcriptRowsScrolledOff,
      ...(late === undefined ? {} : { transcriptRowsOffScrollback: late }),
    };
  }
}

/** How many of the last writes are looked at for those a terminal read after it changed its size. */
const writesKept = 32;

/**
 * Rows to scroll off the top of a screen `rows` high, `columns` wide now, that the transcript
 * (`tail`) filled above a frame that took `rowsDrawn` rows as drawn and `rewrappedRows` as the
 * terminal wrapped it again, before the renderer draws at the new size. Made wider, the terminal
 * wraps the frame into fewer rows and pulls rows back out of its scrollback above it: the screen
 * may start with the last rows of a line whose first rows stay in the scrollback. The renderer
 * erases as many rows as the frame took as drawn, up from the cursor, so rows of the transcript
 * above the frame too, and they are drawn again from the screen's first row (see `screenRedraw`),
 * that rest with them: drawn, it is no longer the rest of its line to the terminal (the line is in
 * two in the scrollback). Scrolled off first, it follows the line's start there, one line with it.
 */
function transcriptRestUnderErase(
  tail: TranscriptTail,
  columns: number,
  rows: number,
  rewrappedRows: number,
  rowsDrawn: number,
): number {
  const cursorRow = 1;
  if (rowsDrawn <= rewrappedRows) return 0;
  return tail.rowsOfLineCutAtTop(columns, rows - rewrappedRows - cursorRow) ?? 0;
}

/**
 * The frame when the terminal changed its size, and after. On a screen the transcript filled, the
 * terminal keeps its last rows in view as it wraps the lines again (the rest scroll into or back
 * out of its scrollback); the renderer erases `rowsDrawn` of the `rewrappedRows` the old frame takes
 * then, bottom up, and draws `rowsNow` from there, scrolling the screen if they are more.
 */
export interface FrameAtResize {
  /** Rows the frame drawn before the change took as drawn (the renderer erases as many). */
  rowsDrawn: number;
  /** Rows its lines take at the new width. */
  rewrappedRows: number;
  /** Rows the frame drawn at the new size takes. */
  rowsNow: number;
  /** Rows each line drawn before the change takes at the new width. */
  lineRows: number[];
  /** The text of each line drawn before the change, without its styles and trailing blanks. */
  texts: string[];
  /**
   * Whether the cursor was on the screen's last row before the change: a frame that shrank left
   * rows empty under it otherwise, and the terminal keeps them there as it wraps lines again.
   */
  cursorOnLastRow: boolean;
  /** Rows scrolled off the top before the renderer drew at the new size (see {@link restRowsUnderErase}). */
  rowsScrolledOff: number;
  /**
   * Rows of the transcript scrolled off the top before the renderer drew at the new size: the rest
   * of a line whose start the terminal kept in its scrollback as it got wider. @default 0
   */
  transcriptRowsScrolledOff?: number;
  /**
   * Where the terminal read the TUI's last writes after it changed its size (see
   * {@link LateWritesScreen}): the transcript's last rows not in its scrollback once the renderer
   * has drawn its frame again, on the screen or erased from it by those writes.
   */
  transcriptRowsOffScrollback?: number;
}

/**
 * Rows the transcript keeps at the top of a screen `rows` high that it filled, once the terminal
 * has changed its width and the renderer has drawn its frame again: the rest are under it (the old
 * frame as wrapped again, what the renderer left of it, the new frame, and the row the cursor
 * rests on).
 */
export function transcriptRowsAfterResize(rows: number, frame: FrameAtResize): number {
  if (frame.transcriptRowsOffScrollback !== undefined) return frame.transcriptRowsOffScrollback;
  const cursorRow = 1;
  const scrolledByNewFrame = Math.max(0, frame.rowsNow - frame.rowsDrawn);
  return Math.max(
    0,
    rows -
      frame.rewrappedRows -
      cursorRow -
      scrolledByNewFrame -
      (frame.transcriptRowsScrolledOff ?? 0),
  );
}

/**
 * The lines at the top of a frame that the terminal pushed into its scrollback as it wrapped them
 * again: all of each but the last, which may have been cut there, its first rows in the scrollback
 * and the rest (`restOnScreen` rows) the first rows of the screen. Left there, those rows follow
 * the line's start into the scrollback as one line (the terminal joins the rows it wrapped), so the
 * line is in the scrollback as much as the others.
 */
export interface FrameLinesPushed {
  lines: string[];
  restOnScreen: number;
  /** The frame's lines under those pushed, which say where they were. */
  after: string[];
}

/**
 * The lines at the top of a frame drawn at the bottom of a full screen `rows` high that went into
 * the terminal's scrollback as the terminal got narrower. The terminal keeps the row the cursor
 * rests on at the bottom as it wraps lines again, so the rows the frame grew by went off the top;
 * the renderer then erases as many rows as the frame had lines, and a taller new frame scrolls off
 * the rows above those, which may be more of the old frame's.
 */
export function frameLinesInScrollback(rows: number, frame: FrameAtResize): FrameLinesPushed {
  const cursorRow = 1;
  const grown = frame.rewrappedRows + cursorRow - rows;
  // Rows at the top the renderer did not erase (the old frame's, or the transcript's above it),
  // and how many of them its new frame scrolled off.
  const notErased = rows - frame.rowsDrawn - cursorRow;
  const scrolled = Math.min(Math.max(0, frame.rowsNow - frame.rowsDrawn), Math.max(0, notErased));
  return linesAtTop(
    frame,
    Math.max(0, grown) + frame.rowsScrolledOff + Math.max(0, scrolled - Math.max(0, -grown)),
  );
}

/**
 * Rows to scroll off the top of a screen `rows` high, its cursor on the last row under a frame
 * whose lines take `lineRows` rows each as the terminal wrapped them again, before the renderer
 * draws at the new size: the first rows the terminal pushed into its scrollback may end with a
 * line's first rows, the rest of it on the screen's first rows; the renderer erases the rows its
 * frame took as drawn, `erasedRows` (and the cursor's), up from the cursor, and would erase that
 * rest too, leaving the line cut short in the scrollback. Scrolled off first, the rest follows the
 * line's start there, one line with it.
 */
export function restRowsUnderErase(rows: number, lineRows: number[], erasedRows: number): number {
  const cursorRow = 1;
  const grown = lineRows.reduce((sum, taken) => sum + taken, 0) + cursorRow - rows;
  if (grown <= 0) return 0;
  const { restOnScreen } = linesAtTop({ lineRows, texts: [] }, grown);
  const notErased = Math.max(0, rows - erasedRows - cursorRow);
  return Math.max(0, restOnScreen - notErased);
}

/**
 * The lines at the top of a frame that went into the terminal's scrollback as the terminal got
 * lower, its width the same, `rows` high now. The cursor rests right under the frame; a terminal
 * made lower keeps it on the screen, taking rows off the top only as far as it must (rows empty
 * under the cursor go first): as many of the frame's as it has lines more than the rows above the
 * cursor now, whatever was above the frame.
 */
export function frameLinesAboveLowerScreen(
  rows: number,
  frame: Pick<FrameAtResize, 'lineRows' | 'texts' | 'rewrappedRows' | 'rowsScrolledOff'>,
): FrameLinesPushed {
  const cursorRow = 1;
  return linesAtTop(
    frame,
    Math.max(0, frame.rewrappedRows + cursorRow - rows) + frame.rowsScrolledOff,
  );
}

/**
 * The lines at the top of a frame that went into the terminal's scrollback as it wrapped them
 * again, on a screen `rows` high the transcript had not filled: the terminal reports the row its
 * cursor is on (from 1), right under the frame, and the frame's rows above the first went off the
 * top; the renderer then erases as many rows as the frame had lines, up from the cursor's, and a
 * new frame that reaches below the screen from there scrolls off as many more.
 */
export function frameLinesAboveScreen(
  frame: FrameAtResize,
  cursorRow: number,
  rows: number,
): FrameLinesPushed {
  const scrolled = rowsScrolledByNewFrame(frame, cursorRow, rows);
  return linesAtTop(frame, Math.max(0, frame.rewrappedRows - (cursorRow - 1) + scrolled));
}

/**
 * The row (from 1; 0 when none is on the screen) the transcript's last row is on once the renderer
 * has drawn its frame at the new size, on a screen `rows` high whose cursor the terminal reported
 * on row `cursorRow` as it wrapped its lines again (before that frame was drawn): above the frame
 * drawn before, as the terminal wrapped it again (none when the transcript's text was the last
 * written, its frame to be drawn again under it), and above `blankRowsAbove` rows blanked between
 * them; as many rows higher as the new frame scrolled the screen.
 */
export function transcriptEndRowAfterResize(
  frame: FrameAtResize,
  cursorRow: number,
  rows: number,
  blankRowsAbove = 0,
): number {
  const scrolled = rowsScrolledByNewFrame(frame, cursorRow, rows);
  return Math.max(0, cursorRow - frame.rewrappedRows - 1 - blankRowsAbove - scrolled);
}

/**
 * Rows the frame drawn at the new size scrolled off the top of a screen `rows` high, on which the
 * terminal had its cursor on row `cursorRow` (from 1) as it wrapped the lines again: the renderer
 * erased the rows its frame took as drawn, up from there, and drew the new frame from where that
 * left the cursor.
 */
function rowsScrolledByNewFrame(
  frame: Pick<FrameAtResize, 'rowsDrawn' | 'rowsNow'>,
  cursorRow: number,
  rows: number,
): number {
  return Math.max(0, cursorRow - frame.rowsDrawn + frame.rowsNow - rows);
}

/** The frame's first lines that its first `rows` rows (at the new width) hold, the last maybe cut. */
function linesAtTop(
  frame: Pick<FrameAtResize, 'lineRows' | 'texts'>,
  rows: number,
): FrameLinesPushed {
  let left = rows;
  let count = 0;
  let restOnScreen = 0;
  for (const taken of frame.lineRows) {
    if (left === 0) break;
    count += 1;
    if (taken > left) {
      restOnScreen = taken - left;
      break;
    }
    left -= taken;
  }
  return { lines: frame.texts.slice(0, count), restOnScreen, after: frame.texts.slice(count) };
}
