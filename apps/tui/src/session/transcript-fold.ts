import {
  detectShellKind,
  hasVisibleText,
  selectMode,
  type CompletionMode,
} from '@lifeline/run-completion';
import type { SessionEvent } from '@lifeline/protocol';
import stringWidth from 'string-width';
import { AcceptedLineCut, CommandEchoFilter, isCommandEcho } from './command-echo.js';
import { RunInputWait } from './run-input-wait.js';
import { ScreenClearScanner, type ScreenClear } from './screen-clears.js';
import { describeShellEnd } from './shell-end.js';
import { withoutStyles } from '../terminal-sequences.js';
import {
  lineModelScreen,
  type OutputLines,
  type OutputLinesFactory,
  type RunLines,
  type RunLinesFactory,
  type TerminalSize,
} from './output-lines.js';

/** One piece of the transcript, in the order it happened. */
export type TranscriptBlock =
  | {
      readonly id: number;
      readonly kind: 'command';
      readonly runId: string;
      readonly command: string;
      /** Typed by Lifeline for a program (`lifeline exec`, an agent): not by a person at a prompt. */
      readonly byProgram?: true;
      /**
       * The run's command again, under a clear of the screen it made (the clear block at this seq)
       * before it failed: only worth showing where that clear was done.
       */
      readonly afterClearSeq?: number;
    }
  | {
      readonly id: number;
      readonly kind: 'output';
      readonly runId: string | undefined;
      /** The seq of the event whose output ended its lines. */
      readonly seq?: number;
      /** The lines still kept in memory. */
      lines: string[];
      /** Lines of this block dropped to bound memory (they are in the log). */
      hidden: number;
    }
  | {
      readonly id: number;
      readonly kind: 'footer';
      readonly runId: string;
      /**
       * The run's command, when a clear of the screen it made (the clear block at `seq`) took its
       * header away and it printed after that: the footer says what ran.
       */
      readonly afterClear?: { readonly seq: number; readonly command: string };
      readonly outcome:
        | { kind: 'exit'; exitCode: number; durationMs: number }
        /** The shell exited during the run (`how`: its exit code or signal). */
        | { kind: 'shell-exited'; how: string }
        /** Another run started before this one's end was recorded (events went missing). */
        | { kind: 'unfinished' };
    }
  | {
      readonly id: number;
      readonly kind: 'note';
      readonly text: string;
      readonly tone: 'info' | 'warning';
      /** Bytes of output dropped on a full disk that this note counts (notes in a row are one). */
      readonly droppedBytes?: number;
    }
  | {
      readonly id: number;
      /**
       * A run, or the shell at its prompt, erased the whole screen (`clear`, Ctrl+L): a terminal
       * shows nothing of what came before it. After an erase of the scrollback too, the blocks
       * before it are dropped (the log keeps them).
       */
      readonly kind: 'clear';
      readonly clear: ScreenClear;
      /** Seq of the output event that erased it. */
      readonly seq: number;
    };

/** The run in progress. */
export interface LiveRun {
  readonly runId: string;
  readonly command: string;
  readonly startSeq: number;
  /** Event time of its `run_start`, in ms since the epoch. */
  readonly startedAt: number;
  /**
   * The rows its screen shows now (those that left it are in the transcript), without the shell's
   * echo of the command line; down to the cursor's while {@link cursor} shows it.
   */
  readonly screen: readonly string[];
  /**
   * For each row of {@link screen}: whether its line goes on on the next row (the program's
   * terminal wrapped it there). @default none
   */
  readonly screenContinued?: readonly boolean[] | undefined;
  /**
   * Rows at the top of its terminal's screen left out of {@link screen}: the end of a line in the
   * transcript already, and the shell's echo of the command line. @default 0
   */
  readonly rowsLeftOut?: number | undefined;
  /**
   * Where the program's cursor is, its row among {@link screen} and its column, when its terminal
   * shows it there: not while the program hides it, nor while it is on the echo left out.
   */
  readonly cursor?: { readonly row: number; readonly column: number } | undefined;
  /**
   * Whether the next lines of output may still be the shell's echo of the command line (which the
   * transcript leaves out, as the header shows the command).
   */
  readonly awaitingEcho: boolean;
  /**
   * Whether it waits for someone to type: its session's host said so (`input_wait`) after the last
   * thing it printed or was handed (see {@link RunInputWait}).
   */
  readonly waitsForInput: boolean;
  /**
   * When its last wait for someone to type ended without a line typed (see
   * {@link RunInputWait.endedWithoutLine}): a number telling that end from earlier ones.
   */
  readonly waitEndedWithoutLine: number | undefined;
}

/**
 * The shell's own line editor between runs, as its terminal shows it: the prompt and the line
 * being edited (completion lists, reverse search and all), drawn on a screen of their own.
 */
export interface PromptScreen {
  /** Its rows down to the cursor's (or to the last that shows something, if lower). */
  readonly rows: readonly string[];
  /** Where the cursor is: its row among `rows`, and its column. */
  readonly cursor: { readonly row: number; readonly column: number };
}

/** The transcript as of the last applied event. */
export interface TranscriptSnapshot {
  /** Changes whenever an event is applied. */
  readonly version: number;
  readonly sid: string | undefined;
  readonly lastSeq: number;
  /** Blocks still in memory, oldest first (ids are contiguous). */
  readonly blocks: readonly TranscriptBlock[];
  /** Blocks dropped from the front to bound memory. */
  readonly droppedBlocks: number;
  readonly live: LiveRun | undefined;
  /** Whether the session's shell is running. */
  readonly hostLive: boolean;
  /** The shell's cwd as of its last completed run or start. */
  readonly cwd: string | undefined;
  /** Commands of every run, oldest first: the input line's history. */
  readonly history: readonly string[];
  /**
   * Whether the session's shell edits its command lines itself (bash, zsh and fish with their
   * prompt hooks): keys typed between runs are the shell's, and {@link prompt} shows its line.
   * Known once the shell is (see {@link TranscriptFold.setShell}).
   */
  readonly shellEditsLines: boolean | undefined;
  /** The shell's prompt and edit line between runs, when it edits its lines itself. */
  readonly prompt: PromptScreen | undefined;
  /**
   * Whether the shell has drawn its prompt (or started a command) since its host started. Until it
   * has, keys typed at it wait unechoed for its line editor, which shows them with its prompt.
   */
  readonly shellPrompted: boolean;
  /**
   * Whether the session's disk was full at its last word on it (`note {condition: 'disk_full'}`
   * and no `disk_space_returned` or new host since): its log is held in memory meanwhile.
   */
  readonly diskFull: boolean;
}

/** What {@link TranscriptFold.apply} did with an event. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

/**
 * Output lines of one run kept in memory unless told otherwise: as many as a terminal's history
 * commonly holds, so that a fast command's output (a build log, `cat` of a file) can be scrolled
 * back to its start, however fast it came.
 */
export const DEFAULT_MAX_LINES_PER_RUN = 10_000;

/** Output lines kept in memory across runs unless told otherwise: the oldest runs go first. */
export const DEFAULT_MAX_LINES = 50_000;

/** Options of {@link TranscriptFold}. */
export interface TranscriptFoldOptions {
  sid: string | undefined;
  /** Makes the line model of the output between runs. */
  createLines: OutputLinesFactory;
  /** Makes the screen of each run, the size of the session's terminal. @default one line of `createLines` */
  createRunLines?: RunLinesFactory;
  /** Most output lines kept in memory per run. @default 10000 */
  maxLinesPerRun?: number;
  /** Runs whose blocks stay in memory. @default 200 */
  maxRuns?: number;
  /**
   * Most output lines kept in memory across runs: past it, as a run starts, the oldest runs' blocks
   * go (never the last run's). @default 50000
   */
  maxLines?: number;
  /**
   * Draws what a shell that edits its own lines shows between runs (its prompt and edit line) on
   * a screen of its own ({@link TranscriptSnapshot.prompt}) instead of telling its prompt apart in
   * the transcript: only what a terminal keeps of that screen above the next command line (a
   * job's output, what the line editor printed and left above the line, a job's report) reaches
   * the transcript. @default false
   */
  promptScreen?: boolean;
  /**
   * What a clear of the scrollback erased stays in the transcript: the blocks before it, and the
   * lines a run's screen showed (as for a clear of the screen alone). A replay prints everything
   * the session showed; a terminal shows none of that again. @default false
   */
  keepCleared?: boolean;
}

interface LiveState {
  runId: string;
  command: string;
  startSeq: number;
  startedAt: number;
  lines: RunLines;
  /** Lines its screen handed out so far, the echo included. */
  linesOut: number;
  /** Recognises the shell's echo of the command among the run's first lines. */
  echo: CommandEchoFilter;
  /** Cuts off the line editor's drawing of a command Lifeline typed, however wide (see {@link AcceptedLineCut}). */
  acceptedLine: AcceptedLineCut | undefined;
  keptLines: number;
  blocks: Extract<TranscriptBlock, { kind: 'output' }>[];
  /**
   * Notes that came while it ran (a host that died under it, a full disk): they go under its
   * output when it ends, after what it printed before them.
   */
  notes: Extract<TranscriptBlock, { kind: 'note' }>[];
  /** The seq of the last clear of the screen its output made, if it made one. */
  clearedAtSeq?: number;
  /** See {@link LiveRun.waitsForInput}. */
  inputWait: RunInputWait;
  /** Its output says where output was dropped on a full disk, and it printed nothing since. */
  gapMarked: boolean;
}

