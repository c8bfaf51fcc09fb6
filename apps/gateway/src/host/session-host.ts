import {
  LifelineErrorCode,
  MAX_COMMAND_BYTES,
  MAX_INPUT_BYTES,
  type EventPayload,
  type RunResult,
  type SessionEvent,
  type SessionSignal,
  type SessionSummary,
  type TypedBy,
} from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import {
  createRunCoordinator,
  hasVisibleText,
  promptInterruptKey,
  type CompletionMode,
  type RegisteredRun,
  type RunCoordinator,
  type ShellKind,
} from '@lifeline/run-completion';
import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../event-log/event-log-writer.js';
import { OutputCoalescer } from '../event-log/output-coalescer.js';
import type { SessionRecord } from '../state/session-record.js';
import type { Breadcrumb } from './breadcrumb.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import {
  foregroundProcessGroup,
  planSignalDelivery,
  processGroup,
  typeSignalKey,
} from './foreground-signal.js';
import { InputMasking } from './input-masking.js';
import { TerminalQueryReplies } from './terminal-query-replies.js';
import {
  cutAfterInterrupt,
  INTERRUPT_HOLD_MS,
  INTERRUPT_KEY,
  InterruptHold,
  interruptClearsLineLate,
  typesKeyAfterInterrupt,
} from './interrupt-hold.js';
import { lineEditorWaitsForKey } from './line-editor-wait.js';
import { waitsForTerminalInput } from './input-wait.js';
import { PASTE_END, withInterruptKey } from './prompt-interrupt.js';
import { runsFromScript, scriptText, sourcingLine } from './sourced-command.js';
import { PtyFlow } from './pty-flow.js';
import type { PtyProcess } from './pty-process.js';
import { RecordKeeper, withoutRun } from './record-keeper.js';
import { RunInputWaitWatcher } from './run-input-wait.js';
import { busyError, type BusyReason } from './busy-error.js';
import { linuxProc } from './proc-reader.js';
import { shellReportsStops, statusWithStop, stoppedChildren } from './stopped-jobs.js';
import { describeOutcome, RunQueue, type QueuedRun } from './run-queue.js';
import { TerminalSizeClaims } from '../terminal-size-claims.js';

export type { Breadcrumb } from './breadcrumb.js';

/** How a run is asked for (`host.run`). */
export interface RunRequest {
  command: string;
  /** How long the caller waits for the run to start (and, with `wait`, to complete). */
  timeoutMs: number;
  /** Answer when the run completes (else as soon as it has started). */
  wait: boolean;
  /** Refuse at once while a command runs or waits. */
  ifIdle: boolean;
  /**
   * How long from now the run may still start: a caller that gave up must never see it start
   * later. 0 or less: it is refused unstarted (a retry of a started run is still answered).
   */
  startWithinMs: number;
  /** `person` when someone typed it at a client's prompt. */
  typedBy?: TypedBy | undefined;
  /** The caller's name for the run: a retry with it is answered with the run it names. */
  idempotencyKey: string | undefined;
  /** Aborted when the caller withdraws the run: if it has not started, it never does. */
  withdrawn?: AbortSignal | undefined;
}

/** A run asked for with an idempotency key, as its retries find it. */
interface KeptRun {
  command: string;
  /** The answer to the first request. */
  firstAnswer: Promise<RunResult>;
  /** Once the run has started. */
  started?: { run: RegisteredRun; result: RunResult };
}

/** A consumer of live events (one per connected gateway). */
export interface EventSubscriber {
  /**
   * One event, with its log record's bytes (the event's JSON text, valid only during the call)
   * when it is on disk: sent on as they are, the event is serialised once, by the log.
   */
  event(event: SessionEvent, record: Buffer | undefined): void;
  /** Bytes queued for this consumer and not yet taken. */
  backlog(): number;
  /**
   * Calls `listener` each time what was queued for this consumer has all been taken; returns its
   * removal. A PTY paused for this consumer resumes then, instead of at flow control's next look.
   */
  onDrain?(listener: () => void): () => void;
  /**
   * Holds what is sent to this consumer from now on (events, and answers on its connection) until
   * the returned release is called; then all of it goes at the end of that event-loop turn, in
   * order, in one write. Without it, events go as they come.
   */
  hold?(): () => void;
}

/**
 * Longest a run's start waits to be sent with what the shell answers to the command (see
 * `holdForShell`): the bound output waits for coalescing anyway.
 */
const SHELL_ANSWER_WAIT_MS = 16;

/**
 * How often, while keys typed before the shell's first prompt wait for it, the host looks whether
 * something reads the terminal already (see {@link SessionHost.startupReadsKeys}).
 */
const START_HOLD_POLL_MS = 100;

/**
 * How often, while keys held after Ctrl+C wait for the line editor's editing frame, the host looks
 * whether the line editor reads the terminal already (a prompt whose editing frame never comes: a
 * user's prompt that drops it), and for how long at most.
 */
const LINE_EDITOR_POLL_MS = 10;
const LINE_EDITOR_POLL_LIMIT_MS = 10_000;

/**
 * Longest a Ctrl+C at a bash or zsh prompt waits for the shell to read the keys typed before it
 * (see {@link SessionHost.awaitKeysRead}): a paste of megabytes, which it then interrupts.
 */
const KEYS_READ_LIMIT_MS = 3000;

/**
 * The longest keys typed before the shell's first prompt wait for it: a prompt that prints nothing
 * visible, on a system where the host cannot see the shell read its terminal, would hold them for
 * good. (Startup files slower than this get their keys echoed as the terminal echoes them.)
 */
const START_HOLD_LIMIT_MS = 10_000;

/**
 * Keys that act on whatever runs when they are typed (interrupt, suspend, quit, end of input): they
 * do not wait for the shell's first prompt, and neither does what was typed before them.
 */
const startupKeys = /[\x03\x04\x1a\x1c]/;

/** Keys typed before the shell's first prompt, and the run queued last as they came. */
interface KeysTypedAhead {
  data: string;
  secret: boolean;
  /** Asked for before these keys: they are typed after its command. */
  behind: QueuedRun | undefined;
}

