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

/** Lines of a file the test's commands append to (none when it does not exist). */
function linesOf(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

test('a run retried with its key after it timed out in a stopped host starts once, and every retry gets that run', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.run', { sid, command: 'true' });
  const [hostPid] = world.hostPids();
  const command = 'echo once >> runs.txt';
  const idempotencyKey = 'deploy-1';
  process.kill(hostPid ?? 0, 'SIGSTOP');
  await expect(
    gateway.client.call('session.run', { sid, command, timeoutMs: 1000, idempotencyKey }),
  ).rejects.toThrow();
  process.kill(hostPid ?? 0, 'SIGCONT');
  // The first never started: the retry is the run.
  const retried = await gateway.client.call('session.run', { sid, command, idempotencyKey });
  expect(retried).toMatchObject({ completed: true, exitCode: 0 });
  const again = await gateway.client.call('session.run', { sid, command, idempotencyKey });
  expect(again).toEqual(retried);
  expect(linesOf(path.join(world.work, 'runs.txt'))).toEqual(['once']);
}, 60_000);

test('a run retried with its key through a new gateway gets the first run instead of a second', async () => {
  world = new TestWorld();
  const first = await world.startGateway();
  const { sid } = await first.client.call('session.create', { cwd: world.work });
  const command = 'echo once >> runs.txt; sleep 1';
  const idempotencyKey = 'build-7';
  const started = await first.client.call('session.run', {
    sid,
    command,
    wait: false,
    idempotencyKey,
  });
  // The gateway dies before its client heard how the run ended; the client retries elsewhere.
  first.spawned.kill('SIGKILL');
  const second = await world.startGateway();
  const retried = await second.client.call('session.run', { sid, command, idempotencyKey });
  expect(retried).toMatchObject({ runId: started.runId, completed: true, exitCode: 0 });
  expect(linesOf(path.join(world.work, 'runs.txt'))).toEqual(['once']);
  await expect(
    second.client.call('session.run', { sid, command: 'echo other', idempotencyKey }),
  ).rejects.toThrow(/idempotency key "build-7" was given to the run of/);
}, 60_000);

test('input that timed out while its host was stopped is never typed once the host goes on', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.run', { sid, command: 'true' });
  const [hostPid] = world.hostPids();
  process.kill(hostPid ?? 0, 'SIGSTOP');
  await expect(
    gateway.client.call(
      'session.input',
      { sid, data: 'touch typed-late\r', timeoutMs: 1000 },
      { timeoutMs: 20_000 },
    ),
  ).rejects.toThrow();
  process.kill(hostPid ?? 0, 'SIGCONT');
  const after = await gateway.client.call('session.run', { sid, command: 'echo after' });
  expect(after).toMatchObject({ completed: true, exitCode: 0 });
  expect(fs.existsSync(path.join(world.work, 'typed-late'))).toBe(false);
}, 60_000);

test('input retried with its key is typed once', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.run', { sid, command: 'true' });
  const input = { sid, data: 'echo typed >> inputs.txt\r', idempotencyKey: 'key-1' };
  await gateway.client.call('session.input', input);
  await gateway.client.call('session.input', input);
  // Runs wait for the shell's own: once this one is done, every line typed before has run.
  await gateway.client.call('session.run', { sid, command: 'true' });
  expect(linesOf(path.join(world.work, 'inputs.txt'))).toEqual(['typed']);
}, 60_000);