/**
 * The transcript as a fold over a session's events: every view of a session — live, replayed
 * after a reconnect, or rebuilt from the whole log — is `events.reduce(apply)`, so applying a log
 * in any number of batches gives the same transcript. Events it already has are ignored; an event
 * after a gap is refused so the caller can fetch what is missing.
 */
export class TranscriptFold {
  private readonly options: Required<Omit<TranscriptFoldOptions, 'sid'>> & {
    sid: string | undefined;
  };
  /** The size of the session's terminal, as its last `resize` event said. */
  private size: TerminalSize = { cols: 80, rows: 24 };
  private seq = -1;
  /** The type of the event applied last (see {@link applyMoreOutput}). */
  private lastAppliedType: SessionEvent['type'] | undefined;
  private version = 0;
  private nextBlockId = 0;
  private blocks: TranscriptBlock[] = [];
  private droppedBlocks = 0;
  private runStarts: number[] = [];
  private live: LiveState | undefined;
  private idle: OutputLines;
  private hostLive = false;
  private hostStarts = 0;
  private cwd: string | undefined;
  private diskFull = false;
  private history: string[] = [];
  /**
   * Whether `blocks` and `history` were handed out in a snapshot: they are copied before the next
   * change, so that a snapshot never changes. One taken before a run ended (a frame still being
   * drawn from it) must not show the run's result while it says the run goes on: keys typed then
   * would go to a program that is gone.
   */
  private shared = false;
  /** Whether the shell has shown something (its prompt) since its last run ended or it started. */
  private promptShown = false;
  /** See {@link TranscriptSnapshot.shellPrompted}: a log read from its middle has no start to wait for. */
  private shellPrompted = true;
  /**
   * Whether the shell marks where its prompts begin and end (`prompt_start`, `prompt_end`: bash
   * does), as seen since its host started: its prompt is told by them, not by when output comes.
   */
  private promptMarks = false;
  /**
   * After a run ended, or once the shell said it is ready (`shell_ready`), the shell draws its
   * prompt next (`prompt`): the output up to its first unfinished line (where the shell reads the
   * next command) is the prompt, all of it, however many pieces it comes in; complete lines before
   * that are held ({@link promptLines}) until it says which they were. After a job's report (zsh
   * draws its prompt again below it), or when what came looks like no prompt (too many lines, too
   * late), the prompt may still come: output that ends in an unfinished line is taken for it, with
   * the complete lines it brings (its upper lines) (`unfinished-line`). After the shell started
   * without saying (`after-start`: logs of shells without prompt frames), only output that
   * completes no line is taken for it (the shell may greet first). The transcript shows no prompts: its lines are left
   * out, and when output continues the unfinished one (a background job's), the line starts afresh
   * without it. A shell without a prompt (see {@link setShell}) has no such output.
   */
  private awaitingPrompt: 'prompt' | 'unfinished-line' | 'after-start' | undefined;
  /**
   * Complete lines printed while the prompt is due: the upper lines of a prompt whose last line is
   * still to come, or a report of a finished job. Held until the prompt's last line says which.
   */
  private promptLines: string[] = [];
  /** When the prompt became due (the time of the event that said so). */
  private promptDueAt = 0;
  private idleHoldsPrompt = false;
  /** Whether the session's shell draws a prompt between runs (see {@link setShell}). */
  private drawsPrompt = true;
  /** Whether the session's shell edits its command lines itself (see {@link setShell}). */
  private shellEditsLines: boolean | undefined;
  /** The screen the shell draws its prompt and edit line on, between runs (see {@link TranscriptFoldOptions.promptScreen}). */
  private prompt: RunLines | undefined;
  /** The prompt screen's row where bash said its prompt begins, until it says where it ends. */
  private promptStartRow: number | undefined;
  /**
   * When the prompt screen first showed something; where its cursor was once the prompt was drawn
   * (see {@link notePromptOutput}), and at the first key typed after that: what was printed
   * between the two is a background job's output, not the prompt nor the line editor's.
   */
  private promptDrawn:
    | {
        at: number;
        end: ScreenPoint | undefined;
        firstKey: ScreenPoint | undefined;
        /** The row the prompt began on, where the shell says (bash): its rows down to `end`'s. */
        start?: ScreenPoint;
        /**
         * The row the prompt began on when the shell drew it again under the line left (Ctrl+C),
         * where it says (bash): from there on, the prompt the command line was typed at.
         */
        startAgain?: ScreenPoint;
        /**
         * The prompt's rows as they were when it ended (styles stripped), the last one the row of
         * `end`: a right part of the prompt stays right of `end`, and a shell may draw the prompt
         * again under a job's report (zsh, fish).
         */
        promptRows: string[];
        /** The column the prompt ended at (`end`'s, kept once `end` left the top of the screen). */
        promptColumn?: number;
        /**
         * Rows that scrolled off the top after the first key, oldest first, held until the run's
         * command line tells whether they are a list the line editor printed above it or the
         * start of the line itself (a long paste); no more than the line can take (see `typed`).
         * The points count them as rows above the screen's first: they stay where they were.
         */
        held: string[];
        /** What was typed from the first key on: its length, and the line ends in it. */
        typed?: { length: number; lineEnds: number };
        /**
         * The screen changed its width since: its rows were wrapped again (and the shell may have
         * drawn its prompt again under what is left of it), so `end` no longer says where the
         * prompt ends; above the first key typed since (`firstKey` is made again at the new
         * width), only a job's report is told from the prompt then.
         */
        rewrapped?: boolean;
      }
    | undefined;
  /**
   * The keys typed at the prompt screen before the prompt showed, as they came (one key an event,
   * or a line at once): the row the shell drew their first line on is where the line editor's
   * rows start (see the `input` event).
   */
  private typedAhead = '';
  /** Finds the erases of the whole screen in the output drawn on a screen (a run's, the prompt's). */
  private readonly screenClears = new ScreenClearScanner();

  constructor(options: TranscriptFoldOptions) {
    this.options = {
      maxLinesPerRun: DEFAULT_MAX_LINES_PER_RUN,
      maxRuns: 200,
      maxLines: DEFAULT_MAX_LINES,
      promptScreen: false,
      keepCleared: false,
      createRunLines: lineModelScreen(options.createLines),
      ...options,
    };
    this.idle = options.createLines();
  }

  /**
   * Tells the fold which shell the session runs (its path) and, when its host says, the mode its
   * runs are told apart in. A shell in postamble mode has an empty `PS1`: output after a run is
   * never taken for its prompt, and an unfinished line of its is kept when the next run starts.
   * Without the mode it is the one the shell's kind gets (a bash taken for a recent one). Shells
   * run as they are draw their own prompt.
   */
  setShell(shellPath: string, mode?: CompletionMode): void {
    const kind = detectShellKind(shellPath);
    const hooked =
      (mode ?? (kind === 'bash' ? 'prompt-hook' : selectMode({ kind }))) === 'prompt-hook';
    this.drawsPrompt = kind === 'unknown' || hooked;
    this.shellEditsLines = hooked && (kind === 'bash' || kind === 'zsh' || kind === 'fish');
    if (!this.drawsPrompt) {
      this.awaitingPrompt = undefined;
      this.idleHoldsPrompt = false;
    }
  }

  /**
   * The log ends here (a replay of a session whose shell is still at its prompt): what a job
   * printed on the prompt screen goes to the transcript, as it would once the next run starts.
   * Nothing may be applied after.
   */
  logEnds(): void {
    this.endPromptScreen();
  }

  /**
   * Leaves out the session's history through `skip.throughSeq` (a long log, of which only the last
   * stretch is read), said by the note `text` at the top. `skip.context` holds events left out that
   * what follows is folded with (the shell then, its terminal's size, and the start of a long run
   * the stretch begins in): they are applied. Only before the first event.
   */
  skipHistory(skip: { throughSeq: number; context: readonly SessionEvent[] }, text: string): void {
    if (this.seq !== -1) return;
    this.addBlock({ id: 0, kind: 'note', text, tone: 'info' });
    for (const event of skip.context) {
      if (event.seq <= this.seq || event.seq > skip.throughSeq) continue;
      this.seq = event.seq - 1;
      this.apply(event);
    }
    // Shown from the middle of a run: what comes first is its output, not the shell's echo of it.
    if (this.live) {
      this.live.echo.stop();
      this.live.acceptedLine = undefined;
    }
    this.seq = skip.throughSeq;
    this.lastAppliedType = undefined;
    this.version += 1;
  }

  /**
   * Applies more output of the event applied last, an output event (the same seq): a long piece
   * of output applied in parts, each when the event loop gives it its turn. 'duplicate' (nothing
   * done) when the event applied last is another.
   */
  applyMoreOutput(event: SessionEvent): ApplyOutcome {
    if (event.type !== 'output' || event.seq !== this.seq || this.lastAppliedType !== 'output')
      return 'duplicate';
    this.version += 1;
    this.applyOutput(event);
    return 'applied';
  }

