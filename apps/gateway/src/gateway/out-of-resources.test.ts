import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LifelineErrorCode } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

/** The lowest file descriptor number the process has free: the next one it would open. */
function lowestFreeDescriptor(pid: number): number {
  const open = new Set(fs.readdirSync(`/proc/${pid}/fd`).map(Number));
  let candidate = 0;
  while (open.has(candidate)) candidate += 1;
  return candidate;
}

function setOpenFileLimit(pid: number, soft: number): void {
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:`]);
}

test('a gateway out of file descriptors says so, lists no fewer sessions than there are and leaves no session behind', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionsDir = path.join(world.stateDir, 'sessions');
  const before = fs.readdirSync(sessionsDir);
  const softLimit = Number(
    execFileSync(
      'prlimit',
      ['--pid', String(gateway.pid), '--nofile', '--noheadings', '--output=SOFT'],
      {
        encoding: 'utf8',
      },
    ).trim(),
  );
  // From here the gateway cannot open a single file, socket or pipe more.
  setOpenFileLimit(gateway.pid, lowestFreeDescriptor(gateway.pid));

  const listing = gateway.client.call('session.list', {});
  await expect(listing).rejects.toMatchObject({
    code: LifelineErrorCode.OutOfResources,
    data: { errno: 'EMFILE' },
  });
  await expect(listing).rejects.toThrow(
    /listing the sessions failed: the gateway has no file descriptor left/,
  );
  await expect(gateway.client.call('session.create', { cwd: world.work })).rejects.toMatchObject({
    code: LifelineErrorCode.OutOfResources,
  });
  expect(fs.readdirSync(sessionsDir)).toEqual(before);
  const marker = path.join(world.work, 'ran');
  const run = gateway.client.call('session.run', { sid, command: `touch ${marker}` });
  await expect(run).rejects.toMatchObject({ code: LifelineErrorCode.OutOfResources });
  await expect(run).rejects.toThrow(
    /^running the command failed: the gateway has no file descriptor left \(EMFILE\)/,
  );
  expect(fs.existsSync(marker)).toBe(false);

  setOpenFileLimit(gateway.pid, softLimit);
  const { sessions } = await gateway.client.call('session.list', {});
  expect(sessions.map((session) => session.sid)).toEqual([sid]);
}, 60_000);
