// The prompt a shell prints after a run is part of that run's ending: it reaches the session's log
// on its own, without waiting for the next run. (It may come in a read of its own just after the
// prompt frame that completes the run, so it is not always there when session.run answers.)
import fs from 'node:fs';
import path from 'node:path';
import { stateLayout } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { readEvents } from '../event-log/event-log-reader.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

test('the prompt after a run is logged without waiting for the next run', async () => {
  world = new TestWorld();
  const prompt = 'prompt-after-run> ';
  fs.writeFileSync(path.join(world.home, '.bashrc'), `PS1='${prompt}'\n`);
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionDir = stateLayout.sessionDir(world.stateDir, sid);
  for (const command of ['true', 'echo second', 'false']) {
    const result = await gateway.client.call('session.run', { sid, command });
    expect(result, command).toMatchObject({ completed: true });
    await vi.waitFor(
      () => {
        const { events } = readEvents(sessionDir, result.completeSeq ?? 0, { limit: 10 });
        const after = events
          .slice(1)
          .flatMap((event) => (event.type === 'output' ? [event.data] : []))
          .join('');
        expect(after, command).toContain(prompt);
      },
      { timeout: 5000, interval: 20 },
    );
  }
}, 30_000);
