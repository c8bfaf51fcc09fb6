import {
  LifelineErrorCode,
  MAX_COMMAND_BYTES,
  MAX_INPUT_BYTES,
  type EventPayload,
  type RunResult,
  type SessionEvent,
  type SessionSignal,
  type SessionSummary,
} from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import {
  createRunCoordinator,
  hasVisibleText,
  type CompletionMode,
  type RegisteredRun,
  type RunCoordinator,
  type RunOutcome,
  type ShellKind,
} from '@lifeline/run-completion';
import type { EventLogWriter } from '../event-log/event-log-writer.js';
import { OutputCoalescer } from '../event-log/output-coalescer.js';
import type { SessionRecord } from '../state/session-record.js';
import { shouldPause } from './flow-control.js';
import { planSignalDelivery, retypeLostSignalKey } from './foreground-signal.js';
import { waitsForTerminalInput } from './input-wait.js';
import { InputWaitWatch } from './input-wait-watch.js';
import { scriptText, sourcingLine } from './multi-line-command.js';
import { linuxProc } from './proc-reader.js';
import type { PtyProcess } from './pty-process.js';
import { terminalReadsUnseen } from './terminal-echo.js';

/** A consumer of live events (one per connected gateway). */
export interface EventSubscriber {
  event(event: SessionEvent): void;
  /** Bytes queued for this consumer and not yet taken. */
  backlog(): number;
}

/** How the host reports what happens, for the crash log. */
export type Breadcrumb = (event: string, fields?: Record<string, string | number | boolean | null | undefined>) => void;

/** Everything a session host is made of; process glue builds it, tests can too. */
export interface SessionHostOptions {
  record: SessionRecord;
  log: EventLogWriter;
  /** Starts the shell; called once by `start()`. */
  startShell: () => { pty: PtyProcess; mode: CompletionMode; kind: ShellKind; token: string; cwd: string };
  /** Saves a multi-line command as a private script; returns its path and how to remove it. */
  saveScript: (text: string) => { path: string; remove: () => void };
  /** The last event already in the log when this host starts, if any. */
  previousEvent: SessionEvent | undefined;
  /** Persists the record when the cwd, last command or size change. */
  saveRecord: (record: SessionRecord) => void;
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
}

interface QueuedRun {
  command: string;
  deadline: number;
  wait: boolean;
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

const encoder = new TextEncoder();

/**
 * One durable shell session: the PTY, the run-completion coordinator and the single writer of the
 * session's event log. Runs are queued so two callers never interleave their commands; every
 * event is on disk before any subscriber sees it; a consumer that falls behind pauses the PTY.
 */
export class SessionHost {
  /** Resolves when the shell has exited and `host_exit` is in the log. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly options: SessionHostOptions;
  private readonly now: () => number;
  private readonly coalescer: OutputCoalescer;
  private readonly subscribers = new Set<EventSubscriber>();
  private readonly pauseRequests = new Set<object>();
  private readonly queue: QueuedRun[] = [];
  private record: SessionRecord;
  private pty: PtyProcess | undefined;
  private coordinator: RunCoordinator | undefined;
  private shellKind: ShellKind = 'unknown';
  private currentRun: RegisteredRun | undefined;
  private paused = false;
  /**
   * Set at each prompt frame until the prompt itself is printed: only then does the shell's line
   * editor own the terminal. Typed earlier, a command is echoed twice (by the terminal, then by
   * the line editor when it redraws what was typed ahead).
   */
  private promptTimer: NodeJS.Timeout | undefined;
  private recordTimer: NodeJS.Timeout | undefined;
  private flowTimer: NodeJS.Timeout | undefined;
  /** Pauses and resumes since the last `flow.*` breadcrumb, and when that was. */
  private flowChanges = 0;
  private flowBreadcrumbAt = Number.NEGATIVE_INFINITY;
  private hasExited = false;
  /** Whether the current run waits for someone to type, and its looks. */
  private inputWait: InputWaitWatch | undefined;
  private inputWaitTimer: NodeJS.Timeout | undefined;
  /** Whether the terminal reads without echo, since the last output (see {@link terminalReadsUnseen}). */
  private terminalMode: 'seen' | 'unseen' | undefined;
  private resolveExited!: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;

