import { type Clock, systemClock } from './clock.js';
import { RunCompletionError } from './errors.js';
import { base64Url } from './internal/base64url.js';
import { describeValue } from './internal/describe-value.js';
import {
  cancelsHistorySearch,
  leavesEscapeForInsert,
  modeKeysIn,
} from './internal/editor-mode-keys.js';
import { EchoFilter } from './internal/echo-filter.js';
import { EnterKeys, pasteStart } from './internal/enter-keys.js';
import type { Frame } from './internal/frame-syntax.js';
import { FrameScanner } from './internal/frame-scanner.js';
import { PostambleBinder } from './internal/postamble-binder.js';
import { PromptHookBinder } from './internal/prompt-hook-binder.js';
import type { RunBinder, RunBinderContext } from './internal/run-binder.js';
import { RunRecord, type TokenOwner } from './internal/run-record.js';
import { settleRun, waitForRun } from './internal/run-waiters.js';
import { TokenTable } from './internal/token-table.js';
import type { CompletionMode } from './mode.js';
import { type RandomBytes, systemRandom } from './random.js';
import type { ShellKind } from './shell-kind.js';
import { assertValidToken } from './token.js';

/** The event the coordinator asks its caller to append when a run finishes. */
export interface RunCompleteEvent {
  /** The run's id, as returned by `prepare()`. */
  runId: string;
  /** The seq of the caller's `run_start` event, as passed to `register()`. */
  startSeq: number;
  /** The command's exit status (`$?`); 128 + n when signal n ended it (130 for Ctrl-C). */
  exitCode: number;
  /** The shell's working directory after the command. */
  cwd: string;
  /** Milliseconds from the command's start (prompt-hook) or its registration (postamble). */
  durationMs: number;
}

/** A command the shell reported starting that no registered run was waiting for (prompt-hook). */
export interface ShellRunStartEvent {
  /** The id the coordinator gave it. */
  runId: string;
  /** The command line as the shell read it (`''` when the integration could not tell). */
  command: string;
}

/** How a `wait()` ends. */
export type RunOutcome =
  | {
      kind: 'completed';
      /** The command's exit status. */
      exitCode: number;
      /** The working directory after the command. */
      cwd: string;
      /** The seq `appendRunComplete` returned for this run's `run_complete` event. */
      seq: number;
      /** As in the `run_complete` event. */
      durationMs: number;
    }
  /** The wait's own timeout passed; the run goes on and its completion is still recorded. */
  | { kind: 'timeout' }
  /** The shell exited (`resetForExit()`) before the run completed. */
  | { kind: 'exited' }
  /** The run was given up on: `cancel()`, or it outlived `registrationTtlMs`. */
  | { kind: 'cancelled'; reason: 'cancelled' | 'expired' };

/** How the `ready` promise ends. */
export type ReadyOutcome =
  /** The shell showed its first prompt (or answered a probe); `cwd` when the frame carried it. */
  | { kind: 'ready'; cwd: string | undefined }
  /** The shell exited before it was ever ready. */
  | { kind: 'exited' };