  private applyOutput(event: Extract<SessionEvent, { type: 'output' }>): void {
    if (this.live) {
      const live = this.live;
      live.gapMarked = false;
      live.inputWait.printed(event.data);
      const step = live.acceptedLine?.push(event.data) ?? { text: event.data, cut: false };
      if (step.cut) live.echo.stop();
      live.echo.observe(step.text);
      // Once the echo is told apart, a flood's lines that would be dropped at once are not made.
      const keep = live.echo.isDeciding() ? Number.POSITIVE_INFINITY : this.options.maxLinesPerRun;
      this.pushToScreen(
        live.lines,
        step.text,
        (lines, dropped) => {
          this.addRunLines(live, lines, dropped);
        },
        keep,
      );
    } else if (this.prompt) {
      this.pushToScreen(
        this.prompt,
        event.data,
        (lines) => {
          this.promptLinesLeft(lines);
        },
        Number.POSITIVE_INFINITY,
        (data) => {
          this.notePromptOutput(data, event.time);
        },
      );
      this.promptDrawnAgainBelow();
    } else {
      this.addIdleOutput(event.data, event.time);
    }
  }

  /** Seq of the last event applied; -1 before the first. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Applies the next event of the session. */
  apply(event: SessionEvent): ApplyOutcome {
    if (event.seq <= this.seq) return 'duplicate';
    if (event.seq !== this.seq + 1) return 'gap';
    this.seq = event.seq;
    this.lastAppliedType = event.type;
    this.version += 1;
    switch (event.type) {
      case 'run_start': {
        this.shellPrompted = true;
        this.endLiveRun({ kind: 'unfinished' });
        // What was printed between the runs goes with the run that follows (kept as long as it).
        const firstBlockId = this.nextBlockId;
        const printedSinceLine = this.endPromptScreen(event.command);
        // What a shell with a prompt left unfinished is its prompt; a promptless one's is output.
        this.addIdleLines(this.takePromptLines().filter((line) => jobNotice.test(line)));
        if (this.drawsPrompt) this.idle.end();
        else this.addIdleLines(this.idle.end());
        this.idle = this.options.createLines();
        this.idleHoldsPrompt = false;
        this.awaitingPrompt = undefined;
        this.startRun(
          event.runId,
          event.command,
          event.seq,
          event.time,
          (event.origin ?? 'lifeline') === 'lifeline' && event.typedBy !== 'person',
          firstBlockId,
        );
        // A line the shell read itself was echoed by its line editor before it reported the run.
        if (event.origin === 'shell') this.live?.echo.stop();
        else if (this.live) this.live.acceptedLine = new AcceptedLineCut(this.live.echo.holdLimit);
        if (this.live && printedSinceLine.length > 0) this.addRunLines(this.live, printedSinceLine);
        break;
      }
      case 'output':
        this.applyOutput(event);
        break;
      case 'run_complete':
        if (this.live?.runId === event.runId) {
          this.endLiveRun({ kind: 'exit', exitCode: event.exitCode, durationMs: event.durationMs });
        }
        this.cwd = event.cwd;
        this.promptShown = false;
        this.expectPrompt(event.time);
        break;
      case 'shell_ready':
        if (event.cwd !== undefined) this.cwd = event.cwd;
        // What the shell printed before is output (a greeting), but for a last line it left
        // unfinished: a prompt drawn before the shell was ready (zsh's instant prompt, say).
        this.addIdleLines(this.takePromptLines());
        this.idle = this.options.createLines();
        this.idleHoldsPrompt = false;
        this.promptShown = false;
        this.expectPrompt(event.time);
        break;
      case 'prompt_start':
        this.promptStarts();
        break;
      case 'prompt_end':
        this.promptEnds(event.time);
        break;
      case 'host_exit':
        this.endPromptScreen();
        // Lines held as a prompt's may not be one: the prompt they waited for never came.
        this.addIdleLines(this.takePromptLines());
        // What the shell left unfinished between runs is its prompt: not part of the transcript.
        if (this.live)
          this.endLiveRun({
            kind: 'shell-exited',
            how: describeShellEnd(event.code, event.signal),
          });
        else
          this.addBlock({
            id: 0,
            kind: 'note',
            text: `the session's shell exited (${describeShellEnd(event.code, event.signal)})`,
            tone: 'warning',
          });
        this.idle = this.options.createLines();
        this.idleHoldsPrompt = false;
        this.hostLive = false;
        break;
      case 'host_start':
        this.hostStarts += 1;
        if (this.hostStarts > 1)
          this.addBlock({ id: 0, kind: 'note', text: `new shell in ${event.cwd}`, tone: 'info' });
        this.hostLive = true;
        // It wrote its start: the disk had room.
        this.diskFull = false;
        this.promptShown = false;
        this.shellPrompted = false;
        this.promptMarks = false;
        this.awaitingPrompt = this.drawsPrompt ? 'after-start' : undefined;
        this.cwd = event.cwd;
        break;
      case 'note': {
        // A note without text only takes up a seq the log lost (see its schema): nothing to show.
        if (event.text === '') break;
        this.addIdleLines(this.takePromptLines());
        if (event.condition === 'disk_full' || event.condition === 'disk_space_returned')
          this.diskFull = event.condition === 'disk_full';
        if (event.condition === 'output_dropped') {
          if (this.live) this.markDroppedOutput(this.live);
          this.addDroppedOutput(event.lostBytes ?? 0);
          break;
        }
        const note: Extract<TranscriptBlock, { kind: 'note' }> = {
          id: 0,
          kind: 'note',
          text: event.text,
          tone: event.condition === 'disk_full' ? 'warning' : 'info',
        };
        if (this.live) this.live.notes.push(note);
        else this.addBlock(note);
        break;
      }
      case 'resize': {
        const untouched =
          event.cols !== this.size.cols ? this.untouchedPrompt(event.cols) : undefined;
        if (
          this.prompt &&
          this.promptDrawn &&
          event.cols !== this.size.cols &&
          untouched === undefined &&
          !this.promptRowsLeaveBeforeRewrap()
        ) {
          // The rows held so far are sorted with the points made at the old width; the next key
          // marks where the line editor's rows start at the new one.
          this.releaseHeldPromptRows();
          this.promptDrawn.rewrapped = true;
          this.promptDrawn.firstKey = undefined;
        }
        this.size = { cols: event.cols, rows: event.rows };
        this.live?.lines.resize(this.size);
        this.prompt?.resize(this.size);
        // A prompt nothing was typed at ends where the cursor is at the new width too (the screen
        // keeps the cursor on its character): it is told as before, its rows as wrapped now.
        if (untouched && this.promptDrawn?.end) {
          const end = this.prompt?.cursor?.();
          this.endPrompt(this.promptDrawn, end);
          if (end && this.promptDrawn.start)
            this.promptDrawn.start = { row: Math.max(0, end.row - untouched.rowsAbove), column: 0 };
        }
        break;
      }
      case 'input': {
        this.live?.inputWait.typed(event.data);
        // A key typed at the prompt: the prompt is drawn, and what follows is the line editor's.
        const drawn = this.promptDrawn;
        if (this.prompt && drawn === undefined) {
          this.typedAhead += event.data;
        } else if (this.prompt && drawn && drawn.firstKey === undefined) {
          // Keys typed before the prompt showed were drawn with it: the line editor's rows start
          // at their line (one the shell kept to be fixed, with its error under it, say).
          const typed = typedLine(this.typedAhead);
          drawn.firstKey =
            (typed === undefined ? undefined : rowEndingWith(this.prompt.rows(true), typed)) ??
            this.prompt.cursor?.();
          if (drawn.end === undefined) this.endPrompt(drawn, drawn.firstKey);
          drawn.typed = { length: typed?.length ?? 0, lineEnds: 0 };
        }
        if (drawn?.typed) {
          drawn.typed.length += event.data.length;
          drawn.typed.lineEnds += event.data.split(/\r\n?|\n/).length - 1;
        }
        break;
      }
      case 'input_wait':
        if (this.live?.runId === event.runId) this.live.inputWait.began();
        break;
    }
    return 'applied';
  }

  /**
   * The transcript now. It stays as it is while events are applied after it, except for the lines
   * a long run drops from its oldest blocks to bound memory. Treat it as read-only.
   */
  snapshot(): TranscriptSnapshot {
    this.shared = true;
    return {
      version: this.version,
      sid: this.options.sid,
      lastSeq: this.seq,
      blocks: this.blocks,
      droppedBlocks: this.droppedBlocks,
      live: this.liveRun,
      hostLive: this.hostLive,
      cwd: this.cwd,
      history: this.history,
      shellEditsLines: this.shellEditsLines,
      prompt: this.promptSnapshot(),
      shellPrompted: this.shellPrompted,
      diskFull: this.diskFull,
    };
  }

  private promptSnapshot(): PromptScreen | undefined {
    if (!this.prompt) return undefined;
    const rows = this.prompt.rows(true);
    const cursor = this.prompt.cursor?.() ?? {
      row: rows.length - 1,
      column: 0,
    };
    return { rows, cursor };
  }

  /**
   * Where the cursor of the session's terminal is, as this fold draws what it shows: on the running
   * run's screen, else on the prompt's (row and column from 0).
   */
  terminalCursor(): { row: number; column: number } | undefined {
    return this.live ? this.live.lines.cursor?.() : this.prompt?.cursor?.();
  }

