import type { Clock } from '../clock.js';
import type { RunOutcome } from '../coordinator.js';
import { RunCompletionError } from '../errors.js';
import { describeValue } from './describe-value.js';
import type { RunRecord, RunWaiter, SettledOutcome } from './run-record.js';

// The longest delay setTimeout honours (Node and browsers fire a longer one at once).
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits for `record` to settle: its outcome (at once if it has), `timeout` after `timeoutMs` (the
 * run goes on), or a rejection with `signal.reason` when `signal` aborts.
 */
export function waitForRun(
  record: RunRecord,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  clock: Clock,
): Promise<RunOutcome> {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    return Promise.reject(
      new RunCompletionError(
        'INVALID_OPTION',
        `wait() needs a timeout in milliseconds (>= 0, or Infinity), got ${describeValue(timeoutMs)}`,
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
    const waiter: RunWaiter = {
      resolve,
      timer: undefined,
      detach: () => {
        record.waiters.delete(waiter);
        if (waiter.timer !== undefined) clock.clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
      },
    };
    if (Number.isFinite(timeoutMs)) {
      // Timers fire at once when asked for more than MAX_TIMER_MS: a longer wait takes steps.
      const arm = (remainingMs: number) => {
        const stepMs = Math.min(remainingMs, MAX_TIMER_MS);
        waiter.timer = clock.setTimeout(() => {
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

/** Settles `record` with `outcome` and tells every waiter. */
export function settleRun(record: RunRecord, outcome: SettledOutcome): void {
  record.settled = outcome;
  for (const waiter of [...record.waiters]) {
    waiter.detach();
    waiter.resolve(outcome);
  }
}