  constructor(options: SessionHostOptions) {
    this.options = options;
    this.record = options.record;
    this.now = options.now ?? Date.now;
    this.coalescer = new OutputCoalescer({ emit: (data) => this.append({ type: 'output', data }) });
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  /** How the shell's runs are told apart, as its record keeps it (from the shell's start on). */
  private get completionMode(): CompletionMode {
    return this.record.completionMode ?? 'prompt-hook';
  }

  /** The command of the run going on, as it was asked for (a script may be sourced to run it). */
  private get runningCommand(): string {
    return this.record.lastCommand ?? '';
  }

  /** Seq of the latest event. */
  get lastSeq(): number {
    return this.options.log.lastSeq;
  }

  /**
   * Records the start (closing the log of a previous host that died without a trace), then starts
   * the shell.
   */
  start(hostPid: number): void {
    const previous = this.options.previousEvent;
    if (previous !== undefined && previous.type !== 'host_exit') {
      this.append({ type: 'host_exit', code: null, signal: null });
      this.append({ type: 'note', text: 'the previous session host ended without recording its exit' });
    }
    const shell = this.options.startShell();
    this.pty = shell.pty;
    this.shellKind = shell.kind;
    if (shell.cwd !== this.record.cwd) {
      this.append({ type: 'note', text: `${this.record.cwd} is gone; the shell starts in ${shell.cwd}` });
    }
    // A run the previous host left going ended with it: listings must not see it a moment longer.
    this.saveRecord({ ...withoutRun(this.record), cwd: shell.cwd, completionMode: shell.mode });
    this.flushRecord();
    this.append({ type: 'host_start', pid: hostPid, cwd: shell.cwd });
    this.append({ type: 'resize', cols: this.record.cols, rows: this.record.rows });
    this.coordinator = createRunCoordinator({
      mode: shell.mode,
      token: shell.token,
      appendOutput: (data) => {
        const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
        this.coalescer.push(text);
        // The prompt is shown once something visible follows the prompt frame; mode switches
        // such as bracketed paste come earlier, while the line editor is still setting up.
        if (this.promptTimer !== undefined && hasVisibleText(text)) this.promptShown();
      },
      appendRunComplete: (event) => {
        const complete = this.append({ type: 'run_complete', ...event });
        this.saveRecord({ ...withoutRun(this.record), cwd: event.cwd });
        this.awaitPrompt();
        return complete.seq;
      },
      onReady: ({ cwd }) => {
        this.options.breadcrumb('shell.ready', { mode: shell.mode });
        // Its prompt frame comes before its prompt: what it printed before was not the prompt.
        if (shell.mode === 'prompt-hook') this.append({ type: 'shell_ready', ...(cwd === undefined ? {} : { cwd }) });
        this.awaitPrompt();
      },
    });
    const coordinator = this.coordinator;
    shell.pty.onData((data) => {
      coordinator.ingest(data);
    });
    shell.pty.onExit((exit) => {
      this.handleShellExit(exit);
    });
  }

  /** Adds a live consumer; returns its removal. */
  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
      this.updateFlow();
    };
  }

  /** A gateway's request to pause (or stop pausing) on behalf of its slow clients. */
  requestPause(requester: object, paused: boolean): void {
    if (paused) this.pauseRequests.add(requester);
    else this.pauseRequests.delete(requester);
    this.updateFlow();
  }

  /**
   * Runs a command once the runs before it are done. Resolves when it completes, times out or the
   * shell exits (`wait`), or as soon as it has started (`wait: false`).
   * @throws RpcError `SessionBusy` when the run could not even start within `timeoutMs`, or at once
   * with `ifIdle` while a command runs or waits
   */
  run(command: string, timeoutMs: number, wait: boolean, ifIdle = false): Promise<RunResult> {
    const size = encoder.encode(command).length;
    if (size > MAX_COMMAND_BYTES) {
      return Promise.reject(
        new RpcError(LifelineErrorCode.PayloadTooLarge, `the command is ${size} bytes; the limit is ${MAX_COMMAND_BYTES}: put long scripts in a file and run the file`, {
          data: { limit: MAX_COMMAND_BYTES, size },
        }),
      );
    }
    if (this.hasExited) return Promise.reject(this.exitedError());
    const busyWith = this.currentRun ? this.runningCommand : this.queue[0]?.command;
    if (ifIdle && busyWith !== undefined) {
      return Promise.reject(
        new RpcError(LifelineErrorCode.SessionBusy, `the session is busy with "${busyWith}", so the command was not started`, {
          data: { sid: this.record.sid, runningRunId: this.currentRun?.runId ?? null, command: busyWith },
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const queued: QueuedRun = {
        command,
        deadline: this.now() + timeoutMs,
        wait,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.queue.indexOf(queued);
          if (index === -1) return;
          this.queue.splice(index, 1);
          reject(
            new RpcError(
              LifelineErrorCode.SessionBusy,
              `the session was still busy with "${this.currentRun?.command ?? 'its shell start-up'}" after ${timeoutMs} ms, so the command was not started; wait for it or interrupt it`,
              { data: { sid: this.record.sid, runningRunId: this.currentRun?.runId ?? null } },
            ),
          );
        }, timeoutMs),
      };
      this.queue.push(queued);
      this.pump();
    });
  }

