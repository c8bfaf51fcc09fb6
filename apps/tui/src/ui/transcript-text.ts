import {
  DEFAULT_MAX_LINES_PER_RUN,
  type TranscriptBlock,
  type TranscriptSnapshot,
} from '../session/transcript-fold.js';
import { clearScreen, clearScreenAndScrollback, colored, dim } from '../terminal-sequences.js';
import { commandHeader } from './command-header.js';
import { clipCommand, formatFooter, stillRunningFor } from './format.js';
import type { FrameLinesPushed } from './drawn-frame.js';
import { RunRowsInScrollback } from './run-rows-in-scrollback.js';
import { screenRedraw, type ScreenArea } from './screen-redraw.js';

/** Columns the command takes at most in a footer that names it: the line fits 80 columns. */
const footerCommandColumns = 60;

/** Something to print that is not part of the session: help, logs, messages. */
export type LocalText =
  | { kind: 'note'; text: string; tone: 'info' | 'warning' | 'error' }
  | { kind: 'lines'; lines: readonly string[] };

/**
 * The printed form of transcript blocks (a hidden-lines marker where memory was bounded). The
 * first `skipLines.get(runId)` output lines of each run (`undefined`: output between runs) are
 * left out too, counted in the marker. A clear after
 * `historyThroughSeq` happens as the user watches: it clears the terminal as the program asked
 * (the screen, and the scrollback with it for `CSI 3 J`). One of the history clears nothing: a
 * clear of the scrollback leaves a line saying where to find what came before it, a clear of the
 * screen alone nothing. `scrollbackClearedAt` is the seq of the clear of the scrollback the
 * transcript starts with, if any (the headers of the runs before it went with it, whether or not
 * it is among `blocks`).
 */
export function blocksText(
  blocks: readonly TranscriptBlock[],
  sid: string | undefined,
  skipLines: ReadonlyMap<string | undefined, number> = new Map(),
  historyThroughSeq = -1,
  scrollbackClearedAt = -1,
): string {
  let text = '';
  let pendingHidden = 0;
  const toSkip = new Map(skipLines);
  /** Whether the header of a run that cleared the screen at `seq` is gone from the terminal. */
  const headerGone = (seq: number) => seq > historyThroughSeq || scrollbackClearedAt >= seq;
  const hiddenMarker = () => {
    if (pendingHidden > 0)
      text += `${dim(`… ${pendingHidden} ${pendingHidden === 1 ? 'line' : 'lines'} hidden — lifeline replay ${sid ?? '<sid>'}`)}\n`;
    pendingHidden = 0;
  };
  for (const block of blocks) {
    if (block.kind === 'output') {
      const skipped = Math.min(toSkip.get(block.runId) ?? 0, block.lines.length);
      if (skipped > 0) toSkip.set(block.runId, (toSkip.get(block.runId) ?? 0) - skipped);
      pendingHidden += block.hidden + skipped;
      if (block.lines.length === skipped) continue;
      hiddenMarker();
      text += `${(skipped === 0 ? block.lines : block.lines.slice(skipped)).join('\n')}\n`;
      continue;
    }
    hiddenMarker();
    switch (block.kind) {
      case 'command':
        // Repeated for a clear that was not done here (history): the command is above already,
        // unless a clear of the scrollback took it away.
        if (block.afterClearSeq !== undefined && !headerGone(block.afterClearSeq)) break;
        text += `${commandHeader(block.command, block.byProgram === true, sid)}\n`;
        break;
      case 'footer': {
        const footer = formatFooter(block.outcome);
        // Named only where its clear was done: in history, the header is above (unless a clear
        // of the scrollback took it away).
        const named =
          block.afterClear !== undefined && headerGone(block.afterClear.seq)
            ? dim(` · ${clipCommand(block.afterClear.command, footerCommandColumns)}`)
            : '';
        text += `${colored(footer.tone === 'ok' ? 'green' : footer.tone === 'failed' ? 'red' : 'yellow', footer.text)}${named}\n`;
        break;
      }
      case 'note':
        text += `${block.tone === 'warning' ? colored('yellow', block.text) : dim(block.text)}\n`;
        break;
      case 'clear':
        if (block.seq > historyThroughSeq)
          text += block.clear === 'scrollback' ? clearScreenAndScrollback : clearScreen;
        else if (block.clear === 'scrollback')
          text += `${dim(`… cleared with the scrollback — lifeline replay ${sid ?? '<sid>'} shows what came before`)}\n`;
        break;
    }
  }
  return text;
}

