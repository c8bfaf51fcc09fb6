// Sessions started at the same moment in one directory, through gateways of their own (two TUIs,
// several agents' `exec --new`): each gets a name of its own.
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

test('sessions started at the same moment by several gateways get names of their own', async () => {
  world = new TestWorld();
  const [first, second] = await Promise.all([world.startGateway(), world.startGateway()]);
  const base = path.basename(world.work);
  const created = await Promise.all(
    [first, second, first, second].map((gateway) =>
      gateway.client.call('session.create', { cwd: world.work }),
    ),
  );
  expect(created.map(({ session }) => session.name).sort()).toEqual([
    base,
    `${base}-2`,
    `${base}-3`,
    `${base}-4`,
  ]);

  // A session that ended a moment after it started leaves its name free at once: it is listed
  // as ended as soon as closing it is answered.
  const named = created.find(({ session }) => session.name === base);
  await first.client.call('session.close', { sid: named?.sid ?? '' });
  const { sessions } = await second.client.call('session.list', {});
  expect(sessions.find((session) => session.sid === named?.sid)?.status).toBe('ended');
  const again = await second.client.call('session.create', { cwd: world.work });
  expect(again.session.name).toBe(base);

  // One name asked for by both at once: one session gets it, the other request is refused.
  const asked = await Promise.allSettled(
    [first, second].map((gateway) =>
      gateway.client.call('session.create', { cwd: world.work, name: 'build' }),
    ),
  );
  expect(asked.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  const refused = asked.find((result) => result.status === 'rejected');
  expect(String(refused?.reason)).toMatch(/is already named "build"; choose another name/);
}, 60_000);