  /** See {@link TranscriptSnapshot.shellPrompted}, without taking a snapshot. */
  get shellHasPrompted(): boolean {
    return this.shellPrompted;
  }

  /** The running run as a snapshot shows it, without taking one (which costs a copy later). */
  get liveRun(): LiveRun | undefined {
    const live = this.live;
    if (!live) return undefined;
    const cursor = live.lines.cursorHidden?.() === false ? live.lines.cursor?.() : undefined;
    // A shown cursor is drawn where it is, on a blank row under the output too, as a terminal shows it.
    const screen = screenWithoutEcho(live, cursor !== undefined);
    const cursorRow = cursor ? cursor.row - screen.rowsLeftOut : -1;
    return {
      runId: live.runId,
      command: live.command,
      startSeq: live.startSeq,
      startedAt: live.startedAt,
      screen: screen.rows,
      screenContinued: live.lines
        .rowsContinued?.(screen.rowsLeftOut + screen.rows.length)
        .slice(screen.rowsLeftOut),
      rowsLeftOut: screen.rowsLeftOut,
      cursor: cursor && cursorRow >= 0 ? { row: cursorRow, column: cursor.column } : undefined,
      awaitingEcho: live.echo.isDeciding(),
      waitsForInput: live.inputWait.waits,
      waitEndedWithoutLine: live.inputWait.endedWithoutLine,
    };
  }

  /**
   * The running run's screen down to the cursor (which ends its last row): what the user sees of it
   * as the terminal is handed to it, and where its output continues.
   */
  liveScreenThroughCursor(): string[] {
    return this.live ? screenWithoutEcho(this.live, true).rows : [];
  }

  /**
   * The user saw the running run's screen on the terminal itself (attached to it): the rows above
   * the cursor's go to the transcript, as shown already, and its screen goes on from the cursor's
   * row (the line the program is writing, which the TUI draws again).
   */
  liveRowsShownAboveCursor(): void {
    const live = this.live;
    const lines = live?.lines.scrollToCursorRow?.() ?? [];
    if (!live || lines.length === 0) return;
    this.version += 1;
    this.addRunLines(live, lines);
  }

  /** The shell's cwd as of its last completed run or start. */
  get shellCwd(): string | undefined {
    return this.cwd;
  }

  private startRun(
    runId: string,
    command: string,
    startSeq: number,
    startedAt: number,
    byProgram: boolean,
    firstBlockId: number,
  ): void {
    this.runStarts.push(firstBlockId);
    this.addBlock({ id: 0, kind: 'command', runId, command, ...(byProgram ? { byProgram } : {}) });
    this.history.push(command);
    this.live = {
      runId,
      command,
      startSeq,
      startedAt,
      lines: this.options.createRunLines(this.size),
      linesOut: 0,
      echo: new CommandEchoFilter(command, { promptShown: this.promptShown }),
      keptLines: 0,
      blocks: [],
      notes: [],
      acceptedLine: undefined,
      inputWait: new RunInputWait(),
      gapMarked: false,
    };
    this.promptShown = false;
    this.dropOldRuns();
  }

  private endLiveRun(outcome: Extract<TranscriptBlock, { kind: 'footer' }>['outcome']): void {
    const live = this.live;
    if (!live) return;
    const held = live.acceptedLine?.end() ?? '';
    if (held !== '') {
      live.echo.observe(held);
      this.pushToScreen(live.lines, held, (lines) => {
        this.addRunLines(live, lines);
      });
    }
    this.addRunLines(live, live.lines.push(this.screenClears.flush()));
    this.addRunLines(live, live.lines.end());
    this.live = undefined;
    const clear = this.blocks.at(-1);
    for (const note of live.notes) this.addBlock(note);
    // A run that succeeded in clearing the screen (`clear`) leaves it clear, as in a terminal.
    if (clear?.kind === 'clear' && outcome.kind === 'exit' && outcome.exitCode === 0) return;
    // One that failed after it (`clear; false`) says which command failed, on the clear screen.
    if (clear?.kind === 'clear')
      this.addBlock({
        id: 0,
        kind: 'command',
        runId: live.runId,
        command: live.command,
        afterClearSeq: clear.seq,
      });
    const { clearedAtSeq } = live;
    this.addBlock({
      id: 0,
      kind: 'footer',
      runId: live.runId,
      outcome,
      // What it printed after a clear (`clear; make`) stands under no header: the footer names it.
      ...(clearedAtSeq === undefined || clear?.kind === 'clear'
        ? {}
        : { afterClear: { seq: clearedAtSeq, command: live.command } }),
    });
  }

  /**
   * Output dropped on a full disk, one note per piece the host could not hold: the pieces a run
   * dropped are one line under its output, which counts them all (a flood drops hundreds).
   */
  private addDroppedOutput(bytes: number): void {
    const notes = this.live?.notes;
    const last = notes?.at(-1);
    const total = (last?.droppedBytes ?? 0) + bytes;
    const note: Extract<TranscriptBlock, { kind: 'note' }> = {
      id: 0,
      kind: 'note',
      text: `${total} bytes of output were dropped: the disk was full`,
      tone: 'warning',
      droppedBytes: total,
    };
    if (notes === undefined) {
      this.addBlock(note);
      return;
    }
    if (last?.droppedBytes !== undefined) notes.pop();
    notes.push(note);
  }

  /**
   * Where output was dropped on a full disk, the run's output says so on a line of its own: the line
   * cut there ends, and what the run printed once there was room starts on the next (one mark for
   * the pieces dropped in a row). Not on the alternate screen: a program's screen is not the
   * transcript's.
   */
  private markDroppedOutput(live: LiveState): void {
    if (live.gapMarked || live.lines.showsAlternateScreen?.() === true) return;
    live.gapMarked = true;
    const cut = live.lines.partial !== '' || (live.lines.cursor?.().column ?? 0) > 0;
    this.pushToScreen(
      live.lines,
      `${cut ? '\r\n' : ''}${droppedOutputMark}\r\n`,
      (lines, dropped) => {
        this.addRunLines(live, lines, dropped);
      },
      this.options.maxLinesPerRun,
    );
  }

  /** Adds lines of the live run's output, after `dropped` lines of it that were not kept. */
  private addRunLines(live: LiveState, completed: string[], dropped = 0): void {
    live.linesOut += dropped + completed.length;
    // The header already shows the command: the shell's echo of it is left out.
    let lines = completed;
    while (live.echo.isDeciding() && lines.length > 0 && live.echo.isEcho(lines[0] ?? ''))
      lines = lines.slice(1);
    if (lines.length === 0 && dropped === 0) return;
    const block = {
      id: 0,
      kind: 'output' as const,
      runId: live.runId,
      seq: this.seq,
      lines,
      hidden: dropped,
    };
    this.addBlock(block);
    live.blocks.push(block);
    live.keptLines += lines.length;
    // Bound memory: drop the oldest lines of this run; the log still has them.
    for (
      let index = 0;
      live.keptLines > this.options.maxLinesPerRun && index < live.blocks.length;
      index += 1
    ) {
      const oldest = live.blocks[index];
      if (!oldest || oldest.lines.length === 0) continue;
      const drop = Math.min(oldest.lines.length, live.keptLines - this.options.maxLinesPerRun);
      oldest.lines = oldest.lines.slice(drop);
      oldest.hidden += drop;
      live.keptLines -= drop;
    }
  }

  private addIdleOutput(data: string, time: number): void {
    if (this.idleHoldsPrompt) {
      // Output after the prompt starts a line of its own.
      this.idle = this.options.createLines();
      this.idleHoldsPrompt = false;
    }
    const lines = this.idle.push(data);
    // Too late to be the prompt's upper lines: what was held is a job's output.
    if (this.awaitingPrompt === 'prompt' && time - this.promptDueAt > maxPromptDrawMs)
      this.releasePromptLines();
    if (
      this.awaitingPrompt === 'prompt' &&
      (this.idle.partial.trim() === '' || !hasVisibleText(data))
    ) {
      // Complete lines, or nothing visible: the prompt's upper lines, or a job's report; its last
      // line tells. (The line editor has not started yet, so the prompt is not shown: a command
      // typed now is echoed twice, see CommandEchoFilter.)
      this.promptLines.push(...lines);
      // More than a prompt has: a job's output.
      if (this.promptLines.length > maxPromptLines) this.releasePromptLines();
      return;
    }
    if (!hasVisibleText(data)) {
      this.addIdleLines(lines);
      return;
    }
    this.promptShown = true;
    const unfinished = this.idle.partial.trim() !== '';
    const awaiting = this.awaitingPrompt;
    this.awaitingPrompt = undefined;
    const lastReport = this.drawsPrompt ? lines.findLastIndex((line) => jobNotice.test(line)) : -1;
    if (awaiting === 'prompt' || (awaiting === 'unfinished-line' && unfinished)) {
      // The prompt, all of it; the shell reports finished background jobs right before it. More
      // lines than a prompt has came with a job's output in the same piece: they are all shown.
      this.holdPrompt();
      const upper = [...this.takePromptLines(), ...lines];
      this.addIdleLines(
        upper.length > maxPromptLines ? upper : upper.filter((line) => jobNotice.test(line)),
      );
    } else if (awaiting === 'after-start' && unfinished && lines.length === 0) {
      this.holdPrompt();
    } else if (lastReport !== -1 && unfinished) {
      // A job's report, then the prompt drawn again below it (zsh).
      this.holdPrompt();
      this.addIdleLines(lines.slice(0, lastReport + 1));
    } else {
      // A job's report as the last line: the prompt drawn again may come next.
      if (lastReport !== -1 && lastReport === lines.length - 1)
        this.awaitingPrompt = 'unfinished-line';
      this.addIdleLines(lines);
    }
  }