/** Everything a session host is made of; process glue builds it, tests can too. */
export interface SessionHostOptions {
  record: SessionRecord;
  /** The session's log: an `EventLogWriter`, or a `SpaceWaitingLog` over one. */
  log: {
    appendRecorded(payload: EventPayload): RecordedEvent;
    readonly lastSeq: number;
    readonly lastTime: number | undefined;
    /** The events after `seq` not on disk yet (a `SpaceWaitingLog` while the disk is full). */
    unwrittenAfter?(seq: number): SessionEvent[];
  };
  /** Starts the shell; called once by `start()`. */
  startShell: () => {
    pty: PtyProcess;
    mode: CompletionMode;
    kind: ShellKind;
    token: string;
    cwd: string;
    /** The `TERM` the shell's terminal got, recorded in `host_start`. */
    term?: string;
  };
  /** Saves a multi-line command as a private script; returns its path and how to remove it. */
  saveScript: (text: string) => { path: string; remove: () => void };
  /** The last event already in the log when this host starts, if any. */
  previousEvent: SessionEvent | undefined;
  /**
   * Persists the record when the cwd, last command or size change; returns false when it could
   * not (its file keeps the previous one).
   */
  saveRecord: (record: SessionRecord) => boolean;
  breadcrumb: Breadcrumb;
  /** @default Date.now */
  now?: () => number;
  /** How often flow control looks again while the PTY is paused. @default 5 */
  flowPollMs?: number;
  /**
   * Longest wait for the shell to print its prompt before typing the next command anyway (a
   * shell with an empty prompt prints nothing). @default 250
   */
  promptWaitMs?: number;
  /**
   * How long a run must print nothing and be typed nothing while its program waits to read the
   * terminal before `input_wait` is recorded. @default 1000
   */
  inputWaitQuietMs?: number;
  /** How often a run is looked at for that. @default 250 */
  inputWaitPollMs?: number;
  /** Called for each event logged (cheap): something happened in the session. */
  activity?: () => void;
}

const encoder = new TextEncoder();

/**
 * One durable shell session: the PTY, the run-completion coordinator and the single writer of the
 * session's event log. A façade over its collaborators: the run queue ({@link RunQueue}), flow
 * control ({@link PtyFlow}), the record ({@link RecordKeeper}), the input-wait watch
 * ({@link RunInputWaitWatcher}) and input masking ({@link InputMasking}). Every event is on disk
 * before any subscriber sees it.
 */
export class SessionHost {
  /** Resolves when the shell has exited and `host_exit` is in the log. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly options: SessionHostOptions;
  private readonly now: () => number;
  private readonly coalescer: OutputCoalescer;
  private readonly subscribers = new Set<EventSubscriber>();
  private readonly queue: RunQueue;
  private readonly records: RecordKeeper;
  private readonly flow: PtyFlow;
  private readonly inputWait: RunInputWaitWatcher;
  private readonly masking = new InputMasking();
  /** The sizes the connected clients asked for (a connection is a client). */
  private readonly sizeClaims = new TerminalSizeClaims<object>();
  /**
   * A prompt frame came, and the shell's line editor has not shown yet that it has the terminal:
   * the prompt hooks still run (a user's may take a while), the terminal echoing keys as commands
   * have it.
   */
  private promptHooksRun = false;
  /** Looks, while {@link promptHooksRun} and keys are held after Ctrl+C, whether the line editor reads. */
  private lineEditorPoll: NodeJS.Timeout | undefined;
  /** Looks, while a Ctrl+C waits for the shell to read the keys before it, whether it has. */
  private keysReadPoll: NodeJS.Timeout | undefined;
  /** Whether the keys typed last ended a bracketed paste. */
  private pasteTypedLast = false;
  /** Keys typed right after Ctrl+C at a bash or zsh prompt, until the shell's next prompt. */
  private readonly interruptHold = new InterruptHold<{
    data: string;
    secret: boolean;
    /** A Ctrl+C held until the shell had read the keys before it (see `type`). */
    afterKeysRead?: boolean;
  }>((held) => {
    for (const { data, secret, afterKeysRead } of held)
      this.type(data, secret, undefined, afterKeysRead);
  });
  /**
   * Keys typed before the line editor of a shell with prompt frames first showed its prompt (see
   * {@link promptTimer}), in order; undefined once it did (or for a shell without prompt frames).
   * Not let go when the prompt is merely late (the prompt timer): a prompt printed, or the shell
   * (or a question of its startup files) reading the terminal, lets them go.
   * Typed into a shell still starting, a line is echoed by the terminal itself (its startup output,
   * as far as anyone can tell) and again, with the prompt, by the line editor once it starts.
   */
  private startHold: KeysTypedAhead[] | undefined;
  private startHoldPoll: NodeJS.Timeout | undefined;
  /**
   * Keys let go by {@link startHold} while a run asked for before them still waits for its turn:
   * typed once it has been, after its command, as a terminal takes keys typed ahead.
   */
  private keysBehindRuns: KeysTypedAhead[] = [];
  private readonly runKeys = new IdempotencyKeys<KeptRun>();
  /** Keys of input that was typed, with a digest of what was typed. */
  private readonly inputKeys = new IdempotencyKeys<string>();
  /** Questions the program asked its terminal, for clients' answers (see {@link reply}). */
  private readonly queryReplies = new TerminalQueryReplies();
  private pty: PtyProcess | undefined;
  private coordinator: RunCoordinator | undefined;
  private shellKind: ShellKind = 'unknown';
  private currentRun: RegisteredRun | undefined;
  /** A command the shell started on its own (typed at its prompt, pasted), while it runs. */
  private shellRun: { runId: string; startSeq: number } | undefined;
  /**
   * The shell's children stopped as the running command started, in a shell that does not report
   * a stop in its status (see `statusWithStop`).
   */
  private stoppedAtRunStart: Set<number> | undefined;
  /**
   * Set at each prompt frame until the prompt itself is printed: only then does the shell's line
   * editor own the terminal. Typed earlier, a command is echoed twice (by the terminal, then by
   * the line editor when it redraws what was typed ahead).
   */
  private promptTimer: NodeJS.Timeout | undefined;
  /** Releases of what subscribers hold while the shell has not answered a run's command yet. */
  private heldForShell: (() => void)[] = [];
  private shellAnswerTimer: NodeJS.Timeout | undefined;
  private hasExited = false;
  private resolveExited!: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;

