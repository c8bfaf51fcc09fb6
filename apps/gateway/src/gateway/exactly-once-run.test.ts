import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  for (const pid of world.hostPids()) process.kill(pid, 'SIGCONT');
  await world.dispose();
});

test('a run that timed out while its host was stopped never starts once the host goes on', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.run', { sid, command: 'true' });
  const [hostPid] = world.hostPids();
  process.kill(hostPid ?? 0, 'SIGSTOP');
  await expect(
    gateway.client.call('session.run', { sid, command: 'touch ran-late', timeoutMs: 1000 }),
  ).rejects.toThrow();
  process.kill(hostPid ?? 0, 'SIGCONT');
  // Runs queue in order: once this one is done, the one before would have been typed already.
  const after = await gateway.client.call('session.run', { sid, command: 'echo after' });
  expect(after).toMatchObject({ completed: true, exitCode: 0 });
  expect(fs.existsSync(path.join(world.work, 'ran-late'))).toBe(false);
}, 60_000);