/** How a clear of the screen starts, with or without the scrollback. */
const eraseScreen = '\x1b[2J';

/** Line ends in `text` from `from` on. */
export function linesIn(text: string, from: number): number {
  let lines = 0;
  for (let index = text.indexOf('\n', from); index !== -1; index = text.indexOf('\n', index + 1))
    lines += 1;
  return lines;
}

/** The printed form of text that is not part of the session. */
export function localText(item: LocalText): string {
  if (item.kind === 'lines') return `${item.lines.join('\n')}\n`;
  if (item.tone === 'info') return `${dim(item.text)}\n`;
  return `${colored(item.tone === 'error' ? 'red' : 'yellow', item.text)}\n`;
}

/** How many lines of output the printer writes to the terminal, at most. */
export interface PrintRate {
  /** Lines printed at once, however fast they came: output up to this long is printed whole. */
  burstLines: number;
  /** Lines per second printed after a burst; the others are counted in a hidden-lines marker. */
  linesPerSecond: number;
}

/**
 * As many lines at once as a run keeps in memory (10,000, a terminal's usual history), and 10,000
 * a second after that: more than anyone reads, little for any terminal, and a flood of millions of
 * lines costs neither the TUI nor the terminal more than that.
 */
export const defaultPrintRate: PrintRate = {
  burstLines: DEFAULT_MAX_LINES_PER_RUN,
  linesPerSecond: 10_000,
};

/** Options of {@link TranscriptPrinter}. */
export interface TranscriptPrinterOptions {
  rate?: PrintRate;
  /** Milliseconds, for the rate. @default performance.now */
  now?: () => number;
  /** Milliseconds since the epoch, for how long a command has run. @default Date.now */
  wallClock?: () => number;
}

/**
 * Prints the transcript as it grows: each call hands back the text of what was added since the
 * last one, ready to be written above the live area. Printed text is forgotten (the terminal has
 * it), so a flood never accumulates here; nothing goes through layout, so printing costs what the
 * text costs. Output lines beyond the {@link PrintRate} are left out, the oldest first, and
 * counted in a `… N lines hidden — lifeline replay <sid>` marker: the log has them. Output that
 * comes faster than the rate is held while it does (the transcript keeps its newest lines; the
 * live area shows the program's screen) and printed once it slows down or something else comes,
 * such as the run's end: a flood leaves one marker and its last lines, as a terminal's history
 * would.
 */
export class TranscriptPrinter {
  private printedThrough = -1;
  private sid: string | undefined;
  private pending = '';
  private readonly rate: PrintRate;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  /** The transcript taken last: the session it shows is left as another is shown. */
  private shown: TranscriptSnapshot | undefined;
  /** Lines that may be printed now (a token bucket of `burstLines`, refilled at `linesPerSecond`). */
  private allowance: number;
  private allowanceAt: number;
  /** While output held is coming faster than the rate: how much of it had come at the last take, and when. */
  private flood: { arrived: number; at: number } | undefined;
  /** The name of the session shown, as the gateway last described it. */
  private session: { readonly sid: string; readonly name: string } | undefined;
  /**
   * Where the terminal's screen starts for the transcript: after the block of the last clear
   * printed (a program's, or `/clear`), -1 when none was; and how many lines were printed since
   * (since the TUI started, when none was). Once as many lines as the screen has rows were
   * printed, the transcript fills the screen above the frame.
   */
  private screenStart = { afterBlock: -1, linesSince: 0 };
  /** Rows of the running command's screen in the scrollback already, not to be printed again. */
  private runRowsInScrollback: RunRowsInScrollback | undefined;

