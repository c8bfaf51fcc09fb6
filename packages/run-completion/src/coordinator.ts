import { type Clock, systemClock } from './clock.js';
import { RunCompletionError } from './errors.js';
import { base64Url } from './internal/base64url.js';
import { EchoFilter } from './internal/echo-filter.js';
import { type Frame, postambleLine, probeLine } from './internal/frame-syntax.js';
import { FrameScanner } from './internal/frame-scanner.js';
import { TokenTable } from './internal/token-table.js';
import type { CompletionMode } from './mode.js';
import { type RandomBytes, systemRandom } from './random.js';
import { assertValidToken, randomRunToken } from './token.js';

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
  /** Called once, on the shell's first prompt frame (or first frame of any kind). */
  onReady?: ((outcome: { cwd: string | undefined }) => void) | undefined;
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
   * The exact text to write to the PTY: the command and a carriage return (prompt-hook), or the
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
   * to `register()`.
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
   * Text that makes the shell announce itself. Postamble mode: a line that prints a ready frame and
   * turns on `noflsh`, for a shell not started with `createShellLaunch()` (ssh, unknown shells).
   * Prompt-hook mode: an empty Enter, which prints a new prompt frame without creating a run.
   */
  probe(): string;
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
const RETIRED_TOKENS_KEPT = 256;
// The longest delay setTimeout honours (Node and browsers fire a longer one at once).
const MAX_TIMER_MS = 2 ** 31 - 1;
// The status of a command ended by Ctrl-C (128 + SIGINT).
const INTERRUPTED_STATUS = 130;
// The status of a command the shell found incomplete and did not run (a shell's syntax error).
const INCOMPLETE_STATUS = 2;
const modes: ReadonlySet<string> = new Set<CompletionMode>(['prompt-hook', 'postamble']);
const SESSION = 'session';
const PROBE = 'probe';

type Settled = Exclude<RunOutcome, { kind: 'timeout' }>;

interface Waiter {
  resolve(outcome: RunOutcome): void;
  timer: unknown;
  detach(): void;
}

class RunRecord {
  readonly waiters = new Set<Waiter>();
  token: string | undefined;
  counter = -1;
  startedAt: number | undefined;
  settled: Settled | undefined;