/** Options of {@link createRunCoordinator}. */
export interface RunCoordinatorOptions {
  /** The mode the shell was started in (see `selectMode()` and `createShellLaunch()`). */
  mode: CompletionMode;
  /** The session's secret token, the one given to `createShellLaunch()`. */
  token: string;
  /**
   * Receives every piece of PTY output with the frames (and, in postamble mode, the echo of the
   * postamble line, which carries the command) removed, in stream order, in the form it was ingested. Byte chunks are not
   * copied: a `Uint8Array` passed here may be a view into the chunk given to `ingest()`.
   */
  appendOutput: (data: string | Uint8Array) => void;
  /**
   * Receives the `run_complete` event of a run, in stream order (after the output that preceded
   * the frame, before the output that follows it), and returns the seq it was given.
   */
  appendRunComplete: (event: RunCompleteEvent) => number;
  /**
   * Prompt-hook mode: receives the start of every command the shell runs that no registered run
   * was waiting for (typed at the shell's prompt, typed ahead, pasted, recalled from history), in
   * stream order, and returns the seq of the `run_start` event the caller appended for it. Its
   * `run_complete` goes to `appendRunComplete` like any run's. Without it such commands are not
   * runs.
   */
  appendShellRunStart?: ((event: ShellRunStartEvent) => number) | undefined;
  /**
   * Prompt-hook mode, bash: called in stream order (after the output before it) where the shell
   * begins to draw a prompt. What it printed since the prompt frame before (a background job's
   * output, printed while the prompt hooks ran) is not part of the prompt. Not called for other
   * shells, whose integrations cannot tell where their prompt begins.
   */
  appendPromptStart?: (() => void) | undefined;
  /**
   * Prompt-hook mode, bash: called in stream order where the shell has drawn the prompt it began
   * at the last `appendPromptStart` (once: not as its line editor draws it again). What it prints
   * next (the keys it echoes, a job's output) is not the prompt.
   */
  appendPromptEnd?: (() => void) | undefined;
  /** Called once, on the shell's first prompt frame (or first frame of any kind). */
  onReady?: ((outcome: { cwd: string | undefined }) => void) | undefined;
  /**
   * Prompt-hook mode: called at every prompt frame, after the completion it brings (a new prompt
   * after Ctrl+C or an empty Enter included): a run held back while
   * {@link RunCoordinator.lineEditorMayBeInMode} was true may be written once the prompt shows.
   */
  onPrompt?: (() => void) | undefined;
  /**
   * Prompt-hook mode: called at a prompt's first editing frame, once its line editor
   * has the terminal (in modes of its own: the terminal no longer echoes keys, nor makes signals of
   * them) and reads what is typed. The prompt frame before it comes from the prompt hooks, which
   * may run a while longer (a user's prompt command that asks git) with the terminal as commands
   * have it.
   */
  onPromptEditing?: (() => void) | undefined;
  /**
   * Prompt-hook mode: called when {@link RunCoordinator.lineEditorMayBeInMode} turns false without
   * a prompt (the shell showed it is editing the line again): a run held back may be written now.
   */
  onLineEditing?: (() => void) | undefined;
  /**
   * The kind of shell (prompt-hook mode), for how a Tab is followed. bash: a Tab holds runs back
   * until the shell's next output, and on when that output is readline's question ("Display all
   * … possibilities? (y or n)") or pager (`--More--`). fish: a Tab holds nothing back (its
   * completion list closes at the next key, which goes into the line). Others: until the
   * integration says the line editor edits the line again (zsh does after every key).
   * @default 'unknown'
   */
  shell?: ShellKind | undefined;
  /**
   * Prompt-hook mode: you pass every key the user types to `typed()`. A run written while no key
   * was typed since the shell last took a command line is then written as it is, without the key
   * that sets a half-typed line aside (and nothing is given back after it): one thing fewer for
   * the shell to do and redraw. Without it every run sets the line aside.
   * @default false
   */
  reportsTyping?: boolean | undefined;
  /**
   * Time source for timeouts, the idle flush, expiry and durations.
   * @default systemClock
   */
  clock?: Clock | undefined;
  /**
   * Random source for run ids and per-run postamble tokens.
   * @default systemRandom (Web Crypto)
   */
  random?: RandomBytes | undefined;
  /**
   * Milliseconds without new input after which a partial frame (or partial postamble echo) held at
   * the end of a chunk is released as output. The release waits one more turn of the event loop,
   * so data that is already waiting is read first. Above 2^31 − 1 (about 24.8 days, the longest
   * timer), and `Infinity`, nothing is released until more input arrives or `flushOnExit()`.
   * @default 30
   */
  idleFlushMs?: number | undefined;
  /**
   * Most runs registered and not yet settled at once; `register()` throws beyond it.
   * @default 256
   */
  maxRegistrations?: number | undefined;
  /**
   * Milliseconds after registration at which an unsettled run is dropped (its waiters get
   * `cancelled`/`expired`), checked whenever a run registers or a frame arrives. `Infinity` keeps
   * runs until they complete.
   * @default 86_400_000 (24 hours)
   */
  registrationTtlMs?: number | undefined;
}

/** A run `prepare()` made: pass it to `register()` once the caller's `run_start` event has a seq. */
export interface PreparedRun {
  /** The run's id (generated unless `prepare()` was given one). */
  readonly runId: string;
  /** The command as it will be typed. */
  readonly command: string;
}

/** A registered run: write {@link textToWrite} to the PTY, then {@link wait}. */
export interface RegisteredRun {
  /** The run's id. */
  readonly runId: string;
  /** The seq of the caller's `run_start` event. */
  readonly startSeq: number;
  /** The command. */
  readonly command: string;
  /**
   * The exact text to write to the PTY, at the prompt: a key that sets aside what the user had
   * typed there (left out when `reportsTyping` says nothing was), the command and a key the
   * integration binds to do what Enter does, except that a command needing more lines is refused
   * rather than continued (prompt-hook; see {@link RunCoordinator.textToRestoreTypedLine}), or the
   * postamble line, which carries the command, and a carriage return (postamble).
   */
  readonly textToWrite: string;
  /** The final outcome once the run has completed, exited or been cancelled; else `undefined`. */
  readonly settled: Exclude<RunOutcome, { kind: 'timeout' }> | undefined;
  /**
   * Waits for the run to finish. Resolves `completed` (at once if it already has), `timeout` after
   * `timeoutMs` (the run goes on; call `wait()` again to keep waiting), `exited` or `cancelled`.
   * Rejects with `signal.reason` when `signal` aborts; the run itself is not affected.
   * @param timeoutMs milliseconds to wait (any length: above 2^31 − 1 the timer is re-armed in
   *   steps); `Infinity` waits without a timer
   */
  wait(timeoutMs: number, options?: { signal?: AbortSignal | undefined }): Promise<RunOutcome>;
}