  /**
   * The shell begins to draw its prompt (bash says where). What its prompt hooks printed before it
   * (a blank line, a line of a theme's) is shown with the prompt and left out as the prompt is;
   * more complete lines than a prompt has above its last are a job's (printed while the hooks
   * ran): they go to the transcript, and the prompt follows them.
   */
  private promptStarts(): void {
    this.promptMarks = true;
    const prompt = this.prompt;
    if (!prompt) return;
    const drawn = this.promptDrawn;
    if (drawn?.end !== undefined) {
      // Drawn again (Ctrl+C at the prompt, Enter on an empty line, a new line under the one left):
      // the rows above it are the line editor's, kept as a terminal keeps them, and the prompt
      // screen starts afresh from here. Where they cannot leave it yet (a line longer than the
      // screen), those from here on are the prompt's.
      // (Rows held above the screen count as its own, see `held`.)
      const row = prompt.cursor?.().row;
      if (row === undefined) return;
      const start = row + drawn.held.length;
      if (this.promptRowsLeave(start, drawn.start?.row ?? drawn.end.row)) {
        this.promptDrawn = undefined;
        this.promptStartRow = 0;
      } else drawn.startAgain = { row: start, column: 0 };
      return;
    }
    this.jobRowsLeavePromptScreen(prompt);
    this.promptStartRow = prompt.cursor?.().row;
  }

  /**
   * More rows above the cursor of the prompt screen than a prompt has above its last: a job's
   * output, printed before the prompt (while the shell's prompt hooks ran). They go to the
   * transcript, and the prompt, still to come, is looked for afresh.
   * @returns whether they went
   */
  private jobRowsLeavePromptScreen(prompt: RunLines): boolean {
    if ((prompt.cursor?.().row ?? 0) <= maxPromptLines || !prompt.scrollToCursorRow) return false;
    this.addIdleLines(prompt.scrollToCursorRow());
    this.promptDrawn = undefined;
    return true;
  }

  /** The prompt is drawn (bash says where it ends): it ends where the cursor is. */
  private promptEnds(time: number): void {
    const prompt = this.prompt;
    if (!prompt || this.promptDrawn?.end !== undefined) return;
    this.shellPrompted = true;
    this.promptDrawn ??= {
      at: time,
      end: undefined,
      firstKey: undefined,
      promptRows: [],
      held: [],
    };
    if (this.promptStartRow !== undefined)
      this.promptDrawn.start = { row: this.promptStartRow, column: 0 };
    this.promptStartRow = undefined;
    this.endPrompt(this.promptDrawn, prompt.cursor?.());
  }

  /** The idle output's unfinished line is the shell's prompt. */
  private holdPrompt(): void {
    this.idleHoldsPrompt = true;
    this.shellPrompted = true;
  }

  /** The shell draws its prompt next (see {@link awaitingPrompt}), from `time` on. */
  private expectPrompt(time: number): void {
    this.awaitingPrompt = this.drawsPrompt ? 'prompt' : undefined;
    this.promptDueAt = time;
    if (this.options.promptScreen && this.shellEditsLines === true) {
      this.endPromptScreen();
      this.awaitingPrompt = undefined;
      this.prompt = this.options.createRunLines(this.size, { lineEditor: true });
    }
  }

  /**
   * The prompt screen is done with (a run started, the shell exited): what stays in the transcript
   * is what a terminal keeps above the run's command line (which the run's header repeats): what a
   * background job printed after the prompt was drawn, what the line editor printed for the keys
   * and left above the line (a completion list, the row it was asked for on), and the shell's
   * reports of finished jobs. What the line editor erased (a list under the line, a search drawn
   * in place) is no longer on the screen. With the `command` of a run starting, returns the lines
   * printed under its command line: what the shell said of the line before it reported the run (a
   * syntax error).
   */
  private endPromptScreen(command?: string): string[] {
    const prompt = this.prompt;
    if (!prompt) return [];
    const drawn = this.promptDrawn;
    this.prompt = undefined;
    this.promptDrawn = undefined;
    this.promptStartRow = undefined;
    this.typedAhead = '';
    prompt.push(this.screenClears.flush());
    // Rows held above the screen count as its own (see the points' `held`).
    const held = drawn?.held ?? [];
    const screenCursor = prompt.cursor?.();
    const cursor = screenCursor && { ...screenCursor, row: screenCursor.row + held.length };
    const lines = [...held, ...prompt.end()];
    // The command line is where the command's lines end, each on a row of its own (a heredoc's
    // body, a quoted line end): the first row ending with its last line may be its first line.
    // One with the prompt before the command goes first: a line typed before the line editor
    // started is on the screen twice, echoed alone by the terminal, then after the prompt.
    const commandLines = command?.split('\n').map((line) => line.trim()) ?? [];
    const rowText = (row: number) => withoutStyles(lines[row] ?? '').trimEnd();
    const rowEndsWith = (row: number, text: string) =>
      row >= 0 && row < lines.length && endsWithTyped(rowText(row), text, this.size.cols);
    const lastLine = commandLines.at(-1) ?? '';
    const endsCommand = (row: number) =>
      commandLines.every((text, index) =>
        rowEndsWith(row - (commandLines.length - 1 - index), text),
      );
    const afterPrompt = (row: number) =>
      rowText(row - (commandLines.length - 1)).trimStart() !== commandLines[0];
    // The line accepted is the last the line editor drew: rows above it may show it too (a
    // completion list of a line typed in full).
    const prompted =
      lastLine === '' ? -1 : lines.findLastIndex((_, row) => endsCommand(row) && afterPrompt(row));
    const commandLine =
      lastLine === '' || prompted !== -1
        ? prompted
        : lines.findLastIndex((_, row) => endsCommand(row));
    const promptLines = commandLine === -1 ? lines : lines.slice(0, commandLine + 1);
    const commandStart = commandLine === -1 ? -1 : commandLine - (commandLines.length - 1);
    // A job's output lands after the prompt, as in a terminal, up to where the first key was typed
    // (or the command's first line, when none was: keys typed ahead, all its lines echoed at once;
    // or the cursor, for a run whose line is not echoed yet).
    const from = drawn?.end;
    const firstKey = drawn?.firstKey;
    const to = firstKey ?? (commandLine === -1 ? cursor : { row: commandStart, column: 0 });
    // From the row the first key was typed on down to the command line's first row, a terminal
    // keeps what the line editor printed for the keys (a completion list and its question), but
    // for the terminal's own echo of a line typed before the line editor started: the command.
    // (The first key's row is above the screen's first after an erase of the screen.)
    // Not the upper rows of the prompt drawn again above the command line (after a job's report):
    // the run's header stands for the prompt.
    // Nor the prompt bash said it drew again (Ctrl+C), from where it began (-1: it left the rows).
    const startAgain = drawn?.startAgain?.row ?? -1;
    // The prompt bash drew again gives the line up with no key typed too (Ctrl+C sent to the shell
    // as a signal): from the prompt's last row on, the rows are the line left.
    const givenUpAt = firstKey ?? (startAgain >= 0 ? from : undefined);
    const keyRow = Math.max(givenUpAt?.row ?? 0, 0);
    const editorEnd =
      from === undefined
        ? commandStart
        : commandStart === -1
          ? startAgain
          : Math.min(
              commandStart,
              startAgain >= 0 ? startAgain : commandStart,
              promptDrawnAgainAt(lines, commandStart, from, drawn?.promptRows ?? []),
            );
    const editorRows =
      givenUpAt === undefined || editorEnd <= keyRow
        ? []
        : lines
            .slice(keyRow, editorEnd)
            .filter((line) => !commandLines.includes(withoutStyles(line).trim()));
    // Above the line editor's rows (or the command line, when it printed none), a job's output.
    const aboveEditor = editorRows.length > 0 ? keyRow : undefined;
    // A line given up there (Enter on it empty, Ctrl+C, a completion list) leaves the prompt it was
    // typed at whole, as a terminal does: its upper rows too, from where bash said it began, or as
    // many as the prompt drawn again above the command line has.
    const givenUpPromptFrom =
      aboveEditor === undefined || from === undefined
        ? undefined
        : (drawn?.start?.row ??
          (commandStart === -1 ? from.row : from.row - (commandStart - editorEnd)));
    const jobRows =
      drawn === undefined || from === undefined || to === undefined || drawn.rewrapped === true
        ? jobReports(lines.slice(0, aboveEditor ?? promptLines.length))
        : jobOutputRows(
            lines.slice(0, aboveEditor ?? Math.max(promptLines.length, to.row + 1)),
            { ...drawn, end: from },
            to,
            givenUpPromptFrom,
          );
    this.addIdleLines([...jobRows, ...editorRows]);
    return lines.slice(promptLines.length);
  }