  constructor(options: SessionHostOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.queue = new RunQueue(this.now);
    this.records = new RecordKeeper({ record: options.record, persist: options.saveRecord });
    this.flow = new PtyFlow({
      backlogs: () => [...this.subscribers].map((subscriber) => subscriber.backlog()),
      typing: () => this.pty?.typing === true,
      pty: () => (this.hasExited ? undefined : this.pty),
      breadcrumb: options.breadcrumb,
      now: this.now,
      ...(options.flowPollMs === undefined ? {} : { pollMs: options.flowPollMs }),
    });
    this.inputWait = new RunInputWaitWatcher({
      now: this.now,
      records: this.records,
      breadcrumb: options.breadcrumb,
      paused: () => this.flow.paused,
      completionMode: () => this.completionMode,
      shellKind: () => this.shellKind,
      appendInputWait: (runId) => {
        this.append({ type: 'input_wait', runId });
        // A program's command queued behind one that waits for someone to type might wait for
        // good: it is refused now, as it would be were it asked for now.
        this.queue.rejectWhere(
          (queued) => queued.typedBy !== 'person',
          () => waitingForInputError(this.runningCommand, this.record.sid, runId),
        );
      },
      ...(options.inputWaitQuietMs === undefined ? {} : { quietMs: options.inputWaitQuietMs }),
      ...(options.inputWaitPollMs === undefined ? {} : { pollMs: options.inputWaitPollMs }),
    });
    this.coalescer = new OutputCoalescer({ emit: (data) => this.append({ type: 'output', data }) });
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  private get record(): SessionRecord {
    return this.records.current;
  }

  /** How the shell's runs are told apart, as its record keeps it (from the shell's start on). */
  private get completionMode(): CompletionMode {
    return this.record.completionMode ?? 'prompt-hook';
  }

  /** The command of the run going on, as it was asked for (a script may be sourced to run it). */
  private get runningCommand(): string {
    return this.record.lastCommand ?? '';
  }

  /** The run going on, whoever started it. */
  private get runningRun(): { runId: string; startSeq: number } | undefined {
    return this.currentRun ?? this.shellRun;
  }

  /** Seq of the latest event. */
  get lastSeq(): number {
    return this.options.log.lastSeq;
  }

  /** The events after `seq` that wait in memory for room on a full disk, in seq order. */
  unwrittenAfter(seq: number): SessionEvent[] {
    return this.options.log.unwrittenAfter?.(seq) ?? [];
  }

  /**
   * Records the start (closing the log of a previous host that died without a trace), then starts
   * the shell.
   */
  start(hostPid: number): void {
    const previous = this.options.previousEvent;
    if (previous !== undefined && previous.type !== 'host_exit') {
      this.append({
        type: 'note',
        text: 'the previous session host ended without recording its exit',
      });
      this.append({ type: 'host_exit', code: null, signal: null });
    }
    const shell = this.options.startShell();
    this.pty = shell.pty;
    this.shellKind = shell.kind;
    this.startHold = shell.mode === 'prompt-hook' ? [] : undefined;
    if (shell.cwd !== this.record.cwd) {
      this.append({
        type: 'note',
        text: `${this.record.cwd} is gone; the shell starts in ${shell.cwd}`,
      });
    }
    // A run the previous host left going ended with it: listings must not see it a moment longer.
    this.records.save({ ...withoutRun(this.record), cwd: shell.cwd, completionMode: shell.mode });
    this.records.flush();
    this.append({
      type: 'host_start',
      pid: hostPid,
      cwd: shell.cwd,
      ...(shell.term === undefined ? {} : { term: shell.term }),
    });
    this.append({ type: 'resize', cols: this.record.cols, rows: this.record.rows });
    this.coordinator = createRunCoordinator({
      mode: shell.mode,
      token: shell.token,
      shell: shell.kind,
      // Every key people type reaches the shell through `input()`, which reports it.
      reportsTyping: true,
      appendOutput: (data) => {
        const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
        // Output counts as the run's activity as it is read, whenever the coalescer logs it.
        if (text.length > 0) this.inputWait.printed(text);
        this.coalescer.push(text);
        // The prompt is shown once something visible follows the prompt frame; mode switches
        // such as bracketed paste come earlier, while the line editor is still setting up.
        if (this.promptTimer !== undefined && hasVisibleText(text)) {
          // Printed, the prompt is the line editor's: it reads the keys typed while it started.
          this.releaseStartHold();
          this.promptShown();
        }
      },
      appendRunComplete: (event) => {
        const stoppedAtStart = this.stoppedAtRunStart;
        this.stoppedAtRunStart = undefined;
        const exitCode =
          stoppedAtStart === undefined
            ? event.exitCode
            : statusWithStop(
                event.exitCode,
                stoppedAtStart,
                stoppedChildren(linuxProc, shell.pty.pid),
              );
        const complete = this.append({ type: 'run_complete', ...event, exitCode });
        this.records.save({ ...withoutRun(this.record), cwd: event.cwd });
        if (this.shellRun?.runId === event.runId) {
          this.shellRun = undefined;
          this.inputWait.stop();
        }
        // A run ended: the shell started long ago, whether or not its first prompt was seen.
        this.releaseStartHold();
        this.awaitPrompt();
        return complete.seq;
      },
      appendPromptStart: () => {
        this.append({ type: 'prompt_start' });
      },
      appendPromptEnd: () => {
        this.append({ type: 'prompt_end' });
      },
      appendShellRunStart: ({ runId, command }) => {
        this.noteRunStart();
        const start = this.append({ type: 'run_start', runId, command, origin: 'shell' });
        this.shellRun = { runId, startSeq: start.seq };
        this.records.save({
          ...this.record,
          lastCommand: command,
          running: { runId, startSeq: start.seq },
        });
        this.inputWait.watch(runId, shell.pty.pid);
        return start.seq;
      },
      // A run held back while keys had the line editor in a mode of its own goes once it shows.
      // (A prompt that ends a run, or the first one, is awaited already.)
      onPrompt: () => {
        this.promptHooksRun = true;
        if (this.interruptHold.holding) this.awaitLineEditor(shell.pty.pid);
        if (this.promptTimer === undefined) this.awaitPrompt();
      },
      onPromptEditing: () => {
        this.lineEditorHasTerminal();
      },
      // The shell showed that keys are taken into the line again: a run held back may go now.
      onLineEditing: () => {
        setImmediate(() => {
          this.pump();
        });
      },
      onReady: ({ cwd }) => {
        this.options.breadcrumb('shell.ready', { mode: shell.mode });
        // Its prompt frame comes before its prompt: what it printed before was not the prompt.
        if (shell.mode === 'prompt-hook')
          this.append({ type: 'shell_ready', ...(cwd === undefined ? {} : { cwd }) });
        this.awaitPrompt();
      },
    });
    const coordinator = this.coordinator;
    shell.pty.onData((data) => {
      this.queryReplies.seen(data, Date.now());
      coordinator.ingest(data);
    });
    shell.pty.onExit((exit) => {
      this.handleShellExit(exit);
    });
  }

  /** A command starts: in a shell that does not report stops, which of its children are stopped. */
  private noteRunStart(): void {
    const pty = this.pty;
    this.stoppedAtRunStart =
      pty === undefined || shellReportsStops(this.shellKind)
        ? undefined
        : stoppedChildren(linuxProc, pty.pid);
  }

  /** Sends subscribers an event the log recorded by itself (a full disk, room again). */
  announce(event: SessionEvent): void {
    for (const subscriber of this.subscribers) subscriber.event(event, undefined);
  }

  /** Adds a live consumer; returns its removal. */
  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    const stopWatching = subscriber.onDrain?.(() => {
      if (this.flow.paused) this.flow.update();
    });
    return () => {
      stopWatching?.();
      this.subscribers.delete(subscriber);
      this.flow.update();
    };
  }