/** Detects when commands typed into one shell finish. Create with {@link createRunCoordinator}. */
export interface RunCoordinator {
  /** The mode it was created with. */
  readonly mode: CompletionMode;
  /** Settles when the shell is ready for its first command, or has exited before that. */
  readonly ready: Promise<ReadyOutcome>;
  /** True once the shell has shown its first prompt. */
  readonly isReady: boolean;
  /** The working directory the shell last reported, if any. */
  readonly cwd: string | undefined;
  /** Runs registered and not yet settled. */
  readonly registeredRuns: number;
  /**
   * Feeds every chunk the PTY produced, in order. Output, `run_complete` events and the ready
   * callback are delivered synchronously from here.
   */
  ingest(chunk: string | Uint8Array): void;
  /**
   * Validates a command and gives it a run id. Next, append the `run_start` event and pass its seq
   * to `register()`. Throws `INVALID_COMMAND` for a command that is not a string, is empty, or
   * holds control characters or line breaks.
   * @param options.runId use this id instead of a generated one
   */
  prepare(command: string, options?: { runId?: string | undefined }): PreparedRun;
  /**
   * Registers a prepared run under its `run_start` seq. From now on its frame completes it.
   * Throws `REGISTRATION_LIMIT` when `maxRegistrations` runs are unsettled. After
   * `resetForExit()` the returned run is already settled as `exited`.
   */
  register(run: PreparedRun, startSeq: number): RegisteredRun;
  /**
   * Gives up on a run: its waiters get `cancelled` and its frame will complete nothing. Meant for a
   * run whose text was never written, or was consumed by another program. Returns false when no
   * such run is registered.
   */
  cancel(runId: string): boolean;
  /**
   * Tells the coordinator that an interrupt key (Ctrl-C, Ctrl-\, Ctrl-Z) was just typed. Prompt-hook
   * mode: a shell still reading a command line drops it and the kernel discards input typed ahead,
   * so no run waiting to start now can start later (unless the shell had already accepted its line,
   * when its start frame comes first). Those runs complete at the next prompt, with 130 (or that
   * prompt's status when a signal ended the command there), instead of waiting for a start that
   * never comes or binding to a later command.
   */
  interrupted(): void;
  /**
   * A key to type right after Ctrl+C at the shell's prompt (prompt-hook mode). A shell that was
   * busy when the interrupt came (drawing a long line, say) acts on it only once another key
   * arrives, and throws that key away with the line, or takes it into the line it reads next: this
   * key does nothing at a fresh prompt, so the shell acts on the interrupt at once and keys typed
   * after it are safe. After a bracketed paste typed since the last prompt, the keys start with the
   * paste's end: the kernel throws away what the shell had not read yet when the interrupt came,
   * the end of a long paste with it, and bash's line editor would go on taking every key typed
   * after it as pasted text. '' in postamble mode, while {@link lineEditorMayBeInMode} (the line
   * editor may take the key as one of that mode: bash's history search does), and while
   * {@link commandNeedsMoreLines} (bash redraws its continuation prompt for the key, over the `^C`
   * it shows).
   */
  keyAfterInterrupt(): string;
  /**
   * Text that makes the shell announce itself. Postamble mode: a line that prints a ready frame and
   * turns on `noflsh`, for a shell not started with `createShellLaunch()` (ssh, unknown shells).
   * Prompt-hook mode: an empty Enter, which prints a new prompt frame without creating a run.
   */
  probe(): string;
  /**
   * Tells the coordinator what the user typed into the PTY (not the text of runs). Prompt-hook
   * mode: keys that may leave the shell's line editor in a mode of its own make
   * {@link lineEditorMayBeInMode} true until the next prompt; an Enter (outside a bracketed paste)
   * makes {@link commandNeedsMoreLines} true until the shell says what it made of the line.
   */
  typed(keys: string): void;
  /**
   * True when keys typed since the last prompt may have left the shell's line editor in a mode of
   * its own, where a run's text would not be taken as a command line: a history search (Ctrl+R),
   * a completion list or question (Tab), vi command mode or a Meta prefix (a lone Escape), a
   * prefix key (Ctrl+X). Hold runs back until it is false again (the user ran or cleared the
   * line: `onPrompt` is called). Always false in postamble mode.
   */
  readonly lineEditorMayBeInMode: boolean;
  /**
   * True while the shell may be reading the next line of a command someone typed at its prompt
   * (bash's and zsh's continuation prompt, `> `), where a run's text would be taken as that line:
   * from an Enter passed to {@link typed} until the shell shows what it made of the line (the
   * command started, a new prompt, or a continuation prompt), and from a continuation prompt until
   * the command starts or a prompt shows (the rest was typed, or Ctrl+C cancelled it). Hold runs
   * back while it is true; `onPrompt` is called when a prompt ends it. Always false in postamble
   * mode.
   */
  readonly commandNeedsMoreLines: boolean;
  /**
   * Text that gives the user back the line they had half-typed at the prompt when runs were
   * written (prompt-hook mode sets it aside as each run is typed, so that the run is not typed onto
   * it). Write it once the prompt after the last run is shown and no other run is about to be
   * written. '' when no run was registered since the last call, or in postamble mode.
   */
  textToRestoreTypedLine(): string;
  /**
   * The PTY has closed: releases a held partial frame as output (one that carries the secret is
   * dropped instead) and any held partial echo.
   */
  flushOnExit(): void;
  /**
   * The shell has exited: every unsettled run resolves `exited`, later registrations settle
   * `exited` at once, and `ready` resolves `exited` if it had not resolved. Idempotent.
   */
  resetForExit(): void;
}