  /**
   * Rows that scrolled off the top of the prompt screen above the row of the first key are sorted
   * as {@link endPromptScreen} sorts the screen's rows ({@link jobOutputRows}), and the rows the
   * screen's marks name move up with it. Those from the first key's row on (a completion list
   * longer than the screen, or a long typed line) are held for it to sort with the rest.
   */
  private promptLinesLeft(lines: string[]): void {
    const drawn = this.promptDrawn;
    const from = drawn?.end;
    if (drawn === undefined || from === undefined) {
      // The prompt is not drawn yet: what scrolls away is output (a greeting, say).
      this.addIdleLines(lines);
      if (this.promptStartRow !== undefined) this.promptStartRow -= lines.length;
      return;
    }
    const to = drawn.firstKey;
    // Rows above the first key's cannot be the typed line: only those from it on are held, and the
    // prompt's upper rows (where bash says it began; those it may have, for the others), which stay
    // if the line is given up.
    const promptStart = drawn.start?.row ?? from.row - (drawn.promptRows.length - 1);
    const heldFrom = to === undefined ? lines.length : Math.min(to.row, promptStart);
    const sorted = Math.min(Math.max(heldFrom, 0), lines.length);
    const sortedRows = lines.slice(0, sorted);
    this.addIdleLines(jobRowsLeaving(sortedRows, drawn, from));
    movePointsUp(drawn, sorted);
    drawn.held.push(...lines.slice(sorted));
    // Rows the line typed cannot take, echoed twice, with a prompt drawn again above it, up to the
    // cursor, are the line editor's (a long completion list): kept at once, as a terminal keeps
    // them. Of the rows the line can take, those still on the screen need no holding.
    const typed = drawn.typed ?? { length: 0, lineEnds: 0 };
    const lineRows = Math.ceil((from.column + typed.length) / this.size.cols) + typed.lineEnds;
    const cursorRow = this.prompt?.cursor?.().row ?? 0;
    const excess = drawn.held.length - Math.max(0, 2 * lineRows + maxPromptLines - cursorRow - 1);
    if (excess > 0) {
      this.addIdleLines(drawn.held.splice(0, excess));
      movePointsUp(drawn, excess);
    }
  }

  /**
   * The line editor drew the prompt again, with the line typed so far, under what it printed for
   * the keys (a completion list, `Display all 1092 possibilities?` and its pages), or under a line
   * given up (Ctrl+C in zsh and fish, which do not say where their prompts begin; bash's is told
   * by its marks, see {@link promptStarts}): a terminal keeps those rows above the line, so they go
   * to the transcript now, and the prompt screen goes on from the prompt drawn again, at its top,
   * as if it had just been drawn with the line typed after it. Lifeline's header then stays right
   * above the line being edited, not above a list that scrolled by or a line left.
   */
  private promptDrawnAgainBelow(): void {
    const prompt = this.prompt;
    const drawn = this.promptDrawn;
    const end = drawn?.end;
    const firstKey = drawn?.firstKey;
    const cursor = prompt?.cursor?.();
    const column = drawn?.promptColumn;
    const promptEnd = drawn?.promptRows.at(-1)?.slice(0, column);
    if (
      !prompt?.scrollToCursorRow ||
      drawn === undefined ||
      end === undefined ||
      firstKey === undefined ||
      cursor === undefined ||
      promptEnd === undefined ||
      column === undefined ||
      drawn.rewrapped === true ||
      drawn.startAgain !== undefined ||
      firstKey.row < end.row ||
      // A prompt whose last row shows nothing (one that ends in a line end) is not told by it.
      promptEnd.trim() === '' ||
      prompt.showsAlternateScreen?.() === true
    )
      return;
    const held = drawn.held;
    const cursorRow = cursor.row + held.length;
    // The line as typed took these rows at the prompt; the prompt drawn again is below them (a
    // line that wraps onto a row that starts as the prompt does is not taken for it).
    // (Not its line ends: the shell draws what it draws after one, its prompt again after an
    // empty line's Enter in zsh and fish.) While the cursor is on them (a key echoed), the
    // screen's rows are not even drawn.
    const lineRows = this.typedRows(drawn, column, false);
    if (cursorRow < firstKey.row + lineRows) return;
    const lines = [...held, ...prompt.rows(true)];
    const prompted = (row: number) =>
      withoutStyles(lines[row] ?? '').slice(0, column) === promptEnd;
    let again = cursorRow;
    while (again >= firstKey.row + lineRows && !prompted(again)) again -= 1;
    if (again < firstKey.row + lineRows) return;
    const start = promptDrawnAgainAt(lines, again, { row: end.row, column }, drawn.promptRows);
    if (!this.promptRowsLeave(start, drawn.start?.row ?? end.row - (again - start))) return;
    const endAgain = { row: again - start, column };
    drawn.end = endAgain;
    drawn.firstKey = { ...endAgain };
    if (drawn.start !== undefined) drawn.start = { row: 0, column: 0 };
  }

  /**
   * The prompt as drawn, nothing typed at it yet (the cursor where it ended, no rows held), its
   * last row narrower than `columns` (the shell draws it again in place, on that row): how many
   * rows it begins above its last (where bash said it began); undefined when it is not so.
   */
  private untouchedPrompt(columns: number): { rowsAbove: number } | undefined {
    const drawn = this.promptDrawn;
    const end = drawn?.end;
    const cursor = this.prompt?.cursor?.();
    if (
      !drawn ||
      !end ||
      !cursor ||
      (drawn.promptRows.at(-1)?.trimEnd().length ?? columns) >= columns ||
      drawn.firstKey !== undefined ||
      drawn.held.length > 0 ||
      drawn.rewrapped === true ||
      drawn.startAgain !== undefined ||
      cursor.row !== end.row ||
      cursor.column !== end.column
    )
      return undefined;
    return { rowsAbove: drawn.start === undefined ? 0 : end.row - drawn.start.row };
  }

  /**
   * The screen changes its width while the cursor is below the line typed (at a completion list's
   * question, in its pager): the rows above the cursor's are the line editor's, which a terminal
   * keeps, and they leave the prompt screen for the transcript before they are wrapped again (which
   * would leave no telling them from the prompt). The cursor's row, and the prompt's points above
   * it, stay; the prompt drawn again under the list is then told by its text (see
   * {@link promptDrawnAgainBelow}).
   * @returns whether they left
   */
  private promptRowsLeaveBeforeRewrap(): boolean {
    const drawn = this.promptDrawn;
    const end = drawn?.end;
    const firstKey = drawn?.firstKey;
    const column = drawn?.promptColumn;
    const cursor = this.prompt?.cursor?.();
    if (!drawn || !end || !firstKey || column === undefined || !cursor || drawn.rewrapped === true)
      return false;
    const cursorRow = cursor.row + drawn.held.length;
    if (cursorRow < firstKey.row + this.typedRows(drawn, column)) return false;
    const promptKeptFrom = drawn.start?.row ?? end.row - (drawn.promptRows.length - 1);
    if (!this.promptRowsLeave(cursorRow, promptKeptFrom)) return false;
    movePointsUp(drawn, cursorRow);
    return true;
  }

  /**
   * Rows the line typed from the first key on takes at most, after a prompt ending at `column`:
   * those its text wraps onto, and with `lineEnds` one more for each line end typed.
   */
  private typedRows(
    drawn: { typed?: { length: number; lineEnds: number } },
    column: number,
    lineEnds = true,
  ): number {
    const typed = drawn.typed ?? { length: 0, lineEnds: 0 };
    return Math.ceil((column + typed.length) / this.size.cols) + (lineEnds ? typed.lineEnds : 0);
  }

  /**
   * The prompt screen's rows above `start` (held rows counted, see `held`) leave it for the
   * transcript, sorted as a run's start sorts them (see {@link endPromptScreen}): what a job printed
   * before the first key (or the prompt's end, none typed), and from there on what the line editor
   * left, the line given up or the list printed for it; the prompt from `promptKeptFrom` on whole.
   * The screen then goes on from `start`, at its top.
   * @returns whether they left (not when `start` is above the screen's first row, or the screen
   * cannot scroll: a scroll region)
   */
  private promptRowsLeave(start: number, promptKeptFrom: number): boolean {
    const prompt = this.prompt;
    const drawn = this.promptDrawn;
    const end = drawn?.end;
    const cursor = prompt?.cursor?.();
    if (!prompt?.scrollToCursorRow || !drawn || !end || !cursor) return false;
    const held = drawn.held;
    if (start < held.length) return false;
    const scrolled = prompt.scrollToCursorRow(cursor.row + held.length - start);
    if (scrolled.length !== start - held.length) return false;
    // (The prompt's rows and the first key's may have left the top already: a long list.)
    const above = [...held, ...scrolled];
    const key = drawn.firstKey ?? end;
    const keyRow = Math.max(0, key.row);
    const jobRows = jobOutputRows(above.slice(0, keyRow), { ...drawn, end }, key, promptKeptFrom);
    this.addIdleLines([...jobRows, ...above.slice(keyRow)]);
    drawn.held = [];
    return true;
  }

