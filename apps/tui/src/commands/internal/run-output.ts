import type { SessionEvent } from '@lifeline/protocol';
import { AcceptedLineCut, CommandEchoFilter } from '../../session/command-echo.js';
import { LinesAsWritten } from './lines-as-written.js';
import { createDisplayLines, PROGRAM_LINE_COLUMNS } from '../../session/display-lines.js';
import type { TerminalSize } from '../../session/output-lines.js';
import { ScreenClearScanner } from '../../session/screen-clears.js';
import { createEmulatedScreen, type EmulatedScreen } from '../../terminal/emulated-screen.js';
import { createOutputSanitizer } from '../../terminal/output-sanitizer.js';
import { withoutStyles } from '../../terminal-sequences.js';

/**
 * `terminal`: sanitised output as it streams (colours and carriage returns kept, so progress bars
 * redraw); `plain`: the lines as the session's terminal ends up showing them (a progress display
 * redrawn in place leaves its last frame), with no escape sequence at all, for pipes, files and
 * `--json`.
 */
export type RunOutputFormat = 'terminal' | 'plain';

/** How a run ended, as far as its caller is concerned. */
export type RunEnd =
  | { kind: 'completed'; exitCode: number; cwd: string; durationMs: number }
  | { kind: 'shell-exited'; code: number | null; signal: string | null };

/** What {@link RunOutput.apply} made of one event. */
export interface RunOutputStep {
  /** `gap`: an event is missing before this one; fetch from {@link RunOutput.lastSeq} + 1. */
  outcome: 'applied' | 'duplicate' | 'gap' | 'after-end';
  /** Output to print now (may be empty). */
  text: string;
  /** Set by the event that ended the run. */
  end: RunEnd | undefined;
  /** Set by the event that says the run waits for someone to type. */
  waitsForInput?: true;
  /** A condition of the session to tell the user about (its disk is full, or has room again). */
  notice?: string;
}

/** Options of {@link RunOutput}. */
export interface RunOutputOptions {
  /** The run whose output this is. */
  runId: string;
  /** Seq of the run's `run_start`: the run's output is what follows it. */
  startSeq: number;
  /** The command as it was run (as `run_start` records it), to recognise the shell's echo of it. */
  command: string;
  /** How the output is written. */
  format: RunOutputFormat;
  /**
   * The size of the session's terminal as the run starts (its `resize` events change it): what
   * `plain` output is drawn on. @default 80 columns by 24 rows, a session's own default
   */
  size?: TerminalSize | undefined;
  /**
   * The caller types into the run once it follows it: an `input_wait` recorded before that input
   * reaches the session is the wait it answers, not a new one. What it types goes to the running
   * program, not to a line editor: its echo is told by lines alone (see {@link AcceptedLineCut}).
   */
  answering?: boolean;
  /**
   * Seq from which an `input_wait` is a wait to report: those before it are the run's past, as
   * for a caller reading a run from its start (see `lifeline sessions wait`). @default 0
   */
  waitsFrom?: number;
}

