import { Unicode11Addon } from '@xterm/addon-unicode11';
import xterm, { type IBufferLine } from '@xterm/headless';
import type { KeptLines, RunLines, RunLinesOptions } from '../session/output-lines.js';
import {
  leadingPlainLines,
  type PlainLines,
  plainLinesStart,
  plainLineTexts,
} from './plain-lines.js';
import { columnsWritten, renderRow } from './screen-row.js';
import { columnsLeftOut } from './transcript-lines.js';
import { cursorAt, cursorInText } from './internal/cursor-in-text.js';

/** Columns and rows of a terminal. */
export interface ScreenSize {
  cols: number;
  rows: number;
}

/**
 * What one run draws, on a screen of its own: a {@link RunLines} whose lines are those that
 * scroll off the screen (as they do) and, at its end, those left on it.
 */
export interface EmulatedScreen extends RunLines {
  /** The screen takes a new size, as the program's terminal did. */
  resize(size: ScreenSize): void;
  /**
   * The screen's rows as they show now, down to the last one that shows something, or with
   * `throughCursor` down to the cursor's, which then ends at the cursor at least.
   */
  rows(throughCursor?: boolean): string[];
  /** For each of the first `count` rows: whether its line goes on on the next of them (wrapped there). */
  rowsContinued(count: number): boolean[];
  /** See {@link RunLines.rowsHandedOutAtTop}. */
  rowsHandedOutAtTop(): number;
  /** Where the cursor is now: its row on the screen and its column. */
  cursor(): { row: number; column: number };
  /** Whether the program hid the cursor (DECTCEM, `\e[?25l`) and has not shown it again. */
  cursorHidden(): boolean;
  /** Whether the program draws on the alternate screen now. */
  showsAlternateScreen(): boolean;
  /** The output that comes next erases the whole screen: hands out the lines it shows first. */
  erasing(): string[];
  /**
   * Scrolls the rows above the cursor's off the screen (all but the lowest `rowsKept` of them),
   * handing them out as lines.
   */
  scrollToCursorRow(rowsKept?: number): string[];
  /**
   * How many rows at the top of the screen nothing was drawn on since the last time this was
   * asked (or since the screen was made): those a program that keeps drawing below them (a
   * spinner, a live summary) has gone past.
   */
  untouchedRows(): number;
}

/** Bounds of the emulated screen. */
export const emulatedScreenLimits = {
  /**
   * Code units of output parsed before the rows that scrolled off are taken out. Each code unit
   * scrolls the screen by one row at most, so no row leaves the emulator's own scrollback before
   * it was taken.
   */
  pieceLength: 4096,
  /**
   * Rows the emulator keeps above the screen: a piece's worth. Once they are all in use, each row
   * that scrolls off reuses the memory of the oldest (taken out already) instead of allocating.
   */
  scrollback: 4096,
  /**
   * A line that wrapped over this many code units without ending is handed out as it is; the
   * rest continues in the next line (unless `RunLinesOptions.longestLine` says otherwise).
   */
  maxLineLength: 64 * 1024,
} as const;

/** What the emulator's internals offer that its API does not. */
interface EmulatorCore {
  /** Parses output now rather than on a later tick. */
  writeSync(data: string): void;
  /** The normal screen: its rows, the scrollback's included (it says how many rows left its top). */
  buffers: {
    normal: {
      lines: {
        length: number;
        onTrim(listener: (rows: number) => void): unknown;
        trimStart(rows: number): void;
      };
      /** The row of the screen's top, and that of the rows shown (as a terminal scrolled back shows). */
      ybase: number;
      ydisp: number;
    };
  };
  /** The active screen: its scroll region (rows from the top), its rows, and the row of its top. */
  buffer: {
    scrollTop: number;
    scrollBottom: number;
    ybase: number;
    lines: { get(index: number): { isWrapped: boolean } | undefined };
  };
  /** The terminal's modes: whether the cursor is hidden (DECTCEM). */
  coreService: { isCursorHidden: boolean };
  _inputHandler: {
    /** After each write: the rows of the screen it drew on, from `start` down to `end` (none: all). */
    onRequestRefreshRows(
      listener: (rows: { start: number; end: number } | undefined) => void,
    ): unknown;
    /** The style text is printed in: 0 and 0 when it is the default. */
    _curAttrData: { fg: number; bg: number };
    /** The character set in use: undefined for ASCII. */
    _charsetService: { charset: unknown };
    /** 0 (ground) when no escape sequence is half read. */
    _parser: { currentState: number };
    /** 0 when no half of a surrogate pair waits for the other. */
    _stringDecoder: { _interim: number };
  };
}