  /**
   * The rows held above the prompt screen are sorted now, as rows whose command line is not found
   * ({@link jobOutputRows}): the screen changes its width, and the points they were held by with it.
   */
  private releaseHeldPromptRows(): void {
    const drawn = this.promptDrawn;
    const from = drawn?.end;
    if (drawn === undefined || from === undefined || drawn.held.length === 0) return;
    const held = drawn.held;
    drawn.held = [];
    this.addIdleLines(jobRowsLeaving(held, drawn, from));
    movePointsUp(drawn, held.length);
  }

  /**
   * Output on the prompt screen: the prompt is drawn by the first visible output and what follows
   * it closely; where output comes later, or a key is typed, the prompt ends. But for what came
   * first being more complete lines than a prompt has: a job's, printed while the shell's prompt
   * hooks ran, which the prompt then follows. A shell that marks where its prompt begins and ends
   * has it told by its marks instead ({@link promptStarts}, {@link promptEnds}).
   */
  private notePromptOutput(data: string, time: number): void {
    const prompt = this.prompt;
    if (!prompt || this.promptDrawn?.end !== undefined) return;
    if (this.promptDrawn === undefined) {
      if (!hasVisibleText(data)) return;
      this.shellPrompted = true;
      this.promptDrawn = {
        at: time,
        end: undefined,
        firstKey: undefined,
        promptRows: [],
        held: [],
      };
    } else if (!this.promptMarks && time - this.promptDrawn.at > promptDrawMs) {
      const cursor = prompt.cursor?.();
      // Complete lines only (a prompt leaves the cursor after its text): a job's, when too many.
      if (cursor?.column === 0 && this.jobRowsLeavePromptScreen(prompt)) {
        this.notePromptOutput(data, time);
        return;
      }
      this.endPrompt(this.promptDrawn, cursor);
    }
  }

  /** The prompt ends at `end`: its rows are kept as they are now (see `promptRows`). */
  private endPrompt(
    drawn: { end: ScreenPoint | undefined; promptRows: string[]; promptColumn?: number },
    end: ScreenPoint | undefined,
  ): void {
    drawn.end = end;
    if (end === undefined || !this.prompt) return;
    drawn.promptColumn = end.column;
    drawn.promptRows = this.prompt
      .rows(true)
      .slice(Math.max(end.row + 1 - maxPromptLines, 0), end.row + 1)
      .map(withoutStyles);
  }

  /**
   * Draws output on `screen`, handing the lines that leave it to `add` (the last `keep` of them;
   * the others counted); where the output erases the whole screen of the normal buffer, the lines
   * it showed leave it too, and the transcript gets a `clear` block after them, in stream order. `before` sees each piece of the output
   * between the erases before it is drawn.
   */
  private pushToScreen(
    screen: RunLines,
    data: string,
    add: (lines: string[], dropped: number) => void,
    keep = Number.POSITIVE_INFINITY,
    before?: (data: string) => void,
  ): void {
    for (const piece of this.screenClears.split(data)) {
      if (piece.kind === 'output') {
        before?.(piece.data);
        const kept = screen.pushKeeping(piece.data, keep);
        add(kept.lines, kept.dropped);
      } else if (screen.showsAlternateScreen?.() !== true) {
        if (screen === this.prompt) this.promptScreenErased();
        else if (piece.clear === 'screen' || this.options.keepCleared)
          add(screen.erasing?.() ?? [], 0);
        this.addClear(piece.clear);
      }
    }
  }

  /**
   * The prompt screen is erased (Ctrl+L): what a job printed on it, and the rows held above it, go
   * before the erase, as a terminal that keeps an erased screen in its scrollback keeps them (tmux
   * does); the prompt is looked for afresh, where the shell draws it again: what was found of the
   * one erased (where it ended, the first key's row) says nothing of the rows drawn from now on.
   */
  private promptScreenErased(): void {
    const drawn = this.promptDrawn;
    const from = drawn?.end;
    if (drawn !== undefined && from !== undefined) {
      // Rows held above the screen count as its own (see `held`).
      const rows = [...drawn.held, ...(this.prompt?.rows(true) ?? [])];
      this.addIdleLines(jobRowsLeaving(rows, drawn, from));
    }
    this.promptDrawn = undefined;
    this.promptStartRow = undefined;
  }

  /**
   * The screen was erased: a `clear` block, unless the last block is one already (the screen shows
   * nothing new since). An erase of the scrollback drops the blocks before it: no terminal shows
   * them again, so neither does the transcript (see {@link TranscriptBlock}).
   */
  private addClear(clear: ScreenClear): void {
    const last = this.blocks.at(-1);
    if (last?.kind === 'clear') {
      if (last.clear === clear || clear === 'screen') return;
      if (this.options.keepCleared) {
        // The scrollback erased right after the screen (`clear` does both) is one clear, of both.
        // (Otherwise the block of the screen's clear goes with the scrollback, below.)
        this.unshare();
        this.blocks[this.blocks.length - 1] = { ...last, clear };
        return;
      }
    }
    this.addBlock({ id: 0, kind: 'clear', clear, seq: this.seq });
    if (this.live) this.live.clearedAtSeq = this.seq;
    if (clear !== 'scrollback' || this.options.keepCleared) return;
    this.blocks = this.blocks.slice(-1);
    if (this.live) {
      this.live.blocks = [];
      this.live.keptLines = 0;
    }
  }

  /** Shows the lines held as a prompt's as output; the prompt may still come (`unfinished-line`). */
  private releasePromptLines(): void {
    this.addIdleLines(this.takePromptLines());
    this.awaitingPrompt = 'unfinished-line';
  }

  /** The lines held as a prompt's ({@link promptLines}), no longer held. */
  private takePromptLines(): string[] {
    const lines = this.promptLines;
    this.promptLines = [];
    return lines;
  }

  /** Output between runs (a background job, say): complete lines only; a prompt never completes one. */
  private addIdleLines(lines: string[]): void {
    if (lines.length > 0)
      this.addBlock({ id: 0, kind: 'output', runId: undefined, seq: this.seq, lines, hidden: 0 });
  }

  private addBlock(block: TranscriptBlock): void {
    (block as { id: number }).id = this.nextBlockId;
    this.nextBlockId += 1;
    this.unshare();
    this.blocks.push(block);
  }

  /** Copies what the last snapshot shares before it changes (see {@link shared}). */
  private unshare(): void {
    if (!this.shared) return;
    this.blocks = [...this.blocks];
    this.history = [...this.history];
    this.shared = false;
  }

  private dropOldRuns(): void {
    const excess = Math.max(this.runStarts.length - this.options.maxRuns, this.runsOverLineLimit());
    if (excess <= 0) return;
    const keepFromId = this.runStarts[excess] ?? 0;
    this.runStarts = this.runStarts.slice(excess);
    const firstId = this.blocks[0]?.id ?? keepFromId;
    const drop = keepFromId - firstId;
    if (drop > 0) {
      this.blocks = this.blocks.slice(drop);
      this.droppedBlocks += drop;
    }
  }

  /**
   * How many of the oldest runs (of {@link runStarts}) to drop, with what came before them, so that
   * the output lines kept are within `maxLines`; never the last run (the one starting).
   */
  private runsOverLineLimit(): number {
    // Output lines in the blocks before each run's first, and in all of them.
    const linesBefore: number[] = [];
    let total = 0;
    for (const block of this.blocks) {
      while (
        linesBefore.length < this.runStarts.length &&
        block.id >= (this.runStarts[linesBefore.length] ?? 0)
      )
        linesBefore.push(total);
      if (block.kind === 'output') total += block.lines.length;
    }
    // Dropping `runs` runs drops every block before the first of the run after them.
    const kept = (runs: number) => total - (runs === 0 ? 0 : (linesBefore[runs] ?? total));
    let runs = 0;
    while (runs < this.runStarts.length - 1 && kept(runs) > this.options.maxLines) runs += 1;
    return runs;
  }
}

/** The first line of typed keys, when it holds text; `undefined` otherwise. */
function typedLine(data: string): string | undefined {
  const line = (data.split(/[\r\n]/, 1)[0] ?? '').trim();
  return line === '' || /[\x00-\x1f\x7f]/.test(line) ? undefined : line;
}

/** Where the first of `rows` that ends with `text` shows it; `undefined` when none does. */
function rowEndingWith(rows: readonly string[], text: string): ScreenPoint | undefined {
  for (const [row, line] of rows.entries()) {
    const plain = withoutStyles(line).trimEnd();
    if (plain.endsWith(text)) return { row, column: plain.length - text.length };
  }
  return undefined;
}

/**
 * Whether a row of the prompt screen (styles stripped, trailing blanks trimmed) ends with `text`,
 * typed at the prompt: at the row's end, or before a right prompt (zsh's RPROMPT, fish's right
 * prompt), which blanks keep apart from it and which ends at the right edge of a screen `cols`
 * wide (zsh leaves the last column blank).
 */
function endsWithTyped(row: string, text: string, cols: number): boolean {
  if (row.endsWith(text)) return true;
  const at = row.lastIndexOf(`${text} `);
  return at !== -1 && stringWidth(row) >= cols - 2 && /^ +\S/.test(row.slice(at + text.length));
}

