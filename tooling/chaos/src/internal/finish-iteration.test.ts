import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { CallTracker } from './call-tracker.js';
import { ChaosClient } from './chaos-client.js';
import { finishIteration } from './finish-iteration.js';
import { ChaosDirectories, type IterationPlace } from './iteration-place.js';
import { listTaggedProcesses, signalProcess, waitForTaggedGone } from './process-census.js';

const directories = new ChaosDirectories();
let place: IterationPlace;

afterEach(async () => {
  for (const process of listTaggedProcesses(place.tag)) signalProcess(process.pid, 'SIGKILL');
  await waitForTaggedGone(place.tag, 10_000);
  directories.remove(place);
  directories.removeIfEmpty();
});

function tagged(script: string): void {
  spawn('/bin/sh', ['-c', script], { env: place.env, stdio: 'ignore' }).unref();
}

describe('finishIteration', () => {
  test('counts what an iteration left running, its orphans and its calls that never settled, and ends the processes', async () => {
    place = directories.place('finish');
    const tracker = new CallTracker();
    const client = new ChaosClient({ env: place.env, cwd: place.work, tracker });
    tagged('sleep 60 & wait');
    tagged('sleep 61 & exit 0');
    await expect
      .poll(
        () =>
          listTaggedProcesses(place.tag)
            .map((entry) => entry.commandLine)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['/bin/sh -c sleep 60 & wait', 'sleep 60', 'sleep 61']);
    void tracker.track('session.run', new Promise(() => undefined));
    void tracker.track('session.input', Promise.resolve());

    const end = await finishIteration(client, tracker, place.tag, { settleMs: 200, exitMs: 200 });

    expect(end.unsettled).toHaveLength(1);
    expect(end.unsettled[0]).toMatch(/^session\.run \(pending \d+ ms\)$/);
    expect(end.hanging.map((entry) => entry.commandLine).sort()).toEqual([
      '/bin/sh -c sleep 60 & wait',
      'sleep 60',
    ]);
    expect(end.orphans.map((entry) => entry.commandLine)).toEqual(['sleep 61']);
    expect(end.failedChecks).toEqual([]);
    expect(listTaggedProcesses(place.tag)).toEqual([]);
  });

  test('an iteration that ended everything counts nothing', async () => {
    place = directories.place('finish-clean');
    const tracker = new CallTracker();
    const client = new ChaosClient({ env: place.env, cwd: place.work, tracker });
    void tracker.track('session.list', Promise.reject(new Error('the gateway went away')));
    expect(
      await finishIteration(client, tracker, place.tag, { settleMs: 1000, exitMs: 1000 }),
    ).toEqual({
      unsettled: [],
      hanging: [],
      orphans: [],
      failedChecks: [],
      details: [],
    });
  });
});
