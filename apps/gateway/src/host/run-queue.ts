import type { RunResult, TypedBy } from '@lifeline/protocol';
import type { RegisteredRun, RunOutcome } from '@lifeline/run-completion';

/** A run asked for and not started yet. */
export interface QueuedRun {
  command: string;
  /** `person` when someone typed it at a client's prompt. */
  typedBy?: TypedBy;
  /** When its caller stops waiting (clock of the queue). */
  deadline: number;
  /** Whether its caller waits for its end (else for its start). */
  wait: boolean;
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
  /** Told once the run has started, before its caller is answered. */
  started: (started: { run: RegisteredRun; result: RunResult }) => void;
}

interface Entry {
  run: QueuedRun;
  timer: NodeJS.Timeout;
}

/**
 * The runs waiting for their turn, first come first served, so two callers never interleave their
 * commands. A run that cannot start before its timeout leaves the queue with the error its
 * `busyError` gives.
 */
export class RunQueue {
  readonly #entries: Entry[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The command of the next run, if any. */
  get nextCommand(): string | undefined {
    return this.#entries[0]?.run.command;
  }

  /** The run queued last, if any. */
  get last(): QueuedRun | undefined {
    return this.#entries.at(-1)?.run;
  }

  /** Whether `run` still waits in the queue (not taken, rejected or timed out). */
  has(run: QueuedRun): boolean {
    return this.#entries.some((entry) => entry.run === run);
  }

  /**
   * Queues `command`; the promise settles once the host takes the run and answers it.
   * @param options.typedBy `person` when someone typed it at a client's prompt
   * @param options.started told once the run has started, before its caller is answered
   * @param options.withdrawn aborted when the caller withdraws the run (it leaves the queue unstarted)
   */
  add(
    command: string,
    timeoutMs: number,
    wait: boolean,
    busyError: () => Error,
    options: {
      typedBy?: TypedBy;
      started?: QueuedRun['started'];
      /** Aborted when the caller withdraws the run: still queued, it leaves with the signal's reason. */
      withdrawn?: AbortSignal;
    } = {},
  ): Promise<RunResult> {
    const { typedBy, started = () => undefined, withdrawn } = options;
    return new Promise((resolve, reject) => {
      const run: QueuedRun = {
        command,
        ...(typedBy === undefined ? {} : { typedBy }),
        deadline: this.#now() + timeoutMs,
        wait,
        resolve,
        reject,
        started,
      };
      const entry: Entry = {
        run,
        timer: setTimeout(() => {
          const index = this.#entries.indexOf(entry);
          if (index === -1) return;
          this.#entries.splice(index, 1);
          reject(busyError());
        }, timeoutMs),
      };
      this.#entries.push(entry);
      withdrawn?.addEventListener(
        'abort',
        () => {
          const index = this.#entries.indexOf(entry);
          if (index === -1) return;
          this.#entries.splice(index, 1);
          clearTimeout(entry.timer);
          const reason: unknown = withdrawn.reason;
          reject(
            reason instanceof Error
              ? reason
              : new Error(`the run was withdrawn: ${String(reason)}`),
          );
        },
        { once: true },
      );
    });
  }

  /** Takes the next run out of the queue (its timeout no longer applies). */
  take(): QueuedRun | undefined {
    const entry = this.#entries.shift();
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    return entry.run;
  }

  /** Takes the queued runs `which` picks out of the queue, rejecting each with the error `error` gives. */
  rejectWhere(which: (run: QueuedRun) => boolean, error: () => Error): void {
    for (const entry of this.#entries.filter((queued) => which(queued.run))) {
      this.#entries.splice(this.#entries.indexOf(entry), 1);
      clearTimeout(entry.timer);
      entry.run.reject(error());
    }
  }

  /** Rejects every queued run with `error` and empties the queue. */
  rejectAll(error: Error): void {
    for (const entry of this.#entries.splice(0)) {
      clearTimeout(entry.timer);
      entry.run.reject(error);
    }
  }
}

/** The answer to a run's caller, from how it went. */
export function describeOutcome(started: RunResult, outcome: RunOutcome): RunResult {
  switch (outcome.kind) {
    case 'completed':
      // Written out: spreading `started` is a generic object copy, and this is done for every run.
      return {
        runId: started.runId,
        startSeq: started.startSeq,
        completed: true,
        timedOut: started.timedOut,
        exited: started.exited,
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