  /**
   * Types into the terminal; with `runId`, only while that run goes on. Recorded masked when
   * `secret`, or when the terminal reads it without echo (a password).
   * @throws RpcError `InvalidParams` when `runId` is not the run going on (nothing is typed)
   */
  input(data: string, runId?: string, secret = false): void {
    const size = encoder.encode(data).length;
    if (size > MAX_INPUT_BYTES) {
      throw new RpcError(LifelineErrorCode.PayloadTooLarge, `input of ${size} bytes is over the ${MAX_INPUT_BYTES}-byte limit; send it in smaller pieces`, {
        data: { limit: MAX_INPUT_BYTES, size },
      });
    }
    const pty = this.livePty();
    if (runId !== undefined && this.currentRun?.runId !== runId) {
      throw new RpcError(
        RpcErrorCode.InvalidParams,
        `run ${runId} is not going on in session ${this.record.sid} any more, so nothing was typed (the shell would have taken it for a command line)`,
      );
    }
    // What a program reads without echo (a password) is not kept in the log.
    const masked = secret || this.terminalReadsUnseen(pty);
    this.append(masked ? { type: 'input', data: maskedText(data), masked: true } : { type: 'input', data });
    // A line typed may make the program read the next one differently (a password after a name).
    if (/[\r\n]/.test(data)) this.terminalMode = undefined;
    pty.write(data);
  }

  /**
   * Whether the terminal reads whole lines without echo now (a password), asked of `stty` once
   * for the keys typed between two outputs: a program that turns echo off shows its prompt.
   */
  private terminalReadsUnseen(pty: PtyProcess): boolean {
    if (this.terminalMode === undefined) {
      const terminal = linuxProc.fdTarget(pty.pid, 0);
      this.terminalMode = terminal !== undefined && terminalReadsUnseen(terminal) === true ? 'unseen' : 'seen';
    }
    return this.terminalMode === 'unseen';
  }

  /** Resizes the terminal. */
  resize(cols: number, rows: number): void {
    const pty = this.livePty();
    pty.resize(cols, rows);
    this.append({ type: 'resize', cols, rows });
    this.saveRecord({ ...this.record, cols, rows });
  }