  /** A gateway's request to pause (or stop pausing) on behalf of its slow clients. */
  requestPause(requester: object, paused: boolean): void {
    this.flow.request(requester, paused);
  }

  /**
   * Runs a command once the runs before it are done. Resolves when it completes, times out or the
   * shell exits (`wait`), or as soon as it has started (`wait: false`). A request with the
   * idempotency key of one this host took is answered with that run, and starts nothing.
   * @throws RpcError `SessionBusy` when the run could not even start within its time, or at once
   * with `ifIdle` while a command runs or waits; `InvalidParams` when the key named another command
   */
  run(request: RunRequest): Promise<RunResult> {
    const { command, timeoutMs, wait, ifIdle, typedBy, idempotencyKey } = request;
    const size = encoder.encode(command).length;
    if (size > MAX_COMMAND_BYTES) {
      return Promise.reject(
        new RpcError(
          LifelineErrorCode.PayloadTooLarge,
          `the command is ${size} bytes; the limit is ${MAX_COMMAND_BYTES}: put long scripts in a file and run the file`,
          {
            data: { limit: MAX_COMMAND_BYTES, size },
          },
        ),
      );
    }
    const kept = idempotencyKey === undefined ? undefined : this.runKeys.get(idempotencyKey);
    if (kept) return this.retriedRun(kept, request);
    if (request.startWithinMs <= 0) return Promise.reject(lateRunError(command));
    if (this.hasExited) return Promise.reject(this.exitedError());
    const busyWith = this.runningRun ? this.runningCommand : this.queue.nextCommand;
    // Someone's keys hold the prompt (a command that needs more lines, a line editor mode): the
    // session is not idle either.
    const heldAtPrompt = busyWith === undefined ? this.busyReason() : undefined;
    if (ifIdle && (heldAtPrompt === 'continuation' || heldAtPrompt === 'line-editor-mode'))
      return Promise.reject(busyError(heldAtPrompt, 0, '', this.record.sid, undefined));
    if (ifIdle && busyWith !== undefined) {
      return Promise.reject(
        new RpcError(
          LifelineErrorCode.SessionBusy,
          `the session is busy with "${busyWith}", so the command was not started`,
          {
            data: {
              sid: this.record.sid,
              runningRunId: this.runningRun?.runId ?? null,
              command: busyWith,
            },
          },
        ),
      );
    }
    // A program's command behind one that waits for someone to type might wait for good.
    const waiting = this.runningRun && this.record.running?.waitsForInput === true;
    if (waiting && typedBy !== 'person')
      return Promise.reject(
        waitingForInputError(this.runningCommand, this.record.sid, this.runningRun.runId),
      );
    let keep: KeptRun | undefined;
    const result = this.queue.add(
      command,
      Math.min(timeoutMs, request.startWithinMs),
      wait,
      () =>
        busyError(
          this.busyReason(),
          timeoutMs,
          this.runningCommand,
          this.record.sid,
          this.runningRun?.runId,
        ),
      {
        ...(typedBy === undefined ? {} : { typedBy }),
        ...(request.withdrawn === undefined ? {} : { withdrawn: request.withdrawn }),
        started: (started) => {
          if (keep) keep.started = started;
        },
      },
    );
    if (idempotencyKey !== undefined) {
      const kept: KeptRun = { command, firstAnswer: result };
      keep = kept;
      this.runKeys.set(idempotencyKey, kept);
      // A run refused before it started did not happen: asked for again, it must start.
      result.catch(() => {
        if (kept.started === undefined) this.runKeys.forget(idempotencyKey, kept);
      });
    }
    this.pump();
    return result;
  }

  /** The answer to a request carrying the key of a run asked for before: that run's. */
  private retriedRun(kept: KeptRun, request: RunRequest): Promise<RunResult> {
    if (kept.command !== request.command) {
      return Promise.reject(
        new RpcError(
          RpcErrorCode.InvalidParams,
          `idempotency key "${request.idempotencyKey}" was given to the run of "${kept.command}"; give each command its own key`,
        ),
      );
    }
    const started = kept.started;
    // Still queued: it starts once, and both callers hear of it.
    if (!started) return kept.firstAnswer;
    if (!request.wait) return Promise.resolve(started.result);
    return started.run
      .wait(request.timeoutMs)
      .then((outcome) => describeOutcome(started.result, outcome));
  }