  constructor(options: TranscriptPrinterOptions = {}) {
    this.rate = options.rate ?? defaultPrintRate;
    this.now = options.now ?? (() => performance.now());
    this.wallClock = options.wallClock ?? Date.now;
    this.allowance = this.rate.burstLines;
    this.allowanceAt = this.now();
  }

  /**
   * Takes the text to print now: what `snapshot` added, its clears up to `historyThroughSeq` as
   * history (see {@link blocksText}). Without `holdFlood`, output coming faster than the rate is
   * printed now as well (within the rate) rather than held.
   */
  take(snapshot: TranscriptSnapshot | undefined, historyThroughSeq = -1, holdFlood = true): string {
    if (snapshot) this.collect(snapshot, true, historyThroughSeq, holdFlood);
    const text = this.pending;
    this.pending = '';
    const cleared = text.lastIndexOf(eraseScreen);
    if (cleared !== -1) this.screenStart.linesSince = 0;
    this.screenStart.linesSince += linesIn(text, cleared + 1);
    return text;
  }

  /** The session shown is `session` (its name is on the line printed where it starts). */
  describe(session: { readonly sid: string; readonly name: string } | undefined): void {
    if (session) this.session = session;
  }

  /**
   * Whether output is held because it comes faster than the rate: it is printed by a later
   * {@link take}, once it slows down, even if the transcript has not changed since.
   */
  get holdsOutput(): boolean {
    return this.flood !== undefined;
  }

  /**
   * Clears the terminal, its screen and its scrollback, before what is printed next: written with
   * the rest of the text, so that the frame is drawn again under it.
   */
  clearTerminal(): void {
    this.runRowsInScrollback = undefined;
    this.pending += clearScreenAndScrollback;
    this.screenStart.afterBlock = this.printedThrough;
  }

  /** Queues something that is not part of the session. */
  local(item: LocalText): void {
    this.pending += localText(item);
  }

  /**
   * Starts over after the screen was cleared: with `reprint`, everything still in memory is
   * printed again (at the terminal's new width); otherwise only what comes next.
   */
  reset(snapshot: TranscriptSnapshot, reprint: boolean): void {
    this.pending = '';
    this.sid = snapshot.sid;
    this.printedThrough = -1;
    this.flood = undefined;
    if (!reprint) {
      this.printedThrough = snapshot.blocks.at(-1)?.id ?? -1;
      return;
    }
    if (snapshot.droppedBlocks > 0) {
      this.pending += `${dim(`… earlier runs are not kept in memory — lifeline replay ${snapshot.sid ?? ''}`.trimEnd())}\n`;
    }
    this.reprintAfter(snapshot, -1);
  }

  /**
   * Everything in memory after block `afterBlock`, at the new width, as history up to
   * `historyThroughSeq` (everything, by default): the rate is for output as it arrives.
   */
  private reprintAfter(
    snapshot: TranscriptSnapshot,
    afterBlock: number,
    historyThroughSeq = Number.POSITIVE_INFINITY,
  ): void {
    this.printedThrough = afterBlock;
    this.collect(snapshot, false, historyThroughSeq);
  }