  /** Delivers a signal to the foreground program. */
  signal(signal: SessionSignal): void {
    const pty = this.livePty();
    const delivery = planSignalDelivery(signal, pty.pid);
    this.options.breadcrumb('signal.deliver', { signal, how: delivery.kind });
    if (delivery.kind === 'key') {
      // A line the shell is still reading is dropped by the key: its run then ends at the prompt.
      this.coordinator?.interrupted();
      pty.write(delivery.key);
      const run = this.currentRun;
      if (run) {
        retypeLostSignalKey({
          shellPid: pty.pid,
          stillRunning: () => this.currentRun === run && !this.hasExited,
          retype: () => {
            this.options.breadcrumb('signal.retype', { signal, reason: 'the shell held the terminal when the key came' });
            pty.write(delivery.key);
          },
        });
      }
      return;
    }
    try {
      process.kill(delivery.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
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
      ...(this.hasExited ? {} : { hostPid }),
      ...(this.currentRun === undefined || this.hasExited
        ? {}
        : { running: { runId: this.currentRun.runId, command: this.runningCommand, startSeq: this.currentRun.startSeq, ...this.waitsForInputField(this.currentRun.runId) } }),
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
    setImmediate(() => {
      this.pump();
    });
  }

  private pump(): void {
    const coordinator = this.coordinator;
    if (this.currentRun || this.hasExited || this.promptTimer !== undefined || !coordinator?.isReady) return;
    const next = this.queue.shift();
    if (!next) return;
    clearTimeout(next.timer);
    let registered: RegisteredRun;
    let script: { path: string; remove: () => void } | undefined;
    try {
      script = /[\r\n]/.test(next.command) ? this.options.saveScript(scriptText(next.command)) : undefined;
      const typed = script ? (sourcingLine(next.command, script.path, this.shellKind) ?? next.command) : next.command;
      const prepared = coordinator.prepare(typed);
      // The log keeps what the user asked for, even when a script is sourced to run it.
      const start = this.append({ type: 'run_start', runId: prepared.runId, command: next.command });
      registered = coordinator.register(prepared, start.seq);
    } catch (error) {
      script?.remove();
      next.reject(
        new RpcError(RpcErrorCode.InvalidParams, `cannot run this command: ${(error as Error).message}`),
      );
      this.pump();
      return;
    }
    this.currentRun = registered;
    this.saveRecord({ ...this.record, lastCommand: next.command, running: { runId: registered.runId, startSeq: registered.startSeq } });
    const pty = this.livePty();
    pty.write(registered.textToWrite);
    this.watchForInputWait(registered, pty);
    const started: RunResult = {
      runId: registered.runId,
      startSeq: registered.startSeq,
      completed: false,
      timedOut: false,
      exited: false,
    };
    if (!next.wait) next.resolve(started);
    void registered.wait(Math.max(1, next.deadline - this.now())).then((outcome) => {
      // Whoever hears of this outcome may list the session next, from disk: the record names the run.
      this.flushRecord();
      if (next.wait) next.resolve(describeOutcome(started, outcome));
      // The next command must not be typed while this one still runs: keep the queue waiting.
      const settled = outcome.kind === 'timeout' ? registered.wait(Number.POSITIVE_INFINITY) : Promise.resolve(outcome);
      void settled.then(() => {
        script?.remove();
        // A run that outlived its answer: listings from disk see it end now, not a moment later.
        if (outcome.kind === 'timeout') this.flushRecord();
        if (this.currentRun === registered) {
          this.currentRun = undefined;
          this.stopInputWaitWatch();
        }
        this.pump();
      });
    });
  }

  private handleShellExit(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.hasExited) return;
    this.options.breadcrumb('shell.exit', { code: exit.code, signal: exit.signal });
    const coordinator = this.coordinator;
    coordinator?.flushOnExit();
    coordinator?.resetForExit();
    this.hasExited = true;
    for (const queued of this.queue.splice(0)) {
      clearTimeout(queued.timer);
      queued.reject(this.exitedError());
    }
    this.append({ type: 'host_exit', code: exit.code, signal: exit.signal });
    this.flushRecord();
    if (this.flowTimer) clearTimeout(this.flowTimer);
    clearTimeout(this.promptTimer);
    this.stopInputWaitWatch();
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

  /**
   * Looks at the run just started every so often for a wait for someone to type (see
   * {@link InputWaitWatch}), and records `input_wait` for it, so that whoever waits for the run
   * need not wait for its timeout.
   */
  private watchForInputWait(run: RegisteredRun, pty: PtyProcess): void {
    this.stopInputWaitWatch();
    const watch = new InputWaitWatch({
      now: this.now,
      quietMs: this.options.inputWaitQuietMs ?? 1000,
      waits: () => this.runWaitsForInput(pty.pid),
      record: () => {
        this.append({ type: 'input_wait', runId: run.runId });
        this.setWaitsForInput(true);
      },
    });
    this.inputWait = watch;
    // While the PTY is paused, what the shell printed (the end of the run, say) is not read yet.
    this.inputWaitTimer = setInterval(() => watch.look(this.paused), this.options.inputWaitPollMs ?? 250);
    this.inputWaitTimer.unref();
  }

  private stopInputWaitWatch(): void {
    clearInterval(this.inputWaitTimer);
    this.inputWait = undefined;
  }

  /** {@link waitsForTerminalInput}, false should `/proc` surprise it: this must never end the host. */
  private runWaitsForInput(shellPid: number): boolean {
    try {
      // In postamble mode a shell reading the terminal may be at its prompt already, with the
      // line that would have ended the run eaten by the command (see run-completion).
      return waitsForTerminalInput(shellPid, { includeShell: this.completionMode === 'prompt-hook' });
    } catch (error) {
      this.options.breadcrumb('input-wait.error', { error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** `waitsForInput` of the run `runId`, as {@link info} gives it. */
  private waitsForInputField(runId: string): { waitsForInput?: true } {
    const running = this.record.running;
    return running?.runId === runId && running.waitsForInput === true ? { waitsForInput: true } : {};
  }

  /**
   * Keeps in the record whether the run going on waits for someone to type: listings read it there.
   * Written at once when it starts to wait (once per wait), with the next record write when it no
   * longer does.
   */
  private setWaitsForInput(waits: boolean): void {
    const running = this.record.running;
    if (running === undefined || (running.waitsForInput === true) === waits) return;
    this.saveRecord({ ...this.record, running: { runId: running.runId, startSeq: running.startSeq, ...(waits ? { waitsForInput: true } : {}) } });
    if (waits) this.flushRecord();
  }

  private append(payload: EventPayload): SessionEvent {
    if (payload.type === 'output' || payload.type === 'input') {
      this.inputWait?.activity();
      this.setWaitsForInput(false);
    }
    if (payload.type === 'output') this.terminalMode = undefined;
    // Output still held by the coalescer came first in the stream: it goes first in the log.
    if (payload.type !== 'output') this.coalescer.flush();
    const event = this.options.log.append(payload);
    for (const subscriber of this.subscribers) subscriber.event(event);
    if (this.subscribers.size > 0 && !this.paused) this.updateFlow();
    return event;
  }

  private updateFlow(): void {
    const pause = shouldPause({
      backlogs: [...this.subscribers].map((subscriber) => subscriber.backlog()),
      pauseRequests: this.pauseRequests.size,
      paused: this.paused,
    });
    if (pause !== this.paused && this.pty && !this.hasExited) {
      this.paused = pause;
      if (pause) this.pty.pause();
      else this.pty.resume();
      this.flowChanges += 1;
      // A flood pauses and resumes the PTY many times a second: one breadcrumb a second says so.
      if (this.now() - this.flowBreadcrumbAt >= 1000) {
        this.options.breadcrumb(pause ? 'flow.pause' : 'flow.resume', { changes: this.flowChanges });
        this.flowChanges = 0;
        this.flowBreadcrumbAt = this.now();
      }
    }
    if (this.paused && !this.flowTimer) {
      this.flowTimer = setTimeout(() => {
        this.flowTimer = undefined;
        this.updateFlow();
      }, this.options.flowPollMs ?? 5);
    }
  }

  /**
   * Keeps the record for restarts and listings. Writing it is off the start of a run (a rename per
   * run costs more than starting it): changes are gathered and written a moment later, when the run
   * is answered, and at exit at the latest.
   */
  private saveRecord(record: SessionRecord): void {
    const keys = new Set([...Object.keys(record), ...Object.keys(this.record)] as (keyof SessionRecord)[]);
    const changed = [...keys].some((key) => record[key] !== this.record[key]);
    this.record = record;
    if (!changed || this.recordTimer !== undefined) return;
    this.recordTimer = setTimeout(() => {
      this.flushRecord();
    }, 200);
  }

  private flushRecord(): void {
    if (this.recordTimer === undefined) return;
    clearTimeout(this.recordTimer);
    this.recordTimer = undefined;
    this.options.saveRecord(this.record);
  }
}


function describeOutcome(started: RunResult, outcome: RunOutcome): RunResult {
  switch (outcome.kind) {
    case 'completed':
      return {
        ...started,
        completed: true,
        exitCode: outcome.exitCode,
        cwd: outcome.cwd,
        durationMs: outcome.durationMs,
        completeSeq: outcome.seq,
      };
    case 'timeout':
      return { ...started, timedOut: true };
    case 'exited':
    case 'cancelled':
      return { ...started, exited: true };
  }
}

/** The record without the run its host had going (see {@link SessionRecord}). */
function withoutRun(record: SessionRecord): SessionRecord {
  const { running, ...rest } = record;
  return running === undefined ? record : rest;
}

/** `data` with each run of characters between control characters written as `***`: not even their number is kept. */
function maskedText(data: string): string {
  return data.replace(/[^\x00-\x1f\x7f]+/gu, '***');
}