  /**
   * Types clients' answers to the questions the program asked its terminal: one per question, the
   * first to come (see {@link TerminalQueryReplies}); nothing once the shell has exited.
   */
  reply(data: string): void {
    if (!this.pty || this.hasExited) return;
    const taken = this.queryReplies.take(data, Date.now());
    if (taken !== '') this.pty.write(taken);
  }

  /**
   * Types into the terminal; with `runId`, only while that run goes on. Recorded masked when
   * `secret`, or when the terminal reads it without echo (a password).
   * @throws RpcError `InvalidParams` when `runId` is not the run going on (nothing is typed)
   */
  input(data: string, runId?: string, secret = false, idempotencyKey?: string): void {
    const size = encoder.encode(data).length;
    if (size > MAX_INPUT_BYTES) {
      throw new RpcError(
        LifelineErrorCode.PayloadTooLarge,
        `input of ${size} bytes is over the ${MAX_INPUT_BYTES}-byte limit; send it in smaller pieces`,
        {
          data: { limit: MAX_INPUT_BYTES, size },
        },
      );
    }
    const digest =
      idempotencyKey === undefined ? undefined : createHash('sha256').update(data).digest('hex');
    if (idempotencyKey !== undefined) {
      const typed = this.inputKeys.get(idempotencyKey);
      if (typed === digest) return;
      if (typed !== undefined) {
        throw new RpcError(
          RpcErrorCode.InvalidParams,
          `idempotency key "${idempotencyKey}" was given to other input, so nothing was typed; give each input its own key`,
        );
      }
    }
    const pty = this.livePty();
    if (runId !== undefined && this.runningRun?.runId !== runId) {
      throw new RpcError(
        RpcErrorCode.InvalidParams,
        `run ${runId} is not going on in session ${this.record.sid} any more, so nothing was typed (the shell would have taken it for a command line)`,
      );
    }
    this.type(data, secret, pty);
    if (idempotencyKey !== undefined && digest !== undefined)
      this.inputKeys.set(idempotencyKey, digest);
  }

  /**
   * Types keys into the terminal, unless keys typed after a Ctrl+C at the prompt are held (see
   * {@link InterruptHold}): then they wait behind those.
   * @param afterKeysRead `data` (a Ctrl+C and what follows it) already waited for the shell to read
   *   the keys typed before it
   */
  private type(data: string, secret: boolean, pty = this.livePty(), afterKeysRead = false): void {
    if (this.startHold !== undefined) {
      if (!startupKeys.test(data) && !this.startupReadsKeys(pty.pid)) {
        if (this.startHold.length === 0) this.holdForFirstPrompt(pty.pid);
        this.startHold.push({ data, secret, behind: this.queue.last });
        return;
      }
      this.releaseStartHold();
    }
    if (this.interruptHold.holding) {
      this.interruptHold.hold({ data, secret });
      return;
    }
    const atPrompt = this.lineEditorReads();
    const cut =
      atPrompt && interruptClearsLineLate(this.shellKind) ? cutAfterInterrupt(data) : undefined;
    // Keys before a Ctrl+C go on their own first: in one write with it, the terminal would throw
    // them away unread as the key interrupts the shell (a line typed and left with Ctrl+C at once,
    // by a fast typist or keys that came together, was gone: bash's whole, zsh's but its start).
    const firstInterrupt = cut === undefined ? -1 : data.indexOf(INTERRUPT_KEY);
    if (firstInterrupt > 0) {
      this.type(data.slice(0, firstInterrupt), secret, pty);
      this.type(data.slice(firstInterrupt), secret, pty);
      return;
    }
    if (
      cut !== undefined &&
      !afterKeysRead &&
      (this.pasteTypedLast || pty.typing) &&
      !this.shellReadAllKeys(pty)
    ) {
      // Typed once the shell has read the keys before it (see awaitKeysRead), and then not held
      // again; what comes meanwhile waits behind it.
      this.pasteTypedLast = false;
      this.interruptHold.start(KEYS_READ_LIMIT_MS);
      this.interruptHold.hold({ data, secret, afterKeysRead: true });
      this.awaitKeysRead(pty);
      return;
    }
    const now = cut?.now ?? data;
    // Looked at before the Ctrl+C goes, which wakes the shell. Its prompt hooks, still running,
    // are interrupted by it: the terminal, which echoes keys then, would echo the key after too.
    const typesNudge =
      cut !== undefined &&
      !this.promptHooksRun &&
      typesKeyAfterInterrupt(this.shellKind, now, () => lineEditorWaitsForKey(pty.pid));
    this.append(
      this.masking.payload(now, pty.pid, secret, atPrompt && this.shellHasTerminal(pty.pid)),
    );
    // (Made before the coordinator hears of the keys, whose line ends change what it says.)
    const typed = atPrompt ? this.withPromptInterruptKey(now, pty.pid) : now;
    this.coordinator?.typed(now);
    // A shell busy when the interrupt came acts on it once a key comes: this one does nothing. It
    // goes in the same write as the Ctrl+C: the terminal takes both before the shell, acting on the
    // interrupt, can hand it its echo back (written after, it could be echoed).
    const nudge = cut === undefined ? '' : (this.coordinator?.keyAfterInterrupt() ?? '');
    this.coalescer.keysTyped();
    pty.write(typesNudge ? typed + nudge : typed);
    this.pasteTypedLast = now.endsWith(PASTE_END);
    if (cut === undefined) return;
    // One that was waiting for a key and shows no prompt after all gets it then.
    const lateNudge = !typesNudge && nudge !== '' ? () => pty.write(nudge) : undefined;
    this.interruptHold.start(INTERRUPT_HOLD_MS, lateNudge);
    if (this.promptHooksRun) this.awaitLineEditor(pty.pid);
    if (cut.after !== '') this.interruptHold.hold({ data: cut.after, secret });
  }