/** The parser state of an emulator between escape sequences. */
const parserGround = 0;
/** CUP with no parameters: the cursor to the top left corner. */
const cursorHome = '\x1b[H';
/**
 * An escape sequence or C1 control in output that may move the cursor up or write on rows other
 * than the cursor's: any but a style (SGR) and the erases and moves on the cursor's row (EL, ECH,
 * CHA, CUF, CUB), whole.
 */
const mayChangeRowsAbove = /[\x1b\x80-\x9f](?!\[[0-9;:]*[mKXGCD])/;

/**
 * Makes a screen for one run's output: a maintained VT emulator (xterm.js) the size of the
 * session's terminal, so cursor-addressed redraws, scroll regions, erases and wide characters
 * (Unicode 11 widths) end as they would on a terminal. A progress bar redrawn a thousand times
 * leaves its last frame; `top` without the alternate screen leaves its last screen. The lines it
 * hands out are display text: characters and SGR styles, nothing else the program wrote.
 */
export function createEmulatedScreen(
  size: ScreenSize,
  options: RunLinesOptions = {},
): EmulatedScreen {
  const terminal = new xterm.Terminal({
    cols: size.cols,
    rows: size.rows,
    scrollback: emulatedScreenLimits.scrollback,
    allowProposedApi: true,
    logLevel: 'off',
    // The line the cursor is on is wrapped again at a new width too, as tmux and most terminals
    // wrap it: left as it was, its rows would be cut at the new width, and what they lost with
    // them (a line still being written when the terminal got narrower).
    reflowCursorLine: true,
  });
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = '11';
  // The session's events are applied synchronously, in order (a run's lines must be out before
  // its footer): the emulator parses each piece at once rather than on a later tick.
  const core = (terminal as unknown as { _core: EmulatorCore })._core;
  /** The top row of the screen drawn on since {@link EmulatedScreen.untouchedRows} was asked. */
  let topDrawn: number | undefined;
  core._inputHandler.onRequestRefreshRows((rows) => {
    // No rows: the whole screen (the alternate one taken or left, a mode that changes every row).
    const start = rows?.start ?? 0;
    topDrawn = Math.min(topDrawn ?? start, start);
  });
  const cell = terminal.buffer.normal.getNullCell();
  // A row the program moves the cursor to the start of (CUP: home, before a redraw) begins a line
  // of its own, whatever the row held before: a row of a line wrapped again at a new width would
  // otherwise join what the program writes there to the line above it.
  const startsLine = (params: (number | number[])[]): boolean => {
    const [row, column] = params.map((param) => (typeof param === 'number' ? param : 0));
    if ((column ?? 0) <= 1) {
      const buffer = core.buffer;
      const line = buffer.lines.get(
        buffer.ybase + Math.min(Math.max(row ?? 1, 1), terminal.rows) - 1,
      );
      if (line) line.isWrapped = false;
    }
    // The emulator moves the cursor as ever.
    return false;
  };
  terminal.parser.registerCsiHandler({ final: 'H' }, startsLine);
  terminal.parser.registerCsiHandler({ final: 'f' }, startsLine);
  // Rows are counted from the first the normal screen ever had: `trimmed` of them left the top of
  // its scrollback (their memory reused, or erased by the program), those before `taken` were
  // taken out.
  let trimmed = 0;
  let taken = 0;
  core.buffers.normal.lines.onTrim((rows) => {
    trimmed += rows;
  });
  /** The start of a line whose rows are partly taken out and that continues on the screen. */
  let carried = '';
  /**
   * The rest of the line handed out last while its last rows were still the first of the screen
   * (see {@link handOutLineAtTop}), as plain text: what of it has not scrolled off yet. Those rows
   * are not handed out again as they do, as long as they read the same. Undefined when there are
   * none.
   */
  let restHandedOut: string | undefined;
  /** Columns of the line being put together left out past {@link longestLine}, once it is cut. */
  let cutColumns: number | undefined;
  let ended = false;
  const longestLine = options.longestLine ?? emulatedScreenLimits.maxLineLength;
  /**
   * On a line editor's screen: rows above the screen's top the program moved the cursor up to
   * (the top held it) and has not come back down over yet. It counts them as rows of its line,
   * so each one it comes down over scrolls a row off that is its line drawn again.
   */
  let rowsAboveTop = 0;
  /**
   * Where the rows scrolled off by the output being parsed now go (see `pushKeeping`); undefined
   * while none is.
   */
  let scrolledLines: string[] | undefined;

  /**
   * Adds a row to the line being put together ({@link carried}): returns the line when it ended
   * there, or when `bounded` and it grew past {@link longestLine} (unless long lines are cut, when
   * the rest of it is only counted, in {@link cutColumns}).
   */
  const addRow = (line: IBufferLine, continues: boolean, bounded: boolean): string | undefined => {
    if (cutColumns === undefined) {
      const row = renderRow(line, cell, continues ? 'continued' : 'trim');
      if (!continues && row === '') return takeCarriedEnded();
      carried += row;
    } else cutColumns += continues ? terminal.cols : columnsWritten(line);
    if (!continues) return takeCarried();
    if (!bounded || cutColumns !== undefined || carried.length < longestLine) return undefined;
    if (options.cutLongLines === true) {
      cutColumns = 0;
      return undefined;
    }
    return takeCarried();
  };

  /** The line put together so far, ending with how many columns were cut off it, if any were. */
  const takeCarried = (): string => {
    const text = cutColumns === undefined ? carried : `${carried}${columnsLeftOut(cutColumns)}`;
    carried = '';
    cutColumns = undefined;
    return text;
  };

  /**
   * The line whose first rows were taken ends before `line`, the next row to take, when that row
   * no longer continues it (a clear erased it, the cursor was moved to its start to draw a line
   * there): it goes out as it was.
   */
  const endCarriedBefore = (line: IBufferLine | undefined, lines: string[]) => {
    if ((carried === '' && cutColumns === undefined) || line?.isWrapped === true) return;
    lines.push(takeCarriedEnded());
  };

  /**
   * The line put together so far, ended with no row of its own after those taken (a last row of
   * blanks, or none): the blanks its rows ended in are its trailing ones, left out as a row's are.
   */
  const takeCarriedEnded = (): string => {
    carried = carried.replace(/ +$/, '');
    return takeCarried();
  };

  /** Takes the rows that scrolled off the screen, as lines. */
  const takeScrolled = (lines: string[]) => {
    const normal = terminal.buffer.normal;
    // Rows the program erased (ED 3) before they were taken are gone, as from a terminal's history.
    taken = Math.max(taken, trimmed);
    let line = normal.getLine(taken - trimmed);
    if (taken < trimmed + normal.baseY) endCarriedBefore(line, lines);
    for (; taken < trimmed + normal.baseY; taken += 1) {
      const next = normal.getLine(taken + 1 - trimmed);
      if (line && rowsAboveTop > 0) {
        // The line editor's line drawn again: what is carried of a row above it did leave.
        rowsAboveTop -= 1;
        const drawnAgain = takeCarried();
        if (drawnAgain !== '') lines.push(drawnAgain);
      } else if (line && !scrollsOffRestHandedOut(line, next)) {
        const ended = addRow(line, next?.isWrapped === true, true);
        if (ended !== undefined) lines.push(ended);
      }
      line = next;
    }
  };

  /**
   * Whether `line`, scrolling off with `next` under it, is a row of the rest of the line handed
   * out already (see {@link restHandedOut}), as it was: then it is not handed out again. A row
   * that reads otherwise (the program drew over it) ends that rest, and goes out as it reads.
   */
  const scrollsOffRestHandedOut = (line: IBufferLine, next: IBufferLine | undefined): boolean => {
    if (restHandedOut === undefined) return false;
    const lastRow = next?.isWrapped !== true;
    const after = restAfterRow(restHandedOut, line, lastRow);
    restHandedOut = lastRow ? undefined : after;
    return after !== undefined;
  };

  /**
   * How many of the screen's first rows are the rest of the line handed out already, as it was
   * handed out (see {@link restHandedOut}), its last one above the cursor's row; 0 when they read
   * otherwise now.
   */
  const rowsHandedOutAtTop = (): number => {
    const normal = terminal.buffer.normal;
    if (restHandedOut === undefined || terminal.buffer.active.type !== 'normal') return 0;
    let rest: string | undefined = restHandedOut;
    for (let row = 0; row < normal.cursorY && rest !== undefined; row += 1) {
      const line = normal.getLine(normal.baseY + row);
      const lastRow = normal.getLine(normal.baseY + row + 1)?.isWrapped !== true;
      rest = line && restAfterRow(rest, line, lastRow);
      if (lastRow) return rest === undefined ? 0 : row + 1;
    }
    return 0;
  };

  /**
   * Hands out the line whose first rows scrolled off the top of the screen and whose last ones are
   * the first of the screen, once it ended above the cursor's row: as a terminal shows it, all of
   * it is in sight, its start in the scrollback and its end at the top of the screen. Kept until
   * its last row scrolled off, it would be shown only in part meanwhile (its end, the screen's),
   * and a terminal made narrower then would push that end into its scrollback, the rows under it
   * with it, before the line itself. Its rows on the screen are not handed out again as they
   * scroll off (see {@link rowsHandedOutAtTop}). Not on a line editor's screen, which draws its
   * rows again. Looked at as a row scrolls off (see {@link handOutAsRowsScroll}).
   */
  const handOutLineAtTop = (lines: string[]) => {
    const normal = terminal.buffer.normal;
    if (
      options.lineEditor === true ||
      carried === '' ||
      cutColumns !== undefined ||
      terminal.buffer.active.type !== 'normal' ||
      core.buffer.scrollTop !== 0
    )
      return;
    if (normal.cursorY === 0 || normal.getLine(normal.baseY)?.isWrapped !== true) return;
    let last = 0;
    while (last + 1 < normal.cursorY && normal.getLine(normal.baseY + last + 1)?.isWrapped === true)
      last += 1;
    // The cursor's row goes on with it: the line may grow yet.
    if (normal.getLine(normal.baseY + last + 1)?.isWrapped === true) return;
    let rest = '';
    for (let row = 0; row <= last; row += 1) {
      const line = normal.getLine(normal.baseY + row);
      if (!line) return;
      rest += line.translateToString(false);
      const ended = addRow(line, row < last, false);
      if (ended !== undefined) lines.push(ended);
    }
    restHandedOut = rest.trimEnd();
  };

  /**
   * Whether the output being parsed may move the cursor up or write on rows above it (see
   * {@link mayChangeRowsAbove}): undefined while none is.
   */
  let rowsAboveMayChange: boolean | undefined;
  /** Whether a row scrolled off while output that cannot change the rows above the cursor was parsed. */
  let scrolledOff = false;

  /**
   * Hands out the line at the screen's top each time a row scrolls off while output is parsed (see
   * {@link handOutLineAtTop}): at moments of the output's own, not where it was cut into pieces.
   * Looked at only as each piece ends, the same output cut elsewhere would hand it out or not (the
   * cursor put back on its rows before the piece ended), and what the program wrote there next
   * would go out as a line of its own or as the line's end. Output that cannot change those rows
   * nor move the cursor up leaves them as they were at the last row scrolled off: it is looked at
   * once, as the piece ends (cheaper, for a flood of wrapped lines).
   */
  const handOutAsRowsScroll = () => {
    if (rowsAboveMayChange === undefined || scrolledLines === undefined) return;
    if (!rowsAboveMayChange) {
      scrolledOff = true;
      return;
    }
    const buffer = core.buffer;
    if (buffer.lines.get(buffer.ybase)?.isWrapped !== true) return;
    takeScrolled(scrolledLines);
    handOutLineAtTop(scrolledLines);
  };
  terminal.onScroll(handOutAsRowsScroll);

  if (options.lineEditor === true) {
    /** The line editor moves the cursor `up` rows: those above the screen's top count. */
    const movedUp = (up: number): boolean => {
      const buffer = core.buffer;
      const above = up - terminal.buffer.active.cursorY;
      if (
        above > 0 &&
        terminal.buffer.active.type === 'normal' &&
        buffer.scrollTop === 0 &&
        buffer.scrollBottom === terminal.rows - 1
      ) {
        // The rows scrolled off before the move are not its line drawn again (the line growing).
        if (scrolledLines) takeScrolled(scrolledLines);
        rowsAboveTop += above;
      }
      // The emulator moves the cursor as ever.
      return false;
    };
    terminal.parser.registerCsiHandler({ final: 'A' }, (params) =>
      movedUp(typeof params[0] === 'number' ? Math.max(params[0], 1) : 1),
    );
    // A row up as terminfo says for tmux and screen (`cuu1` is `ESC M`): at the top it scrolls the
    // screen down instead, and the rows the line editor then comes down over scroll off again.
    terminal.parser.registerEscHandler({ final: 'M' }, () => movedUp(1));
    // The cursor placed on a row by its number (the screen erased and drawn again from its top):
    // the program knows where the screen's rows are again.
    const placed = (): boolean => {
      if (rowsAboveTop > 0 && scrolledLines) takeScrolled(scrolledLines);
      rowsAboveTop = 0;
      return false;
    };
    terminal.parser.registerCsiHandler({ final: 'H' }, placed);
    terminal.parser.registerCsiHandler({ final: 'f' }, placed);
  }

  /**
   * Whether plain text printed now would be printed as it is, from the start of the bottom row,
   * which is blank: the normal screen, the cursor at the start of the bottom row, the whole screen
   * scrolling, the default style and character set, no escape sequence or
   * character half read.
   */
  const restsOnBlankBottomRow = (): boolean => {
    const buffer = terminal.buffer.active;
    const bottom = terminal.rows - 1;
    if (buffer.type !== 'normal' || buffer.cursorX !== 0 || buffer.cursorY !== bottom) return false;
    const row = buffer.getLine(buffer.baseY + bottom);
    const handler = core._inputHandler;
    return (
      row !== undefined &&
      !row.isWrapped &&
      row.translateToString(true) === '' &&
      core.buffer.scrollTop === 0 &&
      core.buffer.scrollBottom === bottom &&
      handler._curAttrData.fg === 0 &&
      handler._curAttrData.bg === 0 &&
      handler._charsetService.charset === undefined &&
      handler._parser.currentState === parserGround &&
      handler._stringDecoder._interim === 0
    );
  };

  /**
   * Prints at least a screen's worth of plain lines (see {@link restsOnBlankBottomRow}) as the
   * emulator would, without making it print and scroll away each one that leaves the screen:
   * every row on the screen scrolls off, the lines but the screen's last rows' worth are handed
   * out as they are, and the emulator prints those last ones on a blank screen, leaving the cursor
   * at the start of the blank bottom row below them.
   */
  const scrollPlainLines = (
    data: string,
    start: number,
    plain: PlainLines,
    batch: KeptLines,
    keep: number,
  ) => {
    core.writeSync('\r\n'.repeat(terminal.rows));
    takeScrolled(batch.lines);
    // The blank bottom row, where the first plain line would have been printed.
    batch.lines.pop();
    const shownStart = plainLinesStart(data, start, plain.end, terminal.rows - 1);
    const handedOut = plain.count - (terminal.rows - 1);
    const made = Math.min(handedOut, keep);
    if (made < handedOut) {
      batch.dropped += batch.lines.length + handedOut - made;
      batch.lines.length = 0;
    }
    // As the rows they were printed on end lines: without the blanks at their ends.
    const madeStart = made < handedOut ? plainLinesStart(data, start, shownStart, made) : start;
    for (const text of plainLineTexts(data, madeStart, shownStart)) batch.lines.push(text);
    core.writeSync(`${cursorHome}${data.slice(shownStart, plain.end)}`);
  };

  /**
   * How many plain lines print a whole screen away: they skip the emulator from this many on. (A
   * screen of one row has none to keep; its few lines are left to the emulator.)
   */
  const screenOfPlainLines = () =>
    terminal.rows > 1 ? terminal.rows - 1 : Number.POSITIVE_INFINITY;

  /**
   * The end of the line that `data` starts in at `start`, when a screen's worth of plain lines
   * follows it: a piece that ends there lets them skip the emulator (output is cut anywhere, most
   * often in a line). Undefined otherwise.
   */
  const plainLinesAfterThisLine = (data: string, start: number): number | undefined => {
    const lineEnd = data.indexOf('\n', start);
    if (lineEnd === -1 || lineEnd - start >= emulatedScreenLimits.pieceLength) return undefined;
    const wanted = screenOfPlainLines();
    const plain = leadingPlainLines(data, lineEnd + 1, terminal.cols, wanted);
    return plain.count >= wanted ? lineEnd + 1 : undefined;
  };

  /**
   * Drops the rows above the normal screen, all taken out already (each push takes what scrolled
   * off): a screen that grows fills its new rows from them, as a terminal does, and they would be
   * handed out a second time (or, where plain lines skipped the emulator, rows never printed there).
   */
  const dropScrollback = () => {
    const normal = core.buffers.normal;
    const rows = normal.lines.length - terminal.rows;
    if (rows <= 0) return;
    normal.lines.trimStart(rows);
    normal.ybase = Math.max(0, normal.ybase - rows);
    normal.ydisp = Math.max(0, normal.ydisp - rows);
  };

  /**
   * The screen changed its size since it was made, and the cursor could not be kept on the
   * character it was on, or a line editor draws on it (see `screenLines`).
   */
  let resized = false;
  /**
   * The lines the normal screen shows, wrapped rows joined, without blank lines at the end (those
   * above the cursor's line are the program's and stay).
   */
  const screenLines = (): string[] => {
    const normal = terminal.buffer.normal;
    const lines: string[] = [];
    // Empty lines the cursor went past are the program's (`echo` prints one); from its line on,
    // they are only the rest of the screen. Once the screen changed its size without the cursor
    // kept on its character, it may have moved without the program (rows added under what it
    // drew): none are kept then.
    const cursorRow = resized ? -1 : normal.baseY + normal.cursorY;
    const top = normal.baseY + rowsHandedOutAtTop();
    endCarriedBefore(normal.getLine(top), lines);
    let cursorLine = 0;
    for (let row = top; row < normal.baseY + terminal.rows; row += 1) {
      if (row === cursorRow) cursorLine = lines.length;
      const line = normal.getLine(row);
      if (!line) continue;
      const continues =
        normal.getLine(row + 1)?.isWrapped === true && row + 1 < normal.baseY + terminal.rows;
      const ended = addRow(line, continues, options.cutLongLines === true);
      if (ended !== undefined) lines.push(ended);
    }
    while (lines.length > cursorLine && lines.at(-1) === '') lines.pop();
    return lines;
  };

  /** The lines not handed out yet: those that scrolled off, then those the screen shows. */
  const linesLeft = (): string[] => {
    const lines: string[] = [];
    takeScrolled(lines);
    lines.push(...screenLines());
    return lines;
  };

  const pushKeeping = (data: string, keep: number): KeptLines => {
    const batch: KeptLines = { lines: [], dropped: 0 };
    if (ended) return batch;
    scrolledLines = batch.lines;
    rowsAboveMayChange =
      core._inputHandler._parser.currentState !== parserGround || mayChangeRowsAbove.test(data);
    for (let start = 0; start < data.length;) {
      // (Lines printed past the emulator would not count the rows a line editor comes down over.)
      if (rowsAboveTop === 0 && restsOnBlankBottomRow()) {
        const plain = leadingPlainLines(data, start, terminal.cols);
        if (plain.count >= screenOfPlainLines()) {
          scrollPlainLines(data, start, plain, batch, keep);
          start = plain.end;
          continue;
        }
      }
      const end = plainLinesAfterThisLine(data, start) ?? pieceEnd(data, start);
      core.writeSync(start === 0 && end === data.length ? data : data.slice(start, end));
      takeScrolled(batch.lines);
      start = end;
    }
    if (scrolledOff) handOutLineAtTop(batch.lines);
    scrolledOff = false;
    scrolledLines = undefined;
    rowsAboveMayChange = undefined;
    if (batch.lines.length > keep) {
      batch.dropped += batch.lines.length - keep;
      batch.lines = batch.lines.slice(batch.lines.length - keep);
    }
    return batch;
  };

  return {
    push: (data) => pushKeeping(data, Number.POSITIVE_INFINITY).lines,
    pushKeeping,
    end() {
      if (ended) return [];
      const lines = linesLeft();
      ended = true;
      terminal.dispose();
      return lines;
    },
    erasing() {
      if (ended || terminal.buffer.active.type !== 'normal') return [];
      const lines = linesLeft();
      // The rows it shows are erased: none reads as the rest handed out any more.
      restHandedOut = undefined;
      return lines;
    },
    get partial() {
      if (ended) return '';
      const buffer = terminal.buffer.active;
      const line = buffer.getLine(buffer.baseY + buffer.cursorY);
      return line ? renderRow(line, cell, 'trim') : '';
    },
    resize({ cols, rows }) {
      if (ended || (cols === terminal.cols && rows === terminal.rows)) return;
      // A line editor moves the cursor over its rows as it draws them again: its empty rows at
      // the end are never kept after a change of size.
      if (options.lineEditor === true) resized = true;
      // The line editor draws its line again at the new width, from where it finds it then.
      rowsAboveTop = 0;
      dropScrollback();
      const normal = terminal.buffer.normal;
      // The cursor stays on the character it was on, as the lines are wrapped again (see
      // cursorInText), where nothing makes its place relative to something else.
      const placeable =
        terminal.buffer.active.type === 'normal' &&
        core.buffer.scrollTop === 0 &&
        core.buffer.scrollBottom === terminal.rows - 1 &&
        core._inputHandler._parser.currentState === parserGround;
      const place = placeable
        ? cursorInText(normal, normal.baseY + normal.cursorY, normal.cursorX, terminal.cols)
        : undefined;
      const cursorRowBefore = normal.cursorY;
      terminal.resize(cols, rows);
      const at = place && cursorAt(normal, place, cols);
      if (at && at.row >= normal.baseY && at.row < normal.baseY + rows) {
        // As tmux and most terminals do, the cursor stays on its row when the lines above it take
        // more rows: those scroll off the top. A line editor redrawing its line at the new width
        // goes back up as many rows as the line took before, and draws it from there.
        const grown = at.row - normal.baseY - cursorRowBefore;
        if (grown > 0) core.writeSync(`\x1b[${rows};1H${'\n'.repeat(grown)}`);
        core.writeSync(`\x1b[${at.row - normal.baseY + 1};${at.column + 1}H`);
      } else resized = true;
    },
    rows(throughCursor = false) {
      if (ended) return [];
      const buffer = terminal.buffer.active;
      const rows: string[] = [];
      for (let row = 0; row < terminal.rows; row += 1) {
        const line = buffer.getLine(buffer.baseY + row);
        const keepColumns = throughCursor && row === buffer.cursorY ? buffer.cursorX : 0;
        rows.push(line ? renderRow(line, cell, 'trim', keepColumns) : '');
      }
      const shown = throughCursor ? buffer.cursorY + 1 : 0;
      while (rows.length > shown && rows.at(-1) === '') rows.pop();
      return rows;
    },
    rowsHandedOutAtTop,
    rowsContinued(count) {
      const buffer = terminal.buffer.active;
      const continued: boolean[] = [];
      for (let row = 0; row < count; row += 1)
        continued.push(
          row + 1 < count && buffer.getLine(buffer.baseY + row + 1)?.isWrapped === true,
        );
      return continued;
    },
    cursor() {
      const buffer = terminal.buffer.active;
      return { row: buffer.cursorY, column: buffer.cursorX };
    },
    cursorHidden() {
      return core.coreService.isCursorHidden;
    },
    showsAlternateScreen() {
      return !ended && terminal.buffer.active.type === 'alternate';
    },
    scrollToCursorRow(rowsKept = 0) {
      const buffer = terminal.buffer.active;
      const kept = Math.min(Math.max(0, rowsKept), buffer.cursorY);
      const above = buffer.cursorY - kept;
      const bottom = terminal.rows - 1;
      if (ended || above === 0 || buffer.type !== 'normal') return [];
      if (core.buffer.scrollTop !== 0 || core.buffer.scrollBottom !== bottom) return [];
      // Line feeds on the bottom row scroll the whole screen up; the cursor then goes back to its
      // column on the row it is on now, below the rows kept.
      const column = Math.min(buffer.cursorX, terminal.cols - 1);
      // Scrolling draws on no row: the rows drawn on before move up with what they show.
      const drawnBefore = topDrawn;
      core.writeSync(
        `\x1b[${terminal.rows};1H${'\n'.repeat(above)}\x1b[${kept + 1};${column + 1}H`,
      );
      topDrawn = drawnBefore === undefined ? undefined : Math.max(0, drawnBefore - above);
      // The rows it scrolled off are not the line editor's doing.
      const lines: string[] = [];
      const editorRowsAboveTop = rowsAboveTop;
      rowsAboveTop = 0;
      takeScrolled(lines);
      rowsAboveTop = editorRowsAboveTop;
      return lines;
    },
    untouchedRows() {
      const untouched = topDrawn ?? terminal.rows;
      topDrawn = undefined;
      return untouched;
    },
  };
}

/**
 * Where the piece of `data` from `start` that the emulator parses at once ends: after
 * {@link emulatedScreenLimits.pieceLength} code units at most, at the end of a line where one
 * ends within it (plain lines after it may skip the emulator), never between the halves of a
 * character (the emulator would take each half for one).
 */
function pieceEnd(data: string, start: number): number {
  const end = start + emulatedScreenLimits.pieceLength;
  if (end >= data.length) return data.length;
  const lineEnd = data.lastIndexOf('\n', end - 1);
  if (lineEnd >= start) return lineEnd + 1;
  return isHighSurrogate(data.charCodeAt(end - 1)) ? end - 1 : end;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * What of `rest` (a line's rest, as plain text, without the blanks it ended in) is left after
 * `line`, a row of it that goes on with it (the last of it when `lastRow`: then all of it, `''`);
 * undefined when the row reads otherwise. A row that holds all that is left of the rest, then
 * blanks, leaves `''`: the rows after it are blank.
 */
function restAfterRow(rest: string, line: IBufferLine, lastRow: boolean): string | undefined {
  if (!line.isWrapped) return undefined;
  const text = line.translateToString(false);
  if (!lastRow && rest.startsWith(text)) return rest.slice(text.length);
  return rest === text.trimEnd() ? '' : undefined;
}
