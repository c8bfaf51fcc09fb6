import { gatewayCliPath } from '@lifeline/gateway';
import { DEFAULT_RECOVERY_POLICY } from '@lifeline/recovery';
import { CallTracker } from './call-tracker.js';
import { ChaosClient } from './chaos-client.js';
import { crashingGatewayFixture, fixturePath } from './faults.js';
import { finishIteration } from './finish-iteration.js';
import type { IterationPlace } from './iteration-place.js';
import type { ScenarioOutcome } from './outcome.js';
import { mostInAnyWindow } from './spawn-window.js';
import { delay, waitUntil } from './wait.js';

/** The scenario's name in reports. */
export const startupCrashScenario = 'gateway-crashes-at-startup';

/** How long to watch for a spawn after giving up: longer than any backoff the budget reached. */
const quietAfterGiveUpMs = 1500;

/**
 * A gateway that crashes before it is ready, every time: the client must respawn it no more
 * often than the recovery budget allows in any window (the first start plus `maxAttempts`
 * attempts), then give up and stay given up.
 */
export async function runStartupCrashScenario(place: IterationPlace): Promise<ScenarioOutcome> {
  const startedAt = performance.now();
  const tracker = new CallTracker();
  const client = new ChaosClient({
    env: place.env,
    cwd: place.work,
    tracker,
    gateway: {
      command: process.execPath,
      args: [fixturePath(crashingGatewayFixture), gatewayCliPath()],
    },
  });
  const failedChecks: string[] = [];
  const { maxAttempts, windowMs } = DEFAULT_RECOVERY_POLICY;
  const allowed = 1 + maxAttempts;
  client.start();
  if (!(await waitUntil(() => client.snapshot.connection.status === 'gave-up', 30_000))) {
    failedChecks.push(
      `the client never gave up on a gateway that always crashes (state: ${client.snapshot.connection.status}, ${client.spawns.length} spawns)`,
    );
  } else {
    const spawnsAtGiveUp = client.spawns.length;
    await delay(quietAfterGiveUpMs);
    if (client.spawns.length !== spawnsAtGiveUp)
      failedChecks.push(`${client.spawns.length - spawnsAtGiveUp} spawns after giving up`);
    if (spawnsAtGiveUp < allowed)
      failedChecks.push(
        `gave up after ${spawnsAtGiveUp} spawns, before the budget of ${allowed} was spent`,
      );
  }
  const most = mostInAnyWindow(
    client.spawns.map((spawn) => spawn.at),
    windowMs,
  );
  if (most > allowed)
    failedChecks.push(`${most} spawns within ${windowMs / 1000} s, the budget allows ${allowed}`);
  if (client.controller.sessionId !== undefined)
    failedChecks.push('a session was opened through a gateway that never started');
  const end = await finishIteration(client, tracker, place.tag);
  return {
    scenario: startupCrashScenario,
    counts: {
      lost: 0,
      duplicatesApplied: 0,
      unsettledCalls: end.unsettled.length,
      hangingProcesses: end.hanging.length,
      orphans: end.orphans.length,
      failedChecks: failedChecks.length + end.failedChecks.length,
    },
    duplicatesDelivered: 0,
    eventsChecked: 0,
    faultMidStream: undefined,
    recoveryMs: undefined,
    gatewaySpawns: client.spawns.length,
    wallMs: performance.now() - startedAt,
    failures: [...failedChecks, ...end.details],
    keptDirectory: undefined,
  };
}
