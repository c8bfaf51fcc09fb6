import fs from 'node:fs';
import path from 'node:path';
import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';
import { explainedHostTimeout, stoppedHostError } from './stopped-host.js';

/** A `/proc/<pid>/stat` line of a process named `name` in `state`. */
const statLine = (name: string, state: string) =>
  `4195 (${name}) ${state} 1 4195 4195 0 -1 4194560 1234 0 0 0 12 3 0 0 20 0 11 0`;

test('a host stopped by a signal or held by a tracer is named with what resumes it; a running or gone one is not', () => {
  const stopped = stoppedHostError('s_1', 4195, () => statLine('node', 'T'));
  expect(stopped).toMatchObject({
    code: LifelineErrorCode.HostUnavailable,
    data: { sid: 's_1', reason: 'stopped', pid: 4195 },
  });
  expect(stopped?.message).toMatch(
    /session s_1 \(pid 4195\) is stopped.*`kill -CONT 4195` resumes it/,
  );
  expect(stoppedHostError('s_1', 4195, () => statLine('node', 't'))?.message).toMatch(
    /a debugger or tracer holds it/,
  );
  // A name with spaces and parentheses of its own does not hide the state after it.
  expect(stoppedHostError('s_1', 4195, () => statLine('a (T) b', 'S'))).toBeUndefined();
  expect(stoppedHostError('s_1', 4195, () => statLine('node', 'R'))).toBeUndefined();
  expect(stoppedHostError('s_1', 4195, () => undefined)).toBeUndefined();
});

test('only a timed-out call to a stopped host is explained', () => {
  const timeout = new RpcError(RpcErrorCode.Timeout, '"host.run" got no answer within 10 ms');
  const other = new RpcError(LifelineErrorCode.SessionBusy, 'busy');
  const stoppedStat = () => statLine('node', 'T');
  expect(explainedHostTimeout(timeout, 's_1', 4195, stoppedStat)).toMatchObject({
    data: { reason: 'stopped' },
  });
  expect(explainedHostTimeout(other, 's_1', 4195, stoppedStat)).toBe(other);
  expect(explainedHostTimeout(timeout, 's_1', 4195, () => statLine('node', 'S'))).toBe(timeout);
  expect(explainedHostTimeout(timeout, 's_1', undefined, stoppedStat)).toBe(timeout);
});

let world: TestWorld | undefined;
afterEach(async () => {
  for (const pid of world?.hostPids() ?? []) process.kill(pid, 'SIGCONT');
  await world?.dispose();
  world = undefined;
});

test('a gateway asked to reach a stopped host says at once that it is stopped, sends nothing, and reaches it once it is resumed', async () => {
  world = new TestWorld();
  const first = await world.startGateway();
  const { sid } = await first.client.call('session.create', { cwd: world.work });
  await first.client.call('session.run', { sid, command: 'true' });
  const [hostPid] = world.hostPids();
  if (hostPid === undefined) throw new Error('the session has no host');
  process.kill(hostPid, 'SIGSTOP');

  // A gateway that was connected hears nothing back: its timeout says why.
  const timedOut = first.client.call('session.run', {
    sid,
    command: 'touch ran-late',
    timeoutMs: 500,
  });
  await expect(timedOut).rejects.toMatchObject({
    code: LifelineErrorCode.HostUnavailable,
    data: { reason: 'stopped', pid: hostPid },
  });
  await expect(timedOut).rejects.toThrow(`\`kill -CONT ${hostPid}\` resumes it`);

  // A new one (`lifeline exec`, a TUI attaching) does not wait on the silent socket at all: it
  // answers before its caller's own short patience runs out.
  const second = await world.startGateway();
  for (const call of [
    second.client.call('session.run', { sid, command: 'touch ran' }, { timeoutMs: 4000 }),
    second.client.call('session.attach', { sid }, { timeoutMs: 4000 }),
  ]) {
    await expect(call).rejects.toMatchObject({
      code: LifelineErrorCode.HostUnavailable,
      data: { reason: 'stopped', pid: hostPid },
    });
  }

  process.kill(hostPid, 'SIGCONT');
  const after = await second.client.call('session.run', { sid, command: 'ls' });
  expect(after).toMatchObject({ completed: true, exitCode: 0 });
  expect(world.hostPids()).toEqual([hostPid]);
  // Runs queue in order: once this one is done, neither refused command was typed.
  expect(fs.existsSync(path.join(world.work, 'ran-late'))).toBe(false);
  expect(fs.existsSync(path.join(world.work, 'ran'))).toBe(false);
}, 60_000);
