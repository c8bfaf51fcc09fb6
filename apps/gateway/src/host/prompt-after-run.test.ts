// The prompt a shell prints after a run is part of that run's ending: it is in the session's log
// by the time session.run answers, not held back for the next run or a coalescing delay.
import fs from 'node:fs';
import path from 'node:path';
import { stateLayout } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { readEvents } from '../event-log/event-log-reader.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

test('the prompt after a run is in the log when session.run answers', async () => {
  world = new TestWorld();
  const prompt = 'prompt-after-run> ';
  fs.writeFileSync(path.join(world.home, '.bashrc'), `PS1='${prompt}'\n`);
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionDir = stateLayout.sessionDir(world.stateDir, sid);
  for (const command of ['true', 'echo second', 'false']) {
    const result = await gateway.client.call('session.run', { sid, command });
    expect(result, command).toMatchObject({ completed: true });
    const { events } = readEvents(sessionDir, result.completeSeq ?? 0, { limit: 10 });
    const after = events
      .slice(1)
      .flatMap((event) => (event.type === 'output' ? [event.data] : []))
      .join('');
    expect(after, command).toContain(prompt);
  }
}, 30_000);