/** An SGR sequence that sets a style (anything but a reset). */
const styleChange = /\x1b\[(?!0?m)[0-9;:]*m/;

const stripped = (lines: string[]): string[] => lines.map(withoutStyles);

/**
 * The output of one run, picked out of a session's event stream: the events between its
 * `run_start` and its `run_complete` (or the shell's exit), without the shell's echo of the
 * command line, sanitised so that a hostile program cannot drive the caller's terminal. Events are
 * applied in seq order; duplicates are ignored and a gap is reported, so a caller can re-attach
 * after a reconnect and apply whatever it gets.
 */
export class RunOutput {
  private readonly options: RunOutputOptions;
  private readonly stream: TextStream;
  private seq: number;
  private finished: RunEnd | undefined;
  private typedInto = false;

  constructor(options: RunOutputOptions) {
    this.options = options;
    this.seq = options.startSeq;
    const echo = new CommandEchoFilter(options.command);
    const stream =
      options.format === 'terminal'
        ? new TerminalStream(echo)
        : new PlainStream(echo, options.size ?? { cols: 80, rows: 24 });
    this.stream = options.answering === true ? stream : new AcceptedLineStream(echo, stream);
  }

  /** Seq of the last event applied (the run's `run_start` before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  /** How the run ended, once it has. */
  get end(): RunEnd | undefined {
    return this.finished;
  }

  /** Applies the session's next event. */
  apply(event: SessionEvent): RunOutputStep {
    if (event.seq <= this.seq) return { outcome: 'duplicate', text: '', end: undefined };
    if (this.finished) return { outcome: 'after-end', text: '', end: undefined };
    if (event.seq !== this.seq + 1) return { outcome: 'gap', text: '', end: undefined };
    this.seq = event.seq;
    switch (event.type) {
      case 'output':
        return { outcome: 'applied', text: this.stream.push(event.data), end: undefined };
      case 'run_complete':
        if (event.runId !== this.options.runId) break;
        return this.finish({
          kind: 'completed',
          exitCode: event.exitCode,
          cwd: event.cwd,
          durationMs: event.durationMs,
        });
      case 'input':
        this.typedInto = true;
        break;
      case 'resize':
        this.stream.resize({ cols: event.cols, rows: event.rows });
        break;
      case 'input_wait':
        if (
          event.runId !== this.options.runId ||
          event.seq < (this.options.waitsFrom ?? 0) ||
          (this.options.answering === true && !this.typedInto)
        )
          break;
        return { outcome: 'applied', text: '', end: undefined, waitsForInput: true };
      case 'host_exit':
        return this.finish({ kind: 'shell-exited', code: event.code, signal: event.signal });
      case 'note':
        // Each piece of output dropped on a full disk is not told apart: the note that the disk
        // has room again says how much was.
        if (event.condition === undefined || event.condition === 'output_dropped') break;
        return { outcome: 'applied', text: '', end: undefined, notice: event.text };
      default:
        break;
    }
    return { outcome: 'applied', text: '', end: undefined };
  }

  /**
   * Returns the lines held back that the program has gone past: `plain` output holds every line a
   * program could still move the cursor up to and draw again; those above the cursor's row and
   * above every row it drew on since the last call are taken as final (called every half second
   * or so: a server that printed where it listens and waits, the lines above a spinner or a live
   * summary drawn again and again below them).
   */
  settle(): string {
    return this.finished ? '' : this.stream.settle();
  }

  /** Ends the output early (the caller stops waiting): returns what was held back. */
  flush(): string {
    return this.stream.end();
  }

  private finish(end: RunEnd): RunOutputStep {
    this.finished = end;
    return { outcome: 'applied', text: this.stream.end(), end };
  }
}

interface TextStream {
  push(data: string): string;
  /** Returns the lines held back that the program has gone past (see {@link RunOutput.settle}). */
  settle(): string;
  resize(size: TerminalSize): void;
  end(): string;
}

/** Leaves out the line editor's echo of the command line however it drew it, before `stream` gets the output. */
class AcceptedLineStream implements TextStream {
  private readonly cut: AcceptedLineCut;

  constructor(
    private readonly echo: CommandEchoFilter,
    private readonly stream: TextStream,
  ) {
    this.cut = new AcceptedLineCut(echo.holdLimit);
  }

  push(data: string): string {
    const step = this.cut.push(data);
    if (step.cut) this.echo.stop();
    return step.text === '' ? '' : this.stream.push(step.text);
  }

  settle(): string {
    return this.stream.settle();
  }

  resize(size: TerminalSize): void {
    this.stream.resize(size);
  }

  end(): string {
    const held = this.cut.end();
    return (held === '' ? '' : this.stream.push(held)) + this.stream.end();
  }
}

/** Sanitised text as it arrives, holding back only the first line or two until they are known not to be the echo. */
class TerminalStream implements TextStream {
  // Erasing a line and moving along it stay within the line the output is on: a progress line
  // drawn again with them (`\r\x1b[K`, as npm and pnpm do) shows as it would in the session.
  private readonly sanitizer = createOutputSanitizer({ allowLineEditing: true });
  private readonly echo: CommandEchoFilter;
  /**
   * The held lines as a terminal shows them (cursor moves applied), to be told from the echo: a
   * line editor may draw the command word by word at columns it moves to (fish).
   */
  private readonly shown = createDisplayLines();
  private readonly shownLines: string[] = [];
  private held = '';
  private styled = false;
  private ended = false;

  constructor(echo: CommandEchoFilter) {
    this.echo = echo;
  }

  push(data: string): string {
    this.echo.observe(data);
    if (this.echo.isDeciding()) this.shownLines.push(...this.shown.push(data));
    return this.release(this.sanitizer.write(data).text, false);
  }

  /** Nothing is held that the terminal could draw again: a terminal does that itself. */
  settle(): string {
    return '';
  }

  /** The caller's terminal wraps and scrolls the output itself. */
  resize(): void {}

  end(): string {
    if (this.ended) return '';
    this.ended = true;
    if (this.echo.isDeciding()) this.shownLines.push(...this.shown.end());
    const text = this.release(this.sanitizer.flush().text, true);
    // A program that left a colour on must not colour the caller's prompt.
    return this.styled ? `${text}\x1b[0m` : text;
  }

  private release(text: string, final: boolean): string {
    // Only a style outlives its line: erases and moves along the line leave nothing to reset.
    if (text.includes('\x1b') && styleChange.test(text)) this.styled = true;
    if (!this.echo.isDeciding()) return text;
    this.held += text;
    let newline = this.held.indexOf('\n');
    while (this.echo.isDeciding() && newline !== -1) {
      if (this.echo.isEcho(this.shownLine(this.held.slice(0, newline))))
        this.held = this.held.slice(newline + 1);
      newline = this.echo.isDeciding() ? this.held.indexOf('\n') : -1;
    }
    if (this.echo.isDeciding() && final && this.echo.isEcho(this.shownLine(this.held)))
      this.held = '';
    // A first line that never ends (a progress bar) is not an echo once it is longer than one.
    if (this.echo.isDeciding() && this.held.length > this.echo.holdLimit) this.echo.stop();
    if (this.echo.isDeciding() && !final) return '';
    const released = this.held;
    this.held = '';
    return released;
  }

  /** The next held line as it shows (`line` as it is, should the two ever disagree on lines). */
  private shownLine(line: string): string {
    return withoutStyles(this.shownLines.shift() ?? line);
  }
}

/**
 * The lines of the run as the session's terminal shows them, without escape sequences: drawn on an
 * emulated screen of its size, so that what a program draws again in place (a progress bar, a
 * display of several lines it moves the cursor up over, as docker or pnpm draw) ends as its last
 * frame. A line is handed out once it can no longer change: it scrolled off the screen, the
 * program went past it ({@link settle}), or the run ended. What the program erased
 * of the screen (`clear`) is handed out before the erase, as a terminal keeps it in its scrollback.
 * Tabs and blanks at a line's end are kept as written (see {@link LinesAsWritten}).
 */
class PlainStream implements TextStream {
  private readonly screen: EmulatedScreen;
  private readonly clears = new ScreenClearScanner();
  private readonly written = createDisplayLines({ maxColumns: PROGRAM_LINE_COLUMNS });
  private readonly asWritten = new LinesAsWritten();
  private readonly echo: CommandEchoFilter;
  private ended = false;

  constructor(echo: CommandEchoFilter, size: TerminalSize) {
    this.echo = echo;
    this.screen = createEmulatedScreen(size, {
      longestLine: PROGRAM_LINE_COLUMNS,
      cutLongLines: true,
    });
  }

  push(data: string): string {
    this.echo.observe(data);
    return this.format(this.draw(data));
  }

  settle(): string {
    const cursorRow = this.screen.cursor().row;
    const settled = Math.min(this.screen.untouchedRows(), cursorRow);
    return this.format(this.screen.scrollToCursorRow(cursorRow - settled));
  }

  resize(size: TerminalSize): void {
    this.screen.resize(size);
  }

  end(): string {
    if (this.ended) return '';
    this.ended = true;
    const lines = this.draw(this.clears.flush());
    this.asWritten.add(stripped(this.written.end()));
    // A program still drawing on the alternate screen (a pager, an editor asking something): the
    // terminal shows that screen now, after what the normal one holds.
    const alternate = this.screen.showsAlternateScreen() ? this.screen.rows() : [];
    return this.format([...lines, ...this.screen.end(), ...alternate]);
  }

  private draw(data: string): string[] {
    const lines: string[] = [];
    for (const piece of this.clears.split(data)) {
      if (piece.kind === 'output') {
        this.asWritten.add(stripped(this.written.push(piece.data)));
        lines.push(...this.screen.push(piece.data));
      } else if (!this.screen.showsAlternateScreen()) lines.push(...this.screen.erasing());
    }
    return lines;
  }

  private format(lines: string[]): string {
    let text = '';
    for (const line of lines) {
      const plain = this.asWritten.take(withoutStyles(line));
      if (this.echo.isDeciding() && this.echo.isEcho(plain)) continue;
      this.echo.stop();
      text += `${plain}\n`;
    }
    return text;
  }
}
