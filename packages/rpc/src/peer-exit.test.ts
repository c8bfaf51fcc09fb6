import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnTransport } from '@lifeline/transport';
import { afterEach, expect, test } from 'vitest';
import { isPeerExitedError, PeerExitedError } from './errors.js';
import { createPeer } from './peer.js';

const silentServer = path.join(import.meta.dirname, '__fixtures__', 'silent-server.mjs');
const children: { kill(signal?: NodeJS.Signals): boolean }[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

test('a real child SIGKILLed with 64 calls in flight: every call settles with PeerExitedError and the signal', async () => {
  let received = 0;
  let allReceived!: () => void;
  const inFlight = new Promise<void>((resolve) => (allReceived = resolve));
  const spawned = spawnTransport(process.execPath, [silentServer], {
    onStderr: (chunk) => {
      received = Math.max(
        received,
        ...[...chunk.toString().matchAll(/received (\d+)/g)].map((match) => Number(match[1])),
      );
      if (received >= 64) allReceived();
    },
  });
  children.push(spawned.child);
  const peer = createPeer(spawned.transport);
  const calls = Array.from({ length: 64 }, (_, index) =>
    peer.request('work', { index }).then(
      () => 'resolved',
      (error: unknown) => error,
    ),
  );
  await inFlight;
  expect(peer.pendingCalls).toBe(64);
  spawned.child.kill('SIGKILL');
  const outcomes = await Promise.all(calls);
  for (const outcome of outcomes) {
    expect(PeerExitedError.isInstance(outcome)).toBe(true);
    expect(outcome).toMatchObject({ reason: 'peer-gone', signal: 'SIGKILL' });
    // Without frames, which would only show the close path: that capture was most of the settle time.
    expect((outcome as Error).stack).toBe(`PeerExitedError: ${(outcome as Error).message}`);
  }
  expect(peer.pendingCalls).toBe(0);
  const late = await peer.request('work').catch((error: unknown) => error);
  expect(isPeerExitedError(late)).toBe(true);
  expect((late as Error).message).toMatch(/is gone \(peer-gone, signal SIGKILL\)/);
});

test('a child that crashes with a message: the error carries its exit code and stderr tail', async () => {
  const spawned = spawnTransport(process.execPath, [
    '-e',
    'process.stdin.once("data", () => { console.error("fatal: out of cheese"); process.exit(3); })',
  ]);
  children.push(spawned.child);
  const peer = createPeer(spawned.transport);
  const error = await peer.request('anything').catch((caught: unknown) => caught);
  expect(error).toMatchObject({ exitCode: 3, signal: null });
  expect((error as PeerExitedError).stderrTail).toContain('fatal: out of cheese');
  expect((error as Error).message).toContain('out of cheese');
});

test('a command that cannot be spawned: the error says why in its message, not only in its cause', async () => {
  const spawned = spawnTransport('no-such-binary-for-lifeline', ['--stdio']);
  children.push(spawned.child);
  const error = await createPeer(spawned.transport)
    .request('ping')
    .catch((caught: unknown) => caught);
  expect(isPeerExitedError(error)).toBe(true);
  expect((error as Error).message).toBe(
    'the peer answering "ping" never started (ENOENT: no-such-binary-for-lifeline: no such command; check its name and the PATH)',
  );
});

test('a file that is not executable: the error names EACCES and the file', async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-rpc-spawn-'));
  const script = path.join(directory, 'server.sh');
  fs.writeFileSync(script, '#!/bin/sh\n', { mode: 0o600 });
  try {
    const spawned = spawnTransport(script);
    children.push(spawned.child);
    const error = await createPeer(spawned.transport)
      .request('ping')
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(
      `never started (EACCES: ${script}: not executable by this user`,
    );
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