  /**
   * Whether the shell has read every key typed into its terminal so far: none waits to be written,
   * those written a moment ago were echoed (a shell woken by keys may still look as if it waited
   * for them), and its line editor waits for the next.
   */
  private shellReadAllKeys(pty: PtyProcess): boolean {
    return !pty.keysWaiting && !pty.keysUnanswered && lineEditorWaitsForKey(pty.pid);
  }

  /**
   * A Ctrl+C at a bash or zsh prompt right after other keys waits until the shell has read them
   * (at most {@link KEYS_READ_LIMIT_MS}): the terminal throws away the keys it still holds as the
   * key interrupts the shell, so a line typed and left with Ctrl+C was not shown, and zsh,
   * interrupted as it read a paste's end marker, kept the marker's rest and typed it at its next
   * prompt, in front of the next command (`[201~echo …`). The line read is thrown away all the same.
   */
  private awaitKeysRead(pty: PtyProcess): void {
    clearInterval(this.keysReadPoll);
    this.keysReadPoll = setInterval(() => {
      if (!this.interruptHold.holding) this.stopAwaitingKeysRead();
      else if (this.shellReadAllKeys(pty)) {
        this.stopAwaitingKeysRead();
        this.interruptHold.release();
      }
    }, LINE_EDITOR_POLL_MS);
  }

  private stopAwaitingKeysRead(): void {
    clearInterval(this.keysReadPoll);
    this.keysReadPoll = undefined;
  }

  /**
   * Keys are held after Ctrl+C while the prompt hooks run: they go once the shell's line editor has
   * the terminal, which it shows with an editing frame, or by waiting to read a key. Typed while the
   * hooks run, they would be echoed by the terminal (a Ctrl+C, and the key after it).
   */
  private awaitLineEditor(shellPid: number): void {
    if (this.lineEditorPoll !== undefined) return;
    const since = this.now();
    this.lineEditorPoll = setInterval(() => {
      if (lineEditorWaitsForKey(shellPid) || this.now() - since >= LINE_EDITOR_POLL_LIMIT_MS)
        this.lineEditorHasTerminal();
    }, LINE_EDITOR_POLL_MS);
  }

  /** The shell's line editor has the terminal at a new prompt: keys held after Ctrl+C go. */
  private lineEditorHasTerminal(): void {
    this.stopAwaitingLineEditor();
    this.promptHooksRun = false;
    this.interruptHold.release();
  }

  private stopAwaitingLineEditor(): void {
    clearInterval(this.lineEditorPoll);
    this.lineEditorPoll = undefined;
  }

  /**
   * Keys start to wait for the shell's first prompt (see {@link startHold}): they go once something
   * reads the terminal, the shell has exited, or {@link START_HOLD_LIMIT_MS} passed.
   */
  private holdForFirstPrompt(shellPid: number): void {
    this.options.breadcrumb('input.wait-first-prompt', { shell: this.shellKind });
    const since = this.now();
    this.startHoldPoll = setInterval(() => {
      if (
        this.hasExited ||
        this.now() - since >= START_HOLD_LIMIT_MS ||
        this.startupReadsKeys(shellPid)
      )
        this.releaseStartHold();
    }, START_HOLD_POLL_MS);
  }

  /**
   * Whether, before the shell's first prompt, something reads its terminal already: its line editor
   * (the prompt is out, the host has not read it yet), or a question its startup files ask.
   */
  private startupReadsKeys(shellPid: number): boolean {
    return (
      lineEditorWaitsForKey(shellPid) ||
      waitsForTerminalInput(shellPid, { includeShell: true, readsUnseen: () => undefined })
    );
  }

  /**
   * The shell's line editor shows its first prompt, or something else reads the terminal before
   * it (see {@link startHold}): what was typed before is typed now, in order, and keys are typed
   * as they come from now on.
   */
  private releaseStartHold(): void {
    const held = this.startHold;
    if (held === undefined) return;
    this.startHold = undefined;
    clearInterval(this.startHoldPoll);
    this.startHoldPoll = undefined;
    if (this.hasExited) return;
    this.keysBehindRuns.push(...held);
    this.typeKeysBehindRuns();
  }

  /** Types the keys of {@link keysBehindRuns} whose runs have been typed (or left the queue), in order. */
  private typeKeysBehindRuns(): void {
    for (let next = this.keysBehindRuns[0]; next !== undefined; next = this.keysBehindRuns[0]) {
      if (next.behind !== undefined && this.queue.has(next.behind)) return;
      this.keysBehindRuns.shift();
      this.type(next.data, next.secret);
    }
  }

  /** Whether keys typed now reach the shell's line editor at its prompt (no command runs). */
  private lineEditorReads(): boolean {
    return (
      this.completionMode === 'prompt-hook' &&
      this.coordinator?.isReady === true &&
      !this.runningRun
    );
  }

  /** Whether the terminal's foreground process group is the shell's own (no program has it). */
  private shellHasTerminal(shellPid: number): boolean {
    const foreground = foregroundProcessGroup(shellPid);
    return foreground !== undefined && foreground === processGroup(shellPid);
  }

  /**
   * `data` with each Ctrl+C as the shell's integration takes it at the prompt (fish: a key of its
   * own). Not while a line entered may be starting a command, nor while a program a key binding
   * started (a fuzzy finder) has the terminal: Ctrl+C is for them.
   */
  private withPromptInterruptKey(data: string, shellPid: number): string {
    const key = promptInterruptKey(this.shellKind);
    // Looked at before the terminal's process groups are read (in /proc), which no key needs.
    if (
      key === INTERRUPT_KEY ||
      !data.includes(INTERRUPT_KEY) ||
      this.coordinator?.commandNeedsMoreLines
    )
      return data;
    return this.shellHasTerminal(shellPid) ? withInterruptKey(data, key) : data;
  }

  /**
   * Resizes the terminal to the size `client` asks for (the latest asked wins, see
   * {@link TerminalSizeClaims}).
   */
  resize(cols: number, rows: number, client: object): void {
    this.sizeClaims.claim(client, { cols, rows });
    this.applySize(cols, rows);
  }

