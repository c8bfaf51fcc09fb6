import type { RunOutcome } from '../coordinator.js';

/** How a run ends for good (a timeout only ends one wait). */
export type SettledOutcome = Exclude<RunOutcome, { kind: 'timeout' }>;

/** One waiter of {@link RunRecord.waiters}. */
export interface RunWaiter {
  resolve(outcome: RunOutcome): void;
  timer: unknown;
  /** Stops waiting: removes the waiter, its timer and its abort listener. */
  detach(): void;
}

/** What the coordinator knows of one run, registered or reported by the shell. */
export class RunRecord {
  readonly waiters = new Set<RunWaiter>();
  /** Its own token (postamble mode). */
  token: string | undefined;
  /** The shell's counter of its start (prompt-hook mode), -1 before it started. */
  counter = -1;
  startedAt: number | undefined;
  settled: SettledOutcome | undefined;

  constructor(
    readonly runId: string,
    readonly command: string,
    readonly startSeq: number,
    readonly registeredAt: number,
  ) {}
}

/** Who a token belongs to: the session, the probe line, or one run. */
export type TokenOwner = RunRecord | 'session' | 'probe';