const DEFAULT_IDLE_FLUSH_MS = 30;
const DEFAULT_MAX_REGISTRATIONS = 256;
const DEFAULT_REGISTRATION_TTL_MS = 24 * 60 * 60 * 1000;
// The longest delay setTimeout honours (Node and browsers fire a longer one at once).
const MAX_TIMER_MS = 2 ** 31 - 1;
const modes: ReadonlySet<string> = new Set<CompletionMode>(['prompt-hook', 'postamble']);
// What readline prints when a completion reads the next key as its answer: the question before a
// long list, and the pager within one.
const readlineQuestion = /possibilities\? \(y or n\)|--More--/;
const textDecoder = new TextDecoder();
// More keys than a history search is typed with: past this, they tell nothing.
const MAX_TYPED_SINCE_EDITING = 1024;

/**
 * Creates the run-completion coordinator for one shell. Feed it every PTY chunk with `ingest()`;
 * run commands with `prepare()` → (append `run_start`) → `register()` → write `textToWrite` →
 * `wait()`.
 */
export function createRunCoordinator(options: RunCoordinatorOptions): RunCoordinator {
  return new Coordinator(options);
}

class Coordinator implements RunCoordinator {
  readonly mode: CompletionMode;
  readonly ready: Promise<ReadyOutcome>;
  readonly #clock: Clock;
  readonly #random: RandomBytes;
  readonly #appendOutput: (data: string | Uint8Array) => void;
  readonly #appendRunComplete: (event: RunCompleteEvent) => number;
  readonly #appendShellRunStart: ((event: ShellRunStartEvent) => number) | undefined;
  readonly #onReady: ((outcome: { cwd: string | undefined }) => void) | undefined;
  readonly #onPrompt: (() => void) | undefined;
  readonly #onPromptEditing: (() => void) | undefined;
  readonly #onLineEditing: (() => void) | undefined;
  readonly #appendPromptStart: (() => void) | undefined;
  readonly #appendPromptEnd: (() => void) | undefined;
  readonly #shell: ShellKind;
  readonly #reportsTyping: boolean;
  #editorInMode = false;
  /** The keys of the last `typed()` call. */
  #lastTyped = '';
  /**
   * The keys typed since the line editor was last seen editing the line (a prompt, an editing
   * frame), or `undefined` once they are too many to tell anything by.
   */
  #typedSinceEditing: string | undefined = '';
  /**
   * Keys typed since the last prompt frame after the last key that ends a line (Enter, Ctrl+C), up
   * to {@link MAX_TYPED_SINCE_EDITING}: the line editor the next prompt starts reads them (fish
   * prints a second prompt frame as it shows its prompt, after the one that ends a command).
   */
  #typedAhead = '';
  /** bash: a Tab was typed and the shell has not answered it with output yet. */
  #completionUnanswered = false;
  /**
   * bash: Tabs were typed since the prompt. Output a later Tab made may come after what an earlier
   * one printed took its answer away (a second Tab typed before the first one's bell was read): a
   * question in any of it still puts the line editor in its mode.
   */
  #completionSincePrompt = false;
  /** The shell asked the terminal for the next line of a command (a continuation frame). */
  #continuation = false;
  /** An Enter was typed and the shell has not yet said what it made of the line. */
  #enterPending = false;
  readonly #enterKeys = new EnterKeys();
  /** A bracketed paste was typed since the last prompt: the shell may still be reading it. */
  #pastedSincePrompt = false;
  /** Keys were typed since the shell last took a command line (see `reportsTyping`). */
  #typedSinceLine = false;
  readonly #idleFlushMs: number;
  readonly #maxRegistrations: number;
  readonly #registrationTtlMs: number;
  readonly #tokens = new TokenTable<TokenOwner>();
  readonly #records = new Map<string, RunRecord>();
  readonly #prepared = new WeakSet<PreparedRun>();
  readonly #scanner: FrameScanner;
  readonly #echo: EchoFilter;
  readonly #binder: RunBinder;
  #resolveReady: (outcome: ReadyOutcome) => void = () => undefined;
  #isReady = false;
  #readySettled = false;
  #cwd: string | undefined;
  #exited = false;
  #ingesting = false;
  #idleTimer: unknown;
  #idleConfirming = false;