  /** `client` is gone: the terminal takes the size of the latest client left, if it held its size. */
  releaseSize(client: object): void {
    const size = this.sizeClaims.release(client);
    if (size !== undefined && !this.hasExited) this.applySize(size.cols, size.rows);
  }

  private applySize(cols: number, rows: number): void {
    const pty = this.livePty();
    // A client that attaches again (after a recovery) says the size it had: nothing changed, and
    // an event would make an idle session look active.
    if (cols === this.record.cols && rows === this.record.rows) return;
    pty.resize(cols, rows);
    this.append({ type: 'resize', cols, rows });
    this.records.save({ ...this.record, cols, rows });
  }

  /** Gives the session a new name, kept in its record. */
  rename(name: string): void {
    if (name === this.record.name) return;
    this.records.save({ ...this.record, name });
    // Written at once: the next command may look the session up by its new name on disk.
    this.records.flush();
    // Clients showing the session through other gateways hear of it in its events.
    this.append({ type: 'renamed', name });
  }

  /** Delivers a signal to the foreground program. */
  signal(signal: SessionSignal): void {
    const pty = this.livePty();
    const delivery = planSignalDelivery(signal, pty.pid);
    this.options.breadcrumb('signal.deliver', { signal, how: delivery.kind });
    if (delivery.kind === 'key') {
      // A line the shell is still reading is dropped by the key: its run then ends at the prompt.
      this.coordinator?.interrupted();
      const run = this.runningRun;
      if (!run) {
        pty.write(delivery.key);
        return;
      }
      typeSignalKey({
        shellPid: pty.pid,
        type: () => pty.write(delivery.key),
        stillRunning: () => this.runningRun === run && !this.hasExited,
        retype: () => {
          this.options.breadcrumb('signal.retype', {
            signal,
            reason: 'the shell held the terminal when the key came',
          });
          pty.write(delivery.key);
        },
      });
      return;
    }
    try {
      process.kill(delivery.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /**
   * Ends the session for a reason its clients are told (a note in its log, as far as it can still
   * be written), then its shell as {@link close} does.
   */
  end(reason: string): void {
    if (this.hasExited || !this.pty) return;
    try {
      this.append({ type: 'note', text: reason });
    } catch (error) {
      this.options.breadcrumb('host.note-unwritten', { reason, error: String(error) });
    }
    this.close();
  }

  /** Ends the shell (hang-up, then kill after a grace period); `exited` follows. */
  close(graceMs = 1000): void {
    if (this.hasExited || !this.pty) return;
    const pty = this.pty;
    this.options.breadcrumb('shell.close', { pid: pty.pid });
    pty.kill('SIGHUP');
    const force = setTimeout(() => {
      if (!this.hasExited) pty.kill('SIGKILL');
    }, graceMs);
    force.unref();
  }

  /** The session as it is now. */
  info(hostPid: number): SessionSummary {
    const lastTime = this.options.log.lastTime;
    return {
      sid: this.record.sid,
      name: this.record.name,
      status: this.hasExited ? 'ended' : 'live',
      cwd: this.coordinator?.cwd ?? this.record.cwd,
      shell: this.record.shell,
      createdAt: this.record.createdAt,
      lastActivityAt: new Date(lastTime ?? Date.parse(this.record.createdAt)).toISOString(),
      ...(this.record.lastCommand === undefined ? {} : { lastCommand: this.record.lastCommand }),
      lastSeq: this.lastSeq,
      completionMode: this.completionMode,
      size: { cols: this.record.cols, rows: this.record.rows },
      ...(this.hasExited ? {} : { hostPid }),
      ...(this.runningRun === undefined || this.hasExited
        ? {}
        : {
            running: {
              runId: this.runningRun.runId,
              command: this.runningCommand,
              startSeq: this.runningRun.startSeq,
              ...this.inputWait.field(this.runningRun.runId),
            },
          }),
    };
  }

  private awaitPrompt(): void {
    clearTimeout(this.promptTimer);
    this.promptTimer = setTimeout(() => {
      this.promptShown();
    }, this.options.promptWaitMs ?? 250);
  }

  private promptShown(): void {
    if (this.promptTimer === undefined) return;
    clearTimeout(this.promptTimer);
    this.promptTimer = undefined;
    // The prompt goes out now, with the run's completion, rather than with the next run's start
    // or after the coalescer's delay: one message fewer on the next run's way, and it shows at once.
    this.coalescer.flush();
    setImmediate(() => {
      this.pump();
    });
  }

  /** Why a run cannot be typed into the shell now, if it cannot. */
  private busyReason(): BusyReason | undefined {
    if (this.runningRun) return 'running';
    const coordinator = this.coordinator;
    if (!coordinator?.isReady) return 'starting';
    // Typed now, a run would be taken as a line of that command (the body of a loop, a line of a
    // here-document), and its Enter would run someone's unfinished command.
    if (coordinator.commandNeedsMoreLines) return 'continuation';
    // Typed now, a run would be taken as keys of that mode (a search's text, a vi command).
    if (coordinator.lineEditorMayBeInMode) return 'line-editor-mode';
    return undefined;
  }

  private pump(): void {
    // Runs that left the queue without being typed (their callers stopped waiting) hold no keys.
    this.typeKeysBehindRuns();
    const coordinator = this.coordinator;
    if (
      this.hasExited ||
      this.promptTimer !== undefined ||
      coordinator === undefined ||
      this.busyReason() !== undefined
    )
      return;
    const next = this.queue.take();
    if (!next) {
      // The runs are done and the prompt is shown: what the user had typed there comes back.
      const restore = coordinator.textToRestoreTypedLine();
      if (restore !== '') this.livePty().write(restore);
      return;
    }
    let registered: RegisteredRun;
    let script: { path: string; remove: () => void } | undefined;
    try {
      script = runsFromScript(next.command)
        ? this.options.saveScript(scriptText(next.command))
        : undefined;
      const typed = script ? sourcingLine(script.path, this.shellKind) : next.command;
      const prepared = coordinator.prepare(typed);
      // The log keeps what the user asked for, even when a script is sourced to run it.
      this.noteRunStart();
      const start = this.append({
        type: 'run_start',
        runId: prepared.runId,
        command: next.command,
        origin: 'lifeline',
        ...(next.typedBy === undefined ? {} : { typedBy: next.typedBy }),
      });
      registered = coordinator.register(prepared, start.seq);
    } catch (error) {
      script?.remove();
      next.reject(
        new RpcError(
          RpcErrorCode.InvalidParams,
          `cannot run this command: ${(error as Error).message}`,
        ),
      );
      this.pump();
      return;
    }
    this.currentRun = registered;
    const pty = this.livePty();
    pty.write(registered.textToWrite);
    this.typeKeysBehindRuns();
    if (next.wait) this.holdForShell();
    // The command goes on disk while the shell runs it: its completion then has nothing to write
    // unless it moved the shell or ran long enough for the record to name it.
    this.records.save({ ...this.record, lastCommand: next.command });
    this.records.flush();
    this.records.save({
      ...this.record,
      running: { runId: registered.runId, startSeq: registered.startSeq },
    });
    this.inputWait.watch(registered.runId, pty.pid);
    const started: RunResult = {
      runId: registered.runId,
      startSeq: registered.startSeq,
      completed: false,
      timedOut: false,
      exited: false,
    };
    next.started({ run: registered, result: started });
    if (!next.wait) next.resolve(started);
    void registered.wait(Math.max(1, next.deadline - this.now())).then((outcome) => {
      // Whoever hears of this outcome may list the session next, from disk: the record must say
      // where the shell is and no longer name the run (mostly it does already: nothing is written).
      this.records.flush();
      if (next.wait) next.resolve(describeOutcome(started, outcome));
      // The next command must not be typed while this one still runs: keep the queue waiting.
      const settled =
        outcome.kind === 'timeout'
          ? registered.wait(Number.POSITIVE_INFINITY)
          : Promise.resolve(outcome);
      void settled.then(() => {
        script?.remove();
        // A run that outlived its answer: listings from disk see it end now, not a moment later.
        if (outcome.kind === 'timeout') this.records.flush();
        if (this.currentRun === registered) {
          this.currentRun = undefined;
          this.inputWait.stop();
        }
        this.pump();
      });
    });
  }

  /**
   * Holds what goes to subscribers (the run's start, so far) until the next event after it is
   * logged (the shell answered the command: its output, its completion), or until
   * {@link SHELL_ANSWER_WAIT_MS} passes: a quick command's start, output, completion and answer
   * then reach each gateway in one write (at the end of the turn that logged them), and the
   * gateway and its clients wake once per run instead of twice, while the shell has the machine
   * to itself. The events are on disk already; only their sending waits.
   */
  private holdForShell(): void {
    for (const subscriber of this.subscribers) {
      const release = subscriber.hold?.();
      if (release !== undefined) this.heldForShell.push(release);
    }
    if (this.heldForShell.length === 0) return;
    clearTimeout(this.shellAnswerTimer);
    this.shellAnswerTimer = setTimeout(() => {
      this.releaseHeld();
    }, SHELL_ANSWER_WAIT_MS);
  }

  private releaseHeld(): void {
    if (this.heldForShell.length === 0) return;
    clearTimeout(this.shellAnswerTimer);
    this.shellAnswerTimer = undefined;
    const releases = this.heldForShell;
    this.heldForShell = [];
    for (const release of releases) release();
  }

  private handleShellExit(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.hasExited) return;
    this.options.breadcrumb('shell.exit', { code: exit.code, signal: exit.signal });
    const coordinator = this.coordinator;
    coordinator?.flushOnExit();
    coordinator?.resetForExit();
    this.hasExited = true;
    this.queue.rejectAll(this.exitedError());
    this.append({ type: 'host_exit', code: exit.code, signal: exit.signal });
    this.records.flush();
    this.flow.stop();
    this.coalescer.stop();
    this.releaseHeld();
    clearTimeout(this.promptTimer);
    this.inputWait.stop();
    this.interruptHold.stop();
    this.stopAwaitingLineEditor();
    this.stopAwaitingKeysRead();
    clearInterval(this.startHoldPoll);
    this.startHold = undefined;
    this.keysBehindRuns = [];
    // Answers to runs that just ended are settled in microtasks: let them reach the transports
    // before anyone tears the connections down.
    setImmediate(() => {
      this.resolveExited(exit);
    });
  }

  private exitedError(): RpcError {
    return new RpcError(
      LifelineErrorCode.HostUnavailable,
      `the shell of session ${this.record.sid} has exited; attach or run again to start a new one`,
      { data: { sid: this.record.sid, reason: 'exited' } },
    );
  }

  private livePty(): PtyProcess {
    if (!this.pty || this.hasExited) throw this.exitedError();
    return this.pty;
  }

  private append(payload: EventPayload): SessionEvent {
    if (payload.type === 'input') this.inputWait.typed(payload.data);
    if (payload.type === 'output') this.masking.outputSeen();
    // Output still held by the coalescer came first in the stream: it goes first in the log.
    if (payload.type !== 'output') this.coalescer.flush();
    const { event, record } = this.options.log.appendRecorded(payload);
    this.options.activity?.();
    for (const subscriber of this.subscribers) subscriber.event(event, record);
    this.releaseHeld();
    if (this.subscribers.size > 0 && !this.flow.paused) this.flow.update();
    return event;
  }
}

/** A program's run queued behind `command`, which waits for someone to type: never started. */
function waitingForInputError(command: string, sid: string, runningRunId: string): RpcError {
  return new RpcError(
    LifelineErrorCode.SessionBusy,
    `"${command}" in the session waits for someone to type, so the command was not started`,
    { data: { sid, runningRunId, command, waitsForInput: true } },
  );
}

/** A run whose caller stopped waiting before the host could even look at it: never started. */
function lateRunError(command: string): RpcError {
  return new RpcError(
    LifelineErrorCode.SessionBusy,
    `"${command}" reached the session host after the time it had to start, so it was not started; run it again`,
    { data: { runningRunId: null, reason: 'late' } },
  );
}