  /**
   * Starts over at a new width: the transcript rows of the screen are drawn again in place, at that
   * width, from memory (see {@link screenRedraw}); what comes next is printed under them. The last
   * `unwrittenLines` lines taken are not on the terminal yet (they wait for the next frame, to be
   * printed above it): the redraw ends before them. `taller`: the terminal is taller than it was.
   */
  redrawScreen(
    snapshot: TranscriptSnapshot,
    area: ScreenArea,
    unwrittenLines = 0,
    taller = false,
  ): void {
    const { afterBlock } = this.screenStart;
    const fills = this.fillsScreen(area.frameRows, area.rows);
    if (afterBlock === -1) this.reset(snapshot, true);
    else {
      // What a clear removed from the screen is not drawn on it again. What follows it was printed
      // as it came, none of it history (a footer names its command, whose header was cleared
      // away): drawn again the same, it takes the rows the terminal wrapped it into.
      this.reset(snapshot, false);
      this.reprintAfter(snapshot, afterBlock, -1);
    }
    // What the terminal holds: the lines printed.
    const printed = this.pending.split('\n');
    if (printed.at(-1) === '') printed.pop();
    const held = printed.slice(0, Math.max(0, printed.length - unwrittenLines));
    // Under them, the rows of the running command's screen the terminal pushed into its scrollback
    // from the frame, not printed (see framePushedIntoScrollback): a terminal made taller takes
    // them back out of it, above the frame. Drawn from the transcript's lines alone, those rows
    // showed earlier lines a second time, and the run's rows were lost.
    const live = snapshot.live;
    if (taller && live)
      held.push(...(this.runRowsInScrollback?.takenBackAboveFrame(live.runId) ?? []));
    // Where the terminal said the transcript ends, it is drawn to end there, whether or not it
    // fills the screen now: drawn down to the frame instead, it would leave the rows between
    // (those the terminal had wrapped the old frame into) empty inside it.
    const anchor = fills && area.transcriptEndRow === undefined ? 'bottom' : 'top';
    const redraw = screenRedraw(held.map((line) => `${line}\n`).join(''), { ...area, anchor });
    this.pending = redraw.text;
    // Drawn from the top, the screen starts afresh: the lines drawn are counted as they are taken,
    // after the rows above them that are not the transcript's.
    if (redraw.fromTop) this.screenStart.linesSince = redraw.rowsAbove;
  }

  /**
   * The terminal pushed the first lines of the frame, `pushed` (as text without styles), into its
   * scrollback as it wrapped them again: those that are rows of the running command's screen are
   * not printed a second time as they leave it. Returns those that had left it already since the
   * frame was drawn (taken, and waiting for the next frame to be printed above it). `columns`: how
   * wide the terminal was as the frame was drawn; `after`: the frame's lines under those pushed.
   */
  framePushedIntoScrollback(
    snapshot: TranscriptSnapshot,
    { lines: pushed, after }: Pick<FrameLinesPushed, 'lines' | 'after'>,
    columns: number,
  ): string[] {
    const live = snapshot.live;
    if (!live || pushed.length === 0) return [];
    // Rows pushed at an earlier change that are still on the command's screen are above these.
    const before = this.runRowsInScrollback?.rowsLeftOf(live.runId) ?? [];
    const rows = new RunRowsInScrollback(
      live.runId,
      snapshot.blocks.at(-1)?.id ?? -1,
      live.screen,
      [...before, ...pushed],
      columns,
      after,
    );
    if (!rows.done) this.runRowsInScrollback = rows;
    return rows.leftScreen;
  }

  /**
   * Whether the transcript fills a screen `rows` high above a frame of `frameRows`, the frame then
   * at its bottom: the lines printed since the screen started are at least as many as the rows
   * they took.
   */
  fillsScreen(frameRows: number, rows: number): boolean {
    return this.screenStart.linesSince + frameRows >= rows;
  }

  /**
   * Counts the output in `snapshot` as printed without printing it: a program that had the whole
   * terminal drew it there itself. What comes after its last output (the run's footer) is still
   * printed by the next {@link take}.
   */
  skipOutput(snapshot: TranscriptSnapshot): void {
    this.followSession(snapshot);
    const lastOutput = snapshot.blocks.findLast((block) => block.kind === 'output');
    if (lastOutput) this.printedThrough = Math.max(this.printedThrough, lastOutput.id);
    this.flood = undefined;
  }

