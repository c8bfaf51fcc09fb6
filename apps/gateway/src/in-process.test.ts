// The gateway's router served in the client's own process: real session hosts, real shells.
import fs from 'node:fs';
import { gatewayContract } from '@lifeline/protocol';
import { createClient, createPeer } from '@lifeline/rpc';
import { afterEach, expect, test } from 'vitest';
import { startInProcessGateway, UnsafeDirectoryError } from './in-process.js';
import { TestWorld } from './test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

/** A router in this process over the world's state directory, and a typed client of it. */
function inProcess() {
  const gateway = startInProcessGateway({ env: world.env(), breadcrumb: () => undefined });
  const client = createClient(createPeer(gateway.transport), gatewayContract);
  return { gateway, client };
}

test('runs in a session it starts, whose host outlives it; a second one reaches the same live host', async () => {
  world = new TestWorld();
  const first = inProcess();
  const { sid } = await first.client.call('session.create', { cwd: world.work });
  const ran = await first.client.call('session.run', {
    sid,
    command: 'exit_with() { return $1; }; exit_with 7',
  });
  expect(ran).toMatchObject({ completed: true, exitCode: 7 });
  const [hostPid] = world.hostPids();
  first.gateway.close();
  expect((await first.gateway.transport.closed).reason).toBe('local');

  const second = inProcess();
  const { sessions } = await second.client.call('session.list', {});
  expect(sessions).toMatchObject([{ sid, status: 'live' }]);
  const again = await second.client.call('session.run', { sid, command: 'true' });
  expect(again).toMatchObject({ completed: true, exitCode: 0 });
  expect(world.hostPids()).toEqual([hostPid]);
  second.gateway.close();
});

test('a state directory others can write into is refused, naming it and the fix, and nothing is written there', () => {
  world = new TestWorld();
  fs.mkdirSync(world.stateDir, { mode: 0o700 });
  fs.chmodSync(world.stateDir, 0o777);
  expect(() => inProcess()).toThrow(UnsafeDirectoryError);
  expect(() => inProcess()).toThrow(`chmod 700 ${world.stateDir}`);
  expect(fs.readdirSync(world.stateDir)).toEqual([]);
});