  constructor(
    readonly runId: string,
    readonly command: string,
    readonly startSeq: number,
    readonly registeredAt: number,
  ) {}
}

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
  readonly #idleFlushMs: number;
  readonly #maxRegistrations: number;
  readonly #registrationTtlMs: number;
  readonly #tokens = new TokenTable<RunRecord | typeof SESSION | typeof PROBE>();
  readonly #records = new Map<string, RunRecord>();
  readonly #awaitingStart: RunRecord[] = [];
  /**
   * The runs waiting to start when an interrupt was typed. The kernel discards typed-ahead input on
   * an interrupt and the line editor drops the line it was reading, so none of them can start
   * after it, except one whose line the shell had already accepted (its start frame comes first).
   */
  #interruptedWaiting: RunRecord[] = [];
  readonly #running = new Map<number, RunRecord>();
  readonly #prepared = new WeakSet<PreparedRun>();
  readonly #retiredTokens: string[] = [];
  // Postamble tokens of runs that ended on an `I` frame: the shell may still echo their postamble
  // line, or run it (with the interrupt's status), until a frame of a later line arrives.
  #incompleteTokens: string[] = [];
  readonly #scanner: FrameScanner;
  readonly #echo: EchoFilter;
  #resolveReady: (outcome: ReadyOutcome) => void = () => undefined;
  #isReady = false;
  #readySettled = false;
  #cwd: string | undefined;
  #exited = false;
  #ingesting = false;
  // The shell's command counter: every integration starts at 0 and counts command starts.
  #highestStart = 0;
  #probeToken: string | undefined;
  #idleTimer: unknown;
  #idleConfirming = false;

  constructor(options: RunCoordinatorOptions) {
    if (!modes.has(options.mode)) {
      throw new RunCompletionError(
        'INVALID_OPTION',
        `mode must be 'prompt-hook' or 'postamble', got ${JSON.stringify(options.mode)}; pick one with selectMode()`,
      );
    }
    assertValidToken(options.token, 'the session token');
    if (typeof options.appendOutput !== 'function' || typeof options.appendRunComplete !== 'function') {
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
    this.#idleFlushMs = nonNegative(options.idleFlushMs, DEFAULT_IDLE_FLUSH_MS, 'idleFlushMs');
    this.#maxRegistrations = positiveInteger(options.maxRegistrations, DEFAULT_MAX_REGISTRATIONS);
    this.#registrationTtlMs = nonNegative(
      options.registrationTtlMs,
      DEFAULT_REGISTRATION_TTL_MS,
      'registrationTtlMs',
    );
    this.#tokens.set(options.token, SESSION);
    this.#echo = new EchoFilter((data) => this.#appendOutput(data));
    this.#scanner = new FrameScanner(this.#tokens, {
      output: (data) => {
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
    if (typeof command !== 'string' || command.trim() === '') {
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
        `startSeq must be the non-negative integer seq of the run_start event, got ${String(startSeq)}`,
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
      if (this.mode === 'postamble') {
        const token = randomRunToken(this.#random);
        const line = postambleLine(token, run.command);
        record.token = token;
        this.#tokens.set(token, record);
        this.#echo.arm(token, line);
        textToWrite = `${line}\r`;
      } else {
        this.#awaitingStart.push(record);
      }
      this.#records.set(run.runId, record);
    }
    this.#prepared.delete(run);
    return this.#handle(record, textToWrite);
  }

  interrupted(): void {
    if (this.mode === 'prompt-hook') this.#interruptedWaiting = [...this.#awaitingStart];
  }

  cancel(runId: string): boolean {
    const record = this.#records.get(runId);
    if (record === undefined) return false;
    this.#forget(record);
    this.#settle(record, { kind: 'cancelled', reason: 'cancelled' });
    return true;
  }

  probe(): string {
    if (this.mode === 'prompt-hook') return '\r';
    if (this.#probeToken !== undefined) {
      this.#tokens.delete(this.#probeToken);
      this.#echo.disarm(this.#probeToken);
    }
    const token = randomRunToken(this.#random);
    const line = probeLine(token);
    this.#probeToken = token;
    this.#tokens.set(token, PROBE);
    this.#echo.arm(token, line);
    return `${line}\r`;
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
    this.#awaitingStart.length = 0;
    this.#interruptedWaiting = [];
    this.#running.clear();
    for (const record of records) this.#settle(record, { kind: 'exited' });
    if (!this.#readySettled) {
      this.#readySettled = true;
      this.#resolveReady({ kind: 'exited' });
    }
  }

  #handle(record: RunRecord, textToWrite: string): RegisteredRun {
    const wait = (timeoutMs: number, options: { signal?: AbortSignal | undefined } = {}) =>
      this.#wait(record, timeoutMs, options.signal);
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

  #wait(record: RunRecord, timeoutMs: number, signal: AbortSignal | undefined): Promise<RunOutcome> {
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(
        new RunCompletionError(
          'INVALID_OPTION',
          `wait() needs a timeout in milliseconds (>= 0, or Infinity), got ${String(timeoutMs)}`,
        ),
      );
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (record.settled !== undefined) return Promise.resolve(record.settled);
    return new Promise<RunOutcome>((resolve, reject) => {
      const onAbort = () => {
        waiter.detach();
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        resolve,
        timer: undefined,
        detach: () => {
          record.waiters.delete(waiter);
          if (waiter.timer !== undefined) this.#clock.clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (Number.isFinite(timeoutMs)) {
        // Timers fire at once when asked for more than MAX_TIMER_MS: a longer wait takes steps.
        const arm = (remainingMs: number) => {
          const stepMs = Math.min(remainingMs, MAX_TIMER_MS);
          waiter.timer = this.#clock.setTimeout(() => {
            waiter.timer = undefined;
            if (stepMs < remainingMs) {
              arm(remainingMs - stepMs);
              return;
            }
            waiter.detach();
            resolve({ kind: 'timeout' });
          }, stepMs);
        };
        arm(timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      record.waiters.add(waiter);
    });
  }

  #settle(record: RunRecord, outcome: Settled): void {
    record.settled = outcome;
    for (const waiter of [...record.waiters]) {
      waiter.detach();
      waiter.resolve(outcome);
    }
  }

  // Removes a run from every index.
  #forget(record: RunRecord): void {
    this.#records.delete(record.runId);
    const queued = this.#awaitingStart.indexOf(record);
    if (queued !== -1) this.#awaitingStart.splice(queued, 1);
    if (record.counter !== -1 && this.#running.get(record.counter) === record) {
      this.#running.delete(record.counter);
    }
    if (record.token !== undefined) this.#retireToken(record.token);
  }

  // A run given up on may still print its frame later: its token stays known for a while, so the
  // frame is stripped from the output (and completes nothing) instead of showing the token.
  #retireToken(token: string): void {
    this.#echo.disarm(token);
    this.#retiredTokens.push(token);
    if (this.#retiredTokens.length > RETIRED_TOKENS_KEPT) {
      const oldest = this.#retiredTokens.shift();
      if (oldest !== undefined && this.#tokens.get(oldest) instanceof RunRecord) this.#tokens.delete(oldest);
    }
  }

  #expireRegistrations(): void {
    if (this.#records.size === 0 || !Number.isFinite(this.#registrationTtlMs)) return;
    const now = this.#clock.now();
    // Insertion order is registration order, so the oldest come first.
    for (const record of [...this.#records.values()]) {
      if (now - record.registeredAt < this.#registrationTtlMs) break;
      this.#forget(record);
      this.#settle(record, { kind: 'cancelled', reason: 'expired' });
    }
  }

  #onFrame(frame: Frame): void {
    // Bytes held as a possible echo came before the frame: they go out first.
    if (this.#echo.active) this.#echo.flush();
    const owner = this.#tokens.get(frame.token);
    this.#expireRegistrations();
    switch (frame.kind) {
      case 'S':
        if (owner !== SESSION || this.mode !== 'prompt-hook') return;
        this.#markReady(undefined);
        this.#onStart(frame.counter, frame.command);
        return;
      case 'P':
        if (owner !== SESSION || this.mode !== 'prompt-hook') return;
        this.#cwd = frame.cwd;
        this.#markReady(frame.cwd);
        this.#onPrompt(frame.counter, frame.status, frame.cwd);
        return;
      case 'C':
        if (!(owner instanceof RunRecord)) return;
        this.#releaseIncompleteTokens();
        this.#echo.disarm(frame.token);
        this.#cwd = frame.cwd;
        this.#markReady(frame.cwd);
        if (owner.settled === undefined && this.#records.get(owner.runId) === owner) {
          this.#complete(owner, frame.status, frame.cwd);
        }
        return;
      case 'I':
        if (owner !== SESSION || this.mode !== 'postamble') return;
        this.#releaseIncompleteTokens();
        this.#cwd = frame.cwd;
        this.#markReady(frame.cwd);
        this.#onIncomplete(frame.cwd);
        return;
      case 'R':
        if (owner === PROBE) {
          this.#releaseIncompleteTokens();
          this.#echo.disarm(frame.token);
          this.#tokens.delete(frame.token);
          this.#probeToken = undefined;
        }
        if (owner === SESSION || owner === PROBE) this.#markReady(undefined);
        return;
    }
  }

  // Postamble mode: the shell found the command it was reading incomplete, said so and interrupted
  // itself. The command was the oldest run's (the host types one at a time); it ends with the
  // status of a syntax error. Its postamble line was typed after it, so the shell has read it as
  // part of the command (and drops it) or reads it next (and runs it): its token stays known, so
  // that its echo is still removed and its frame completes nothing, until a later frame arrives.
  #onIncomplete(cwd: string): void {
    const record = this.#records.values().next().value;
    if (record?.token === undefined) return;
    this.#incompleteTokens.push(record.token);
    this.#complete(record, INCOMPLETE_STATUS, cwd, { keepToken: true });
  }

  #releaseIncompleteTokens(): void {
    if (this.#incompleteTokens.length === 0) return;
    for (const token of this.#incompleteTokens) this.#retireToken(token);
    this.#incompleteTokens = [];
  }

  #onStart(counter: number, command: string | undefined): void {
    // A counter we have seen before belongs to an earlier command: it can bind nothing.
    if (counter <= this.#highestStart) return;
    this.#highestStart = counter;
    const waiting = this.#awaitingStart[0];
    // The oldest registered run started, unless the shell names another command line: one typed
    // or pasted into the terminal ahead of it. (Keys typed into the line editor just before the
    // run's text arrived join its line, as they would in any terminal: the line ends with it.)
    const record =
      waiting !== undefined && (command === undefined || command.endsWith(waiting.command))
        ? this.#awaitingStart.shift()
        : this.#shellRun(command ?? '');
    if (record === undefined) return;
    record.counter = counter;
    record.startedAt = this.#clock.now();
    this.#running.set(counter, record);
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

  #onPrompt(counter: number, status: number, cwd: string): void {
    const interrupted = this.#interruptedWaiting;
    this.#interruptedWaiting = [];
    const record = this.#running.get(counter);
    if (record !== undefined) {
      this.#running.delete(counter);
      this.#complete(record, status, cwd);
    } else if (counter > this.#highestStart) {
      // A prompt after a command whose start frame never arrived (output the kernel discarded on
      // Ctrl-C): the oldest run waiting to start is the one that ran.
      this.#highestStart = counter;
      const waiting = this.#awaitingStart.shift();
      if (waiting !== undefined) this.#complete(waiting, status, cwd);
    }
    // The first prompt after an interrupt: runs typed ahead before it were discarded (by the kernel,
    // or by the line editor reading them) and will never start. They end here, as interrupted.
    for (const dropped of interrupted) {
      const queued = this.#awaitingStart.indexOf(dropped);
      if (queued === -1) continue;
      this.#awaitingStart.splice(queued, 1);
      this.#complete(dropped, status > 128 ? status : INTERRUPTED_STATUS, cwd);
    }
  }

  #complete(record: RunRecord, status: number, cwd: string, options: { keepToken?: boolean } = {}): void {
    this.#records.delete(record.runId);
    // The shell may report a run whose line it abandoned once more, at a later prompt: the token
    // stays known for a while, so that frame is removed and completes nothing.
    if (record.token !== undefined && options.keepToken !== true) this.#retireToken(record.token);
    // ksh93 reports death by signal n as 256 + n; everyone else (and POSIX) says 128 + n.
    const exitCode = status > 256 && status <= 256 + 128 ? status - 128 : status;
    const durationMs = Math.max(0, this.#clock.now() - (record.startedAt ?? record.registeredAt));
    const seq = this.#appendRunComplete({
      runId: record.runId,
      startSeq: record.startSeq,
      exitCode,
      cwd,
      durationMs,
    });
    this.#settle(record, { kind: 'completed', exitCode, cwd, seq, durationMs });
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
      `${name} must be a number of milliseconds >= 0, got ${String(value)}`,
    );
  }
  return value;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `maxRegistrations must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