  private collect(
    snapshot: TranscriptSnapshot,
    limited: boolean,
    historyThroughSeq: number,
    holdFlood = false,
  ): void {
    this.followSession(snapshot);
    const last = snapshot.blocks.at(-1);
    if (!last || last.id <= this.printedThrough) return;
    const first = snapshot.blocks.findIndex((block) => block.id > this.printedThrough);
    let blocks = snapshot.blocks.slice(first);
    // The history shown as the session is attached is printed whole, within what the transcript
    // keeps of it: the rate is for output as it comes.
    const history = leadingHistory(blocks, historyThroughSeq);
    // A clear of the scrollback drops the blocks before it: the transcript starts with it.
    const start = snapshot.blocks[0];
    const scrollbackClearedAt =
      start?.kind === 'clear' && start.clear === 'scrollback' ? start.seq : -1;
    if (history > 0) {
      this.pending += blocksText(
        blocks.slice(0, history),
        snapshot.sid,
        undefined,
        historyThroughSeq,
        scrollbackClearedAt,
      );
      this.printedThrough = (blocks[history - 1] as TranscriptBlock).id;
      blocks = blocks.slice(history);
      if (blocks.length === 0) return;
    }
    let through = last.id;
    if (holdFlood) {
      const flooding = this.floodingOutput(blocks);
      if (flooding > 0) {
        // What came before the flood (the run's command) is printed now; the flood later.
        through = (blocks[flooding - 1] as TranscriptBlock).id;
        blocks = blocks.slice(0, flooding);
      } else if (flooding === 0) return;
    } else this.flood = undefined;
    // Printed as they come (not drawn again from memory): without what the scrollback has already.
    if (limited && this.runRowsInScrollback) {
      blocks = this.runRowsInScrollback.filter(blocks);
      if (this.runRowsInScrollback.done) this.runRowsInScrollback = undefined;
    }
    const skip = limited ? this.linesOverRate(blocks) : undefined;
    this.pending += blocksText(blocks, snapshot.sid, skip, historyThroughSeq, scrollbackClearedAt);
    this.printedThrough = through;
    const liveClear = blocks.findLast(
      (block) => block.kind === 'clear' && block.seq > historyThroughSeq,
    );
    if (liveClear) this.screenStart.afterBlock = liveClear.id;
  }

  /**
   * Where in `blocks` output starts that comes faster than the rate and is still coming (only
   * output from there to the end), to be held; -1 when there is none.
   */
  private floodingOutput(blocks: readonly TranscriptBlock[]): number {
    const start = blocks.findIndex((block) => block.kind === 'output');
    const now = this.now();
    // Lines that came, kept or not.
    let arrived = 0;
    for (let index = Math.max(0, start); index < blocks.length; index += 1) {
      const block = blocks[index] as TranscriptBlock;
      if (block.kind !== 'output') {
        this.flood = undefined;
        return -1;
      }
      arrived += block.lines.length + block.hidden;
    }
    const flood = this.flood;
    const floods =
      start !== -1 &&
      (flood
        ? arrived - flood.arrived > ((now - flood.at) * this.rate.linesPerSecond) / 1000
        : arrived > this.refilledAllowance(now));
    this.flood = floods ? { arrived, at: now } : undefined;
    return floods ? start : -1;
  }

  /**
   * Another session is shown from now on (that of `snapshot`): its transcript is printed from its
   * start, under a line that names it, so that it does not run on from the last one's. What the
   * session left had not printed yet goes first (see {@link leave}).
   */
  private followSession(snapshot: TranscriptSnapshot): void {
    const sid = snapshot.sid;
    if (sid !== this.sid) {
      if (this.sid !== undefined && sid !== undefined) {
        if (this.shown?.sid === this.sid) this.leave(this.shown);
        const name = this.session?.sid === sid ? `${this.session.name} · ` : '';
        this.pending += `${dim(`── session ${name}${sid} ──`)}\n`;
      }
      this.sid = sid;
      this.printedThrough = -1;
      this.flood = undefined;
    }
    this.shown = snapshot;
  }

