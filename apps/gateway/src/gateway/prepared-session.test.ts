import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { gatewayCliPath } from '../entry-points.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

const sessionDirs = (world: TestWorld) => {
  const sessions = path.join(world.stateDir, 'sessions');
  return fs.existsSync(sessions) ? fs.readdirSync(sessions) : [];
};

describe('--new-session: a session begun at the gateway start', () => {
  test("its host starts before any request, and the first session.create gets it, at the client's size", async () => {
    world = new TestWorld();
    const gateway = await world.startGateway({ args: ['--new-session', '--size', '100x30'] });
    await vi.waitFor(() => expect(world.hostPids()).toHaveLength(1), { timeout: 10_000 });
    const [startedBefore] = world.hostPids();
    const [preparedSid] = sessionDirs(world);
    const { sid, session } = await gateway.client.call('session.create', {
      cwd: world.work,
      cols: 120,
      rows: 40,
    });
    expect(sid).toBe(preparedSid);
    expect(session).toMatchObject({ status: 'live', cwd: world.work });
    expect(world.hostPids()).toEqual([startedBefore]);
    await gateway.client.call('session.attach', { sid });
    const run = await gateway.client.call('session.run', { sid, command: 'stty size' });
    expect(run.exitCode).toBe(0);
    await gateway.waitForEvent(sid, (event) => event.seq === run.completeSeq);
    expect(gateway.outputOf(sid)).toContain('40 120');
    const { sessions } = await gateway.client.call('session.list', {});
    expect(sessions.map((listed) => listed.sid)).toEqual([sid]);
  });

  test('a first session.create that asks for something else gets its own session; the prepared one leaves no trace', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway({ args: ['--new-session'] });
    await vi.waitFor(() => expect(world.hostPids()).toHaveLength(1), { timeout: 10_000 });
    const [preparedSid] = sessionDirs(world);
    const [preparedHost] = world.hostPids();
    const { sid } = await gateway.client.call('session.create', { cwd: '/', name: 'elsewhere' });
    expect(sid).not.toBe(preparedSid);
    await vi.waitFor(() => expect(sessionDirs(world)).toEqual([sid]), { timeout: 10_000 });
    expect(world.hostPids()).not.toContain(preparedHost);
    const { sessions } = await gateway.client.call('session.list', {});
    expect(sessions).toEqual([expect.objectContaining({ sid, cwd: '/', name: 'elsewhere' })]);
  });

  test('a relative cwd is refused as without --new-session, and the prepared session is removed', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway({ args: ['--new-session'] });
    await vi.waitFor(() => expect(world.hostPids()).toHaveLength(1), { timeout: 10_000 });
    await expect(gateway.client.call('session.create', { cwd: '.' })).rejects.toThrow(
      /give an absolute path/,
    );
    await vi.waitFor(() => expect(sessionDirs(world)).toEqual([]), { timeout: 10_000 });
    expect(world.hostPids()).toEqual([]);
  });

  test('a gateway that ends before its client asked stops the prepared host and removes the session', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway({ args: ['--new-session'] });
    // Connected to the host: once the client is gone, nothing but the removal keeps the gateway up.
    await vi.waitFor(
      () => expect(world.crashLogEvents().map((entry) => entry.event)).toContain('host.spawn'),
      { timeout: 10_000 },
    );
    gateway.spawned.child.stdin?.end();
    const info = await gateway.spawned.transport.closed;
    expect(info.exitCode).toBe(0);
    expect(world.hostPids()).toEqual([]);
    expect(sessionDirs(world)).toEqual([]);
  });

  test('bad combinations and sizes are refused with what to do, before anything starts', () => {
    world = new TestWorld();
    for (const [args, message] of [
      [
        ['--new-session', '--size', '0x10'],
        /--size takes COLSxROWS between 1x1 and 1000x1000, e\.g\. 120x40, not "0x10"/,
      ],
      [['--size', '80x24'], /--size only applies with --new-session/],
      [
        ['--listen', '7777', '--new-session'],
        /--new-session and --size only apply without --listen/,
      ],
    ] as const) {
      const result = spawnSync(process.execPath, [gatewayCliPath(), ...args], {
        env: world.env(),
        cwd: world.work,
        encoding: 'utf8',
      });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(sessionDirs(world)).toEqual([]);
  });
});
