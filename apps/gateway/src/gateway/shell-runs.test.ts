// Runs reported by the shell: whatever reaches the shell (typed into the session, pasted, typed
// ahead, or typed by Lifeline for session.run) is one run per command line, in the shell's order.
import fs from 'node:fs';
import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import type { GatewayClient } from '../test-utils/gateway-harness.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

async function newSession(world: TestWorld) {
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.attach', { sid });
  return { gateway, sid };
}

type RunStart = Extract<SessionEvent, { type: 'run_start' }>;
type RunComplete = Extract<SessionEvent, { type: 'run_complete' }>;

/** The runs of the log in the order the shell ran them (their completions'), with their origins. */
function completedRuns(
  events: SessionEvent[],
): { command: string; origin: string | undefined; exitCode: number }[] {
  const starts = new Map(
    events
      .filter((event): event is RunStart & { seq: number } => event.type === 'run_start')
      .map((event) => [event.runId, event]),
  );
  return events
    .filter((event): event is RunComplete & { seq: number } => event.type === 'run_complete')
    .map((complete) => {
      const start = starts.get(complete.runId);
      return { command: start?.command ?? '?', origin: start?.origin, exitCode: complete.exitCode };
    });
}

async function untilCompleted(gateway: GatewayClient, sid: string, count: number): Promise<void> {
  await gateway.waitForEvent(
    sid,
    () => gateway.eventsOf(sid).filter((event) => event.type === 'run_complete').length >= count,
    30_000,
  );
}

describe('runs the shell reports', () => {
  test('lines typed into the session are runs of origin shell, beside the session.run runs of origin lifeline', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    await gateway.client.call('session.input', { sid, data: 'echo A1\recho B2\r' });
    await untilCompleted(gateway, sid, 2);
    const sleep = await gateway.client.call('session.run', {
      sid,
      command: 'sleep 1',
      wait: false,
    });
    // Typed while `sleep 1` runs: the shell reads it after, as a command of its own.
    await gateway.client.call('session.input', { sid, data: 'echo ahead\r' });
    await untilCompleted(gateway, sid, 4);
    expect(completedRuns(gateway.eventsOf(sid))).toEqual([
      { command: 'echo A1', origin: 'shell', exitCode: 0 },
      { command: 'echo B2', origin: 'shell', exitCode: 0 },
      { command: 'sleep 1', origin: 'lifeline', exitCode: 0 },
      { command: 'echo ahead', origin: 'shell', exitCode: 0 },
    ]);
    expect(gateway.eventsOf(sid).find((event) => event.seq === sleep.startSeq)).toMatchObject({
      type: 'run_start',
      origin: 'lifeline',
    });
    const { sessions } = await gateway.client.call('session.list', {});
    expect(sessions).toEqual([expect.objectContaining({ sid, lastCommand: 'echo ahead' })]);
  });

  test('a run of the shell keeps session.run from typing into it, and ifIdle refuses while it goes on', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    await gateway.client.call('session.input', { sid, data: 'sleep 1; echo typed-done\r' });
    await gateway.waitForEvent(sid, (event) => event.type === 'run_start');
    await expect(
      gateway.client.call('session.run', { sid, command: 'true', ifIdle: true }),
    ).rejects.toThrow(/busy with "sleep 1; echo typed-done"/);
    const after = await gateway.client.call('session.run', { sid, command: 'echo after' });
    expect(after).toMatchObject({ completed: true, exitCode: 0 });
    expect(completedRuns(gateway.eventsOf(sid)).map((run) => run.command)).toEqual([
      'sleep 1; echo typed-done',
      'echo after',
    ]);
  });

  test('random interleavings of typed lines, pastes and session.run calls: the runs are the command lines the shell ran, in its order, each once', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const trace = path.join(world.work, 'trace');
    let counter = 0;
    const action = fc.oneof(
      fc.constant('typed' as const),
      fc.integer({ min: 2, max: 3 }).map((lines) => ({ paste: lines })),
      fc.constant('run' as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 5 }), async (actions) => {
        fs.writeFileSync(trace, '');
        const before = gateway
          .eventsOf(sid)
          .filter((event) => event.type === 'run_complete').length;
        const issued = new Map<string, 'shell' | 'lifeline'>();
        // Each command appends its name to the trace: the shell's own account of what it ran.
        const command = (origin: 'shell' | 'lifeline') => {
          const name = `c${(counter += 1)}`;
          issued.set(`echo ${name} >> trace`, origin);
          return `echo ${name} >> trace`;
        };
        const calls: Promise<unknown>[] = [];
        for (const next of actions) {
          if (next === 'run')
            calls.push(
              gateway.client.call('session.run', {
                sid,
                command: command('lifeline'),
                wait: false,
              }),
            );
          else {
            const lines = next === 'typed' ? 1 : next.paste;
            const text = Array.from({ length: lines }, () => `${command('shell')}\r`).join('');
            calls.push(gateway.client.call('session.input', { sid, data: text }));
          }
        }
        await Promise.all(calls);
        await untilCompleted(gateway, sid, before + issued.size);
        const runs = completedRuns(gateway.eventsOf(sid)).slice(before);
        const ran = fs
          .readFileSync(trace, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((name) => `echo ${name} >> trace`);
        expect(runs.map((run) => run.command)).toEqual(ran);
        expect(new Set(ran)).toEqual(new Set(issued.keys()));
        for (const run of runs)
          expect(run, run.command).toMatchObject({ origin: issued.get(run.command), exitCode: 0 });
      }),
      fuzzParameters('shell-reported runs', { numRuns: 8 }),
    );
  }, 180_000);
});