  constructor(options: RunCoordinatorOptions) {
    if (typeof options !== 'object' || (options as unknown) === null) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        `createRunCoordinator takes its options ({ mode, token, appendOutput, appendRunComplete }), got ${describeValue(options)}`,
      );
    }
    if (!modes.has(options.mode)) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        `mode must be 'prompt-hook' or 'postamble', got ${JSON.stringify(options.mode)}; pick one with selectMode()`,
      );
    }
    assertValidToken(options.token, 'the session token');
    if (
      typeof options.appendOutput !== 'function' ||
      typeof options.appendRunComplete !== 'function'
    ) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        'appendOutput and appendRunComplete must be functions: they are where output and run_complete events go',
      );
    }
    this.mode = options.mode;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#appendOutput = options.appendOutput;
    this.#appendRunComplete = options.appendRunComplete;
    this.#appendShellRunStart = options.appendShellRunStart;
    this.#onReady = options.onReady;
    this.#onPrompt = options.onPrompt;
    this.#onPromptEditing = options.onPromptEditing;
    this.#onLineEditing = options.onLineEditing;
    this.#appendPromptStart = options.appendPromptStart;
    this.#appendPromptEnd = options.appendPromptEnd;
    this.#shell = options.shell ?? 'unknown';
    this.#reportsTyping = options.reportsTyping === true;
    this.#idleFlushMs = nonNegative(options.idleFlushMs, DEFAULT_IDLE_FLUSH_MS, 'idleFlushMs');
    this.#maxRegistrations = positiveInteger(options.maxRegistrations, DEFAULT_MAX_REGISTRATIONS);
    this.#registrationTtlMs = nonNegative(
      options.registrationTtlMs,
      DEFAULT_REGISTRATION_TTL_MS,
      'registrationTtlMs',
    );
    this.#tokens.set(options.token, 'session');
    this.#echo = new EchoFilter((data) => this.#appendOutput(data));
    const context: RunBinderContext = {
      complete: (record, status, cwd, completeOptions) =>
        this.#complete(record, status, cwd, completeOptions),
      seen: (cwd) => {
        if (cwd !== undefined) this.#cwd = cwd;
        this.#markReady(cwd);
      },
      prompted: () => {
        this.#typedSinceEditing = '';
        // Keys typed ahead that leave the line editor in a mode leave the new one in it.
        this.#editorInMode = modeKeysIn(this.#typedAhead) === 'other';
        this.#typedAhead = '';
        this.#completionUnanswered = false;
        this.#completionSincePrompt = false;
        this.#continuation = false;
        this.#enterPending = false;
        this.#pastedSincePrompt = false;
        this.#onPrompt?.();
      },
      editing: (lastKeys) => {
        // Printed before the last keys typed were read, it says nothing of what they did. Without
        // keys (bash draws its prompt again), it follows the key that cancelled a history search,
        // or something else: vi command mode shown in the prompt, a search ended by another key.
        // The keys it names may have been typed in pieces (Esc, then Ctrl+G): they end all typed
        // since the line editor was last seen editing.
        const afterLastKeys =
          lastKeys === undefined
            ? this.#typedSinceEditing !== undefined && cancelsHistorySearch(this.#typedSinceEditing)
            : (this.#typedSinceEditing ?? this.#lastTyped).endsWith(lastKeys);
        if (afterLastKeys) this.#leaveMode();
      },
      promptStarted: () => {
        // Only bash's prompt begins with its editing frame.
        if (this.#shell === 'bash') this.#appendPromptStart?.();
        this.#onPromptEditing?.();
      },
      promptDrawn: () => {
        this.#appendPromptEnd?.();
      },
      lineTaken: () => {
        this.#completionSincePrompt = false;
        this.#typedSinceLine = false;
        this.#continuation = false;
        this.#enterPending = false;
      },
      continued: () => {
        this.#continuation = true;
        this.#enterPending = false;
      },
      oldestRun: () => this.#records.values().next().value,
      isRegistered: (record) => this.#records.get(record.runId) === record,
      shellRun: (command) => this.#shellRun(command),
    };
    this.#binder =
      options.mode === 'prompt-hook'
        ? new PromptHookBinder(context, this.#clock)
        : new PostambleBinder({
            context,
            tokens: this.#tokens,
            echo: this.#echo,
            random: this.#random,
          });
    this.#scanner = new FrameScanner(this.#tokens, {
      output: (data) => {
        if (this.#completionUnanswered || this.#completionSincePrompt) this.#completionOutput(data);
        if (this.#echo.active) this.#echo.push(data);
        else this.#appendOutput(data);
      },
      frame: (frame) => this.#onFrame(frame),
    });
    this.ready = new Promise<ReadyOutcome>((resolve) => {
      this.#resolveReady = resolve;
    });
  }

  get isReady(): boolean {
    return this.#isReady;
  }

  get cwd(): string | undefined {
    return this.#cwd;
  }

  get registeredRuns(): number {
    return this.#records.size;
  }

  ingest(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        'ingest() takes the PTY data as a string or a Uint8Array (a Buffer is one)',
      );
    }
    if (this.#ingesting) {
      throw new RunCompletionError(
        'REENTRANT_INGEST',
        'ingest() was called from inside a coordinator callback; queue the chunk and ingest it after the callback returns',
      );
    }
    if (chunk.length === 0) return;
    this.#cancelIdleFlush();
    this.#ingesting = true;
    try {
      this.#scanner.push(chunk);
    } finally {
      this.#ingesting = false;
    }
    if (this.#scanner.holdsReleasable || this.#echo.holds) this.#scheduleIdleFlush();
  }

  prepare(command: string, options: { runId?: string | undefined } = {}): PreparedRun {
    if (typeof command !== 'string') {
      throw new RunCompletionError(
        'INVALID_COMMAND',
        `prepare() takes the command as a string, the text to type at the prompt (got ${describeValue(command)})`,
      );
    }
    if (command.trim() === '') {
      throw new RunCompletionError(
        'INVALID_COMMAND',
        'the command is empty: an empty line runs nothing, so it could never complete; pass the command text to run',
      );
    }
    const forbidden = /[\x00-\x1f\x7f-\x9f]/;
    const bad = forbidden.exec(command);
    if (bad !== null) {
      const code = bad[0].charCodeAt(0);
      const hint =
        code === 0x0a || code === 0x0d
          ? 'each line would start a command of its own: join the lines with ; or &&, or save them as a script and run that'
          : 'control characters act as keys in the shell (Tab completes, Ctrl-C interrupts); send keys by writing to the PTY directly';
      throw new RunCompletionError(
        'INVALID_COMMAND',
        `the command contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${bad.index}: ${hint}`,
      );
    }
    const runId = options.runId ?? `run-${base64Url(this.#random(9))}`;
    if (typeof runId !== 'string' || runId === '') {
      throw new RunCompletionError('INVALID_OPTION', 'runId must be a non-empty string');
    }
    const run: PreparedRun = Object.freeze({ runId, command });
    this.#prepared.add(run);
    return run;
  }

  register(run: PreparedRun, startSeq: number): RegisteredRun {
    if (!this.#prepared.has(run)) {
      throw new RunCompletionError(
        'UNKNOWN_RUN',
        `run ${String((run as Partial<PreparedRun> | undefined)?.runId)} was not prepared by this coordinator, or is already registered; call prepare() for every run and register it once`,
      );
    }
    if (!Number.isSafeInteger(startSeq) || startSeq < 0) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        `startSeq must be the non-negative integer seq of the run_start event, got ${describeValue(startSeq)}`,
      );
    }
    if (this.#records.has(run.runId)) {
      throw new RunCompletionError(
        'DUPLICATE_RUN_ID',
        `run id ${run.runId} belongs to a run that is still registered; use a fresh id`,
      );
    }
    const record = new RunRecord(run.runId, run.command, startSeq, this.#clock.now());
    let textToWrite = `${run.command}\r`;
    if (this.#exited) {
      record.settled = { kind: 'exited' };
    } else {
      this.#expireRegistrations();
      if (this.#records.size >= this.#maxRegistrations) {
        throw new RunCompletionError(
          'REGISTRATION_LIMIT',
          `cannot register run ${run.runId}: ${this.#records.size} runs are registered and not yet settled (maxRegistrations is ${this.#maxRegistrations}); wait for earlier runs, cancel() the ones given up on, or raise maxRegistrations`,
        );
      }
      textToWrite = this.#binder.register(record, !this.#reportsTyping || this.#typedSinceLine);
      this.#records.set(run.runId, record);
    }
    this.#prepared.delete(run);
    return this.#handle(record, textToWrite);
  }

  interrupted(): void {
    // The interrupt ends the line being typed, whatever was typed ahead into it.
    this.#typedAhead = '';
    this.#binder.interrupted();
  }

  keyAfterInterrupt(): string {
    // In a mode of its own (a history search, say), the line editor may take the key as one of
    // it; at a continuation prompt, its redraw would take the place of the `^C` the shell shows.
    return this.lineEditorMayBeInMode || this.commandNeedsMoreLines
      ? ''
      : this.#binder.keyAfterInterrupt(this.#pastedSincePrompt);
  }

  cancel(runId: string): boolean {
    const record = this.#records.get(runId);
    if (record === undefined) return false;
    this.#forget(record);
    settleRun(record, { kind: 'cancelled', reason: 'cancelled' });
    return true;
  }

  probe(): string {
    return this.#binder.probe();
  }

  typed(keys: string): void {
    if (keys !== '') this.#typedSinceLine = true;
    if (this.mode !== 'prompt-hook') return;
    if (keys !== '') this.#lastTyped = keys;
    this.#noteTypedSinceEditing(keys);
    const lineEnd = Math.max(
      keys.lastIndexOf('\r'),
      keys.lastIndexOf('\n'),
      keys.lastIndexOf('\x03'),
    );
    this.#typedAhead = (lineEnd === -1 ? this.#typedAhead + keys : keys.slice(lineEnd + 1)).slice(
      -MAX_TYPED_SINCE_EDITING,
    );
    const modeKeys = modeKeysIn(keys);
    if (modeKeys === 'other') this.#editorInMode = true;
    else if (modeKeys === 'completion') this.#completionTyped();
    else if (
      this.#editorInMode &&
      this.#typedSinceEditing !== undefined &&
      leavesEscapeForInsert(this.#typedSinceEditing)
    )
      // An Escape, then (typed apart) a key back to vi's insert mode: the line editor edits the
      // line again, though it shows nothing of it.
      this.#leaveMode();
    if (keys.includes(pasteStart)) this.#pastedSincePrompt = true;
    if (this.#enterKeys.typed(keys)) this.#enterPending = true;
  }

  #noteTypedSinceEditing(keys: string): void {
    if (this.#typedSinceEditing === undefined) return;
    const typed = this.#typedSinceEditing + keys;
    this.#typedSinceEditing = typed.length <= MAX_TYPED_SINCE_EDITING ? typed : undefined;
  }

  get lineEditorMayBeInMode(): boolean {
    return this.#editorInMode || this.#completionUnanswered;
  }

  #completionTyped(): void {
    // fish closes its completion list at the next key and takes that key into the line.
    if (this.#shell === 'fish') return;
    if (this.#shell === 'bash') {
      this.#completionUnanswered = true;
      this.#completionSincePrompt = true;
    } else this.#editorInMode = true;
  }

  // bash prints what a Tab did before it reads the next key: the completed word, a bell, a list
  // and the prompt again, or a question whose answer is that key (in any output since a Tab: see
  // #completionSincePrompt).
  #completionOutput(data: string | Uint8Array): void {
    const text = typeof data === 'string' ? data : textDecoder.decode(data);
    if (readlineQuestion.test(text)) this.#editorInMode = true;
    if (!this.#completionUnanswered) return;
    this.#completionUnanswered = false;
    if (!this.#editorInMode) this.#onLineEditing?.();
  }

  /** The line editor was seen editing the line after the last keys typed: it has read them all. */
  #leaveMode(): void {
    this.#typedSinceEditing = '';
    // Read by this line editor, they are not ahead of the next one: a history search they opened
    // and closed must not put the prompt after the next command in a mode.
    this.#typedAhead = '';
    if (!this.lineEditorMayBeInMode) return;
    this.#editorInMode = false;
    this.#completionUnanswered = false;
    this.#onLineEditing?.();
  }

  get commandNeedsMoreLines(): boolean {
    return this.#continuation || this.#enterPending;
  }

  textToRestoreTypedLine(): string {
    const text = this.#binder.textToRestoreTypedLine();
    // The line is back in the line editor: a run written before the shell takes it is set aside again.
    if (text !== '') this.#typedSinceLine = true;
    return text;
  }

  flushOnExit(): void {
    this.#cancelIdleFlush();
    this.#scanner.finish();
    this.#echo.flush();
  }

  resetForExit(): void {
    if (this.#exited) return;
    this.#exited = true;
    const records = [...this.#records.values()];
    this.#records.clear();
    this.#binder.reset();
    for (const record of records) settleRun(record, { kind: 'exited' });
    if (!this.#readySettled) {
      this.#readySettled = true;
      this.#resolveReady({ kind: 'exited' });
    }
  }

  #handle(record: RunRecord, textToWrite: string): RegisteredRun {
    const wait = (timeoutMs: number, options: { signal?: AbortSignal | undefined } = {}) =>
      waitForRun(record, timeoutMs, options.signal, this.#clock);
    return Object.freeze({
      runId: record.runId,
      startSeq: record.startSeq,
      command: record.command,
      textToWrite,
      get settled() {
        return record.settled;
      },
      wait,
    });
  }

  // Removes a run from every index.
  #forget(record: RunRecord): void {
    this.#records.delete(record.runId);
    this.#binder.forget(record);
  }

  #expireRegistrations(): void {
    if (this.#records.size === 0 || !Number.isFinite(this.#registrationTtlMs)) return;
    const now = this.#clock.now();
    // Insertion order is registration order, so the oldest come first.
    for (const record of [...this.#records.values()]) {
      if (now - record.registeredAt < this.#registrationTtlMs) break;
      this.#forget(record);
      settleRun(record, { kind: 'cancelled', reason: 'expired' });
    }
  }

  #onFrame(frame: Frame): void {
    // Bytes held as a possible echo came before the frame: they go out first.
    if (this.#echo.active) this.#echo.flush();
    const owner = this.#tokens.get(frame.token);
    this.#expireRegistrations();
    this.#binder.frame(frame, owner);
  }

  // A command the shell started on its own (no registered run was waiting for it): a run of its
  // own when the caller takes such runs.
  #shellRun(command: string): RunRecord | undefined {
    if (this.#appendShellRunStart === undefined || this.#exited) return undefined;
    const runId = `run-${base64Url(this.#random(9))}`;
    const registeredAt = this.#clock.now();
    const startSeq = this.#appendShellRunStart({ runId, command });
    const record = new RunRecord(runId, command, startSeq, registeredAt);
    this.#records.set(runId, record);
    return record;
  }

  #complete(
    record: RunRecord,
    status: number,
    cwd: string,
    options: { keepToken?: boolean } = {},
  ): void {
    this.#records.delete(record.runId);
    this.#binder.completed(record, options.keepToken === true);
    // ksh93 reports death by signal n as 256 + n; everyone else (and POSIX) says 128 + n.
    const exitCode = status > 256 && status <= 256 + 128 ? status - 128 : status;
    // To a tenth of a millisecond: a finer figure is clock noise (1207.0531349999999).
    const durationMs =
      Math.round(Math.max(0, this.#clock.now() - (record.startedAt ?? record.registeredAt)) * 10) /
      10;
    const seq = this.#appendRunComplete({
      runId: record.runId,
      startSeq: record.startSeq,
      exitCode,
      cwd,
      durationMs,
    });
    settleRun(record, { kind: 'completed', exitCode, cwd, seq, durationMs });
  }

  #markReady(cwd: string | undefined): void {
    if (this.#isReady) return;
    this.#isReady = true;
    if (!this.#readySettled) {
      this.#readySettled = true;
      this.#resolveReady({ kind: 'ready', cwd });
    }
    this.#onReady?.({ cwd });
  }

  #scheduleIdleFlush(): void {
    // Longer than a timer can wait (or Infinity): held bytes wait for more input or flushOnExit().
    if (this.#idleFlushMs > MAX_TIMER_MS) return;
    this.#idleConfirming = false;
    this.#idleTimer = this.#clock.setTimeout(this.#onIdle, this.#idleFlushMs);
  }

  #cancelIdleFlush(): void {
    if (this.#idleTimer === undefined) return;
    this.#clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  readonly #onIdle = (): void => {
    // One more turn of the event loop first: a continuation that is already waiting to be read
    // (the host was busy when the idle time ran out) must win over the release.
    if (!this.#idleConfirming) {
      this.#idleConfirming = true;
      this.#idleTimer = this.#clock.setTimeout(this.#onIdle, 0);
      return;
    }
    this.#idleTimer = undefined;
    this.#scanner.releaseUnauthenticated();
    this.#echo.flush();
  };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `${name} must be a number of milliseconds >= 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `maxRegistrations must be a positive integer, got ${describeValue(value)}`,
    );
  }
  return value;
}