  /**
   * The session of `snapshot`, shown until now, is left while its command may still run: what it
   * held back (output coming faster than the rate) is printed, then its command's screen as the
   * frame showed it and a line that says the command goes on, as when the TUI quits. Left out,
   * they would be on the terminal nowhere (the frame shows the other session now).
   */
  private leave(snapshot: TranscriptSnapshot): void {
    this.collect(snapshot, true, -1, false);
    const live = snapshot.live;
    if (!live) return;
    const inScrollback = this.runRowsInScrollback?.rowsLeftOf(live.runId).length ?? 0;
    this.runRowsInScrollback = undefined;
    const rows = live.screen.slice(inScrollback);
    while (rows.length > 0 && rows.at(-1) === '') rows.pop();
    // A wrapped line's rows joined, for the terminal to wrap at its own width.
    const continued = live.screenContinued?.slice(inScrollback) ?? [];
    const goesOn = (index: number) => continued[index] === true && index + 1 < rows.length;
    const text = rows.map((row, index) => (goesOn(index) ? row : `${row}\n`)).join('');
    const ran = stillRunningFor(Math.max(0, this.wallClock() - live.startedAt));
    const command = clipCommand(live.command, footerCommandColumns);
    this.pending += `${text}${dim(`… ${command} · ${ran}`)}\n`;
  }

  /**
   * How many of each run's output lines in `blocks` are over the rate (see {@link overShare});
   * takes the others from the allowance.
   */
  private linesOverRate(blocks: readonly TranscriptBlock[]): Map<string | undefined, number> {
    const lines = new Map<string | undefined, number>();
    let total = 0;
    for (const block of blocks) {
      if (block.kind !== 'output') continue;
      lines.set(block.runId, (lines.get(block.runId) ?? 0) + block.lines.length);
      total += block.lines.length;
    }
    const printed = Math.min(total, Math.floor(this.refilledAllowance(this.now())));
    this.allowance -= printed;
    return overShare(lines, printed);
  }

  /** The lines that may be printed at `now`: the allowance, refilled at the rate since it was last. */
  private refilledAllowance(now: number): number {
    const { burstLines, linesPerSecond } = this.rate;
    this.allowance = Math.min(
      burstLines,
      this.allowance + ((now - this.allowanceAt) * linesPerSecond) / 1000,
    );
    this.allowanceAt = now;
    return this.allowance;
  }
}

/**
 * How many of `blocks`, from the first, are history (see `TranscriptPrinter.take`): up to the first
 * output or clear made by an event after `historyThroughSeq`.
 */
function leadingHistory(blocks: readonly TranscriptBlock[], historyThroughSeq: number): number {
  const live = blocks.findIndex(
    (block) =>
      (block.kind === 'output' && (block.seq === undefined || block.seq > historyThroughSeq)) ||
      (block.kind === 'clear' && block.seq > historyThroughSeq),
  );
  return live === -1 ? blocks.length : live;
}

/**
 * Shares `printable` lines among runs that have `lines` each, so that what is left out comes from
 * the runs with the most: each run gets all of its lines or an equal share, whichever is fewer
 * (the runs over it share what the others leave). Returns how many lines of each are left out.
 */
export function overShare<Key>(
  lines: ReadonlyMap<Key, number>,
  printable: number,
): Map<Key, number> {
  const over = new Map<Key, number>([...lines.keys()].map((key) => [key, 0]));
  const byCount = [...lines].sort((a, b) => a[1] - b[1]);
  let left = printable;
  for (const [index, [key, count]] of byCount.entries()) {
    const runsLeft = byCount.length - index;
    // The larger runs come last: the remainder of an uneven share goes to them.
    const share =
      Math.floor(left / runsLeft) + (index >= byCount.length - (left % runsLeft) ? 1 : 0);
    const shown = Math.min(count, share);
    left -= shown;
    over.set(key, count - shown);
  }
  return over;
}
