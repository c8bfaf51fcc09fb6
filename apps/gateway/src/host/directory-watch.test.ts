import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { isProcessAlive } from '../state/writer-lock.js';
import { TestWorld } from '../test-utils/gateway-harness.js';
import {
  DIRECTORY_CHECK_MS,
  watchSessionDirectory,
  type DirectoryWatchIo,
} from './directory-watch.js';

/** A file system whose directory the test changes, and a clock the test ticks. */
function fakeIo(initial: ReturnType<DirectoryWatchIo['identify']>) {
  let identity = initial;
  let check: (() => void) | undefined;
  let interval: number | undefined;
  const io: DirectoryWatchIo = {
    identify: () => identity,
    every(ms, callback) {
      interval = ms;
      check = callback;
      return () => {
        check = undefined;
      };
    },
  };
  return {
    io,
    interval: () => interval,
    set(next: ReturnType<DirectoryWatchIo['identify']>) {
      identity = next;
    },
    tick() {
      check?.();
    },
    stopped: () => check === undefined,
  };
}

test('the host is told once when its session directory is removed, and not while it stays', () => {
  const fs = fakeIo({ dev: 1, ino: 10 });
  const removed = vi.fn();
  watchSessionDirectory('/state/sessions/s_1', removed, fs.io);
  expect(fs.interval()).toBe(DIRECTORY_CHECK_MS);
  fs.tick();
  fs.tick();
  expect(removed).not.toHaveBeenCalled();
  fs.set('gone');
  fs.tick();
  fs.tick();
  expect(removed).toHaveBeenCalledTimes(1);
  expect(fs.stopped()).toBe(true);
});

test('a directory made again in its place is not the session the host started in', () => {
  const fs = fakeIo({ dev: 1, ino: 10 });
  const removed = vi.fn();
  watchSessionDirectory('/state/sessions/s_1', removed, fs.io);
  fs.set({ dev: 1, ino: 11 });
  fs.tick();
  expect(removed).toHaveBeenCalledTimes(1);
});

test('a look that cannot tell (no permission for a moment) ends nothing; the directory is learnt once it can', () => {
  const fs = fakeIo(undefined);
  const removed = vi.fn();
  const stop = watchSessionDirectory('/state/sessions/s_1', removed, fs.io);
  fs.tick();
  fs.set({ dev: 1, ino: 10 });
  fs.tick();
  fs.set(undefined);
  fs.tick();
  fs.set({ dev: 1, ino: 10 });
  fs.tick();
  expect(removed).not.toHaveBeenCalled();
  stop();
  fs.set('gone');
  fs.tick();
  expect(removed).not.toHaveBeenCalled();
});

let world: TestWorld | undefined;
let leftPids: number[] = [];
afterEach(async () => {
  // Processes a failing run may have left, no longer found through the removed directory.
  for (const pid of leftPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
  leftPids = [];
  await world?.dispose();
  world = undefined;
});

test('a live session whose directory is removed ends: its clients are told why, its host hangs up its shell and both exit, and the crash log says why', async () => {
  const testWorld = new TestWorld();
  world = testWorld;
  const gateway = await testWorld.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: testWorld.work });
  const sessionDir = path.join(testWorld.stateDir, 'sessions', sid);
  await gateway.client.call('session.attach', { sid });
  await gateway.client.call('session.run', { sid, command: 'true' });
  const [hostPid] = testWorld.hostPids();
  if (hostPid === undefined) throw new Error('the session has no host');
  const shellPid = Number.parseInt(
    fs.readFileSync(`/proc/${hostPid}/task/${hostPid}/children`, 'utf8').trim().split(/\s+/)[0] ??
      '',
    10,
  );
  expect(isProcessAlive(shellPid)).toBe(true);
  leftPids = [hostPid, shellPid];

  fs.rmSync(sessionDir, { recursive: true, force: true });
  await vi.waitFor(
    () => {
      if (isProcessAlive(hostPid) || isProcessAlive(shellPid))
        throw new Error(`host ${hostPid} or shell ${shellPid} still running`);
    },
    { timeout: 20_000, interval: 100 },
  );
  // An attached client is told why, before the shell's exit.
  const events = gateway.eventsOf(sid);
  const note = events.findIndex(
    (event) => event.type === 'note' && event.text.includes(`directory ${sessionDir} was removed`),
  );
  expect(note).toBeGreaterThan(-1);
  expect(events.findIndex((event) => event.type === 'host_exit')).toBeGreaterThan(note);
  const said = testWorld
    .crashLogEvents()
    .find((entry) => entry.source === `host:${sid}` && entry.event === 'host.directory-removed');
  expect(said?.fields.dir).toBe(sessionDir);
});