/** The line in a run's output where output was dropped on a full disk (yellow, as warnings are). */
const droppedOutputMark = '\x1b[33m⚠ output dropped here: the disk was full\x1b[39m';

/** Lines above the last of a prompt, at most: more complete lines while it is due are a job's output. */
const maxPromptLines = 4;
/**
 * How long after its frame a prompt may take to be drawn (a prompt that asks git). Complete lines
 * later than this are output, not its upper lines.
 */
const maxPromptDrawMs = 2000;
/** Output on the prompt screen this long after the prompt began to show is not the prompt. */
const promptDrawMs = 100;

/** A place on a screen: its row, and the column (cells from the left). */
interface ScreenPoint {
  row: number;
  column: number;
}

/** The prompt screen's points, once `rows` rows above them left it: those that left point above it. */
function movePointsUp(
  drawn: {
    end: ScreenPoint | undefined;
    firstKey: ScreenPoint | undefined;
    start?: ScreenPoint;
    startAgain?: ScreenPoint;
  },
  rows: number,
): void {
  const up = (point: ScreenPoint): ScreenPoint =>
    point.row >= rows ? { row: point.row - rows, column: point.column } : { row: -1, column: 0 };
  if (drawn.end !== undefined) drawn.end = up(drawn.end);
  if (drawn.start !== undefined) drawn.start = up(drawn.start);
  if (drawn.startAgain !== undefined) drawn.startAgain = up(drawn.startAgain);
  if (drawn.firstKey !== undefined) drawn.firstKey = up(drawn.firstKey);
}

/** A shell's report of a background job: `[1]+  Done  make` (bash, zsh), `fish: Job 1, …` (fish). */
const jobNotice = /^(?:\[\d+\]|fish: Job \d+)/;

/** Of rows of the prompt's screen, the shell's reports of background jobs. */
function jobReports(rows: readonly string[]): string[] {
  return rows.filter((row) => jobNotice.test(withoutStyles(row)));
}

/**
 * Of rows that leave the prompt screen before the command line is known (scrolled off, erased),
 * what a job printed there ({@link jobOutputRows}, up to the first key); only the shell's reports
 * once the screen was wrapped again at another width (the points no longer say where).
 */
function jobRowsLeaving(
  rows: readonly string[],
  drawn: {
    firstKey: ScreenPoint | undefined;
    promptRows: readonly string[];
    start?: ScreenPoint;
    rewrapped?: boolean;
  },
  end: ScreenPoint,
): string[] {
  return drawn.rewrapped === true
    ? jobReports(rows)
    : jobOutputRows(rows, { ...drawn, end }, drawn.firstKey);
}

/**
 * Of rows of the prompt's screen (its first row first), what a background job printed there: from
 * `from` (the prompt's `end`) up to `to` (where the first key was typed; every row on when none
 * was), above the rows the prompt can have taken (it has at most {@link maxPromptLines} above its
 * last), and a job's report anywhere but in the prompt itself (a prompt may begin as a report does:
 * `[0] ~$`). Nothing else of the prompt, or of the typed line, is kept: not its right part, right
 * of `from` ({@link TranscriptFold}'s `promptRows`), nor the prompt drawn again under the job's
 * output, up to `to`. (What the line editor left above the line is told apart by
 * {@link TranscriptFold}'s `endPromptScreen`.) The prompt's rows from `promptKeptFrom` down to
 * `from`'s are kept whole: a line given up at the prompt leaves it so.
 */
function jobOutputRows(
  rows: readonly string[],
  prompt: { end: ScreenPoint; promptRows: readonly string[]; start?: ScreenPoint },
  to: ScreenPoint | undefined,
  promptKeptFrom?: number,
): string[] {
  const { end: from, promptRows } = prompt;
  const reports = (row: number, plain: string) =>
    jobNotice.test(plain.slice(promptColumns(row, plain, prompt)));
  const kept: string[] = [];
  const between = to === undefined || to.row > from.row;
  const promptAgainFrom =
    to === undefined
      ? rows.length
      : to.column === from.column
        ? promptDrawnAgainAt(rows, to.row, from, promptRows)
        : to.row + 1;
  for (const [row, line] of rows.entries()) {
    const plain = withoutStyles(line);
    if (row < from.row - maxPromptLines) {
      // Above where the prompt can have begun: a job's output, printed before the prompt.
      kept.push(line);
    } else if (promptKeptFrom !== undefined && row >= promptKeptFrom && row <= from.row) {
      // The prompt a line was given up at, whole, with what a job printed on its last row.
      kept.push(line);
    } else if (!between || row < from.row || (to !== undefined && row > to.row)) {
      if (reports(row, plain)) kept.push(line);
    } else if (row >= promptAgainFrom) {
      continue;
    } else if (row === from.row || row === to?.row) {
      const printed = plain.slice(
        row === from.row ? from.column : 0,
        row === to?.row ? to.column : plain.length,
      );
      const job = row === from.row ? withoutRightPart(printed, from.column, promptRows) : printed;
      if (job.trim() !== '') kept.push(job);
    } else {
      kept.push(line);
    }
  }
  return kept;
}

/**
 * What a job printed on the prompt's last row (`printed`, from `column` on, where the prompt ends),
 * without the prompt's right part where the prompt drew it (zsh's `RPROMPT`, fish's right prompt):
 * the job's text is left of it, or it is all there is.
 */
function withoutRightPart(printed: string, column: number, promptRows: readonly string[]): string {
  const promptRow = promptRows.at(-1) ?? '';
  const rightPart = promptRow.slice(column).trim();
  if (rightPart === '') return printed;
  const at = promptRow.indexOf(rightPart, column) - column;
  if (printed.slice(at, at + rightPart.length) !== rightPart) return printed;
  return (printed.slice(0, at) + printed.slice(at + rightPart.length)).trimEnd();
}

/**
 * How many columns of `row` (text `plain`) the prompt fills, as it was drawn: those left of `end`
 * on its last row, and whole rows above it, from where it began when the shell said so (bash; the
 * others' upper rows may be a report printed right before it). 0 on a row the prompt is not on.
 */
function promptColumns(
  row: number,
  plain: string,
  prompt: { end: ScreenPoint; promptRows: readonly string[]; start?: ScreenPoint },
): number {
  const { end, promptRows, start } = prompt;
  const drawn = promptRows[promptRows.length - 1 - (end.row - row)];
  if (drawn === undefined || row > end.row || row < (start?.row ?? end.row)) return 0;
  if (row === end.row) return plain.startsWith(drawn.slice(0, end.column)) ? end.column : 0;
  return plain.trimEnd() === drawn.trimEnd() ? plain.length : 0;
}

/**
 * The first of the rows that show the prompt drawn again (as `promptRows`, which ended at `from`),
 * its last row being `lastRow` (where the command line or the first key is); `lastRow + 1` when
 * the prompt is not there.
 */
function promptDrawnAgainAt(
  rows: readonly string[],
  lastRow: number,
  from: ScreenPoint,
  promptRows: readonly string[],
): number {
  const promptEnd = promptRows.at(-1)?.slice(0, from.column);
  const text = (row: number) => withoutStyles(rows[row] ?? '');
  if (promptEnd === undefined || text(lastRow).slice(0, from.column) !== promptEnd)
    return lastRow + 1;
  let first = lastRow;
  for (let above = promptRows.length - 2; above >= 0 && first > from.row + 1; above--) {
    if (text(first - 1).trimEnd() !== promptRows[above]?.trimEnd()) break;
    first -= 1;
  }
  return first;
}

/**
 * The rows of a run's screen, less the end of a line handed out to the transcript already (see
 * `RunLines.rowsHandedOutAtTop`) and the shell's echo of its command line at the top (once or
 * twice, over as many rows as it wrapped onto) while no line has left the screen: the echo is left
 * out of the transcript too. Says how many rows were left out (the screen's rows below move up by
 * them).
 */
function screenWithoutEcho(
  live: LiveState,
  throughCursor = false,
): { rows: string[]; rowsLeftOut: number } {
  const all = live.lines.rows(throughCursor);
  // The end of a line in the transcript already is not shown again under it.
  const handedOut = live.lines.rowsHandedOutAtTop?.() ?? 0;
  const rows = handedOut === 0 ? all : all.slice(handedOut);
  if (live.linesOut > 0 || !live.echo.isDeciding()) return { rows, rowsLeftOut: handedOut };
  let left = 0;
  for (let echoes = 0; echoes < 2; echoes += 1) {
    const span = echoRows(rows.slice(left), live.command);
    if (span === 0) break;
    left += span;
  }
  return { rows: left === 0 ? rows : rows.slice(left), rowsLeftOut: handedOut + left };
}

/** How many of the top rows are the echo of `command`, wrapped at the screen's edge; 0 if none. */
function echoRows(rows: readonly string[], command: string): number {
  for (let span = 1; span <= Math.min(maxEchoRows, rows.length); span += 1) {
    const top = rows.slice(0, span);
    // A space at the edge is cut from its row: the rows are tried with and without one between.
    if (isCommandEcho(top.join(''), command) || isCommandEcho(top.join(' '), command)) return span;
  }
  return 0;
}

/** Rows the echo of a command line may wrap onto, at most, to be left out of a run's screen. */
const maxEchoRows = 8;
