import type { CallTracker } from './call-tracker.js';
import type { ChaosClient } from './chaos-client.js';
import {
  classifyLeftovers,
  signalProcess,
  waitForTaggedGone,
  type TaggedProcess,
} from './process-census.js';

/** Deadlines of {@link finishIteration}. */
export interface FinishDeadlines {
  /** How long the client's calls have, once the iteration is over, to settle. @default 15000 */
  settleMs?: number;
  /** How long processes have, once the session is closed and the client quit, to be gone. @default 10000 */
  exitMs?: number;
}

/** What was left when an iteration ended. */
export interface IterationEnd {
  readonly unsettled: readonly string[];
  readonly hanging: readonly TaggedProcess[];
  readonly orphans: readonly TaggedProcess[];
  /** Checks that failed while closing (the session would not close, a process survived SIGKILL). */
  readonly failedChecks: readonly string[];
  /** Everything above, described for people. */
  readonly details: readonly string[];
}

/**
 * Ends an iteration the way a user would — closes its session (when it has one and a live
 * gateway), quits the client — then waits for every call to settle and every tagged process to be
 * gone, and counts what is not. Whatever is still running then is SIGKILLed by pid, so the next
 * iteration starts clean.
 */
export async function finishIteration(
  client: ChaosClient,
  tracker: CallTracker,
  tag: string,
  deadlines: FinishDeadlines = {},
): Promise<IterationEnd> {
  const settleDeadlineMs = deadlines.settleMs ?? 15_000;
  const exitDeadlineMs = deadlines.exitMs ?? 10_000;
  const failedChecks: string[] = [];
  const sid = client.controller.sessionId;
  const link = client.link;
  if (sid !== undefined && link !== undefined && client.snapshot.connection.status === 'live') {
    try {
      await link.client.call('session.close', { sid }, { timeoutMs: 10_000 });
    } catch (error) {
      failedChecks.push(
        `closing the session failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  void tracker.track('quit', client.controller.quit());
  const unsettled = await tracker.waitSettled(settleDeadlineMs);
  const left = await waitForTaggedGone(tag, exitDeadlineMs);
  const { hanging, orphans } = classifyLeftovers(left, process.pid);
  for (const process of left) signalProcess(process.pid, 'SIGKILL');
  const survivors = await waitForTaggedGone(tag, 10_000);
  if (survivors.length > 0)
    failedChecks.push(
      `processes survived SIGKILL: ${survivors.map((entry) => entry.pid).join(', ')}`,
    );
  const details = [...failedChecks];
  for (const process of [...hanging, ...orphans]) {
    details.push(
      `${orphans.includes(process) ? 'orphan' : 'still running'}: pid ${process.pid} (parent ${process.parentPid}) ${process.commandLine.slice(0, 160)}`,
    );
  }
  for (const call of unsettled) details.push(`call never settled: ${call}`);
  return { unsettled, hanging, orphans, failedChecks, details };
}
