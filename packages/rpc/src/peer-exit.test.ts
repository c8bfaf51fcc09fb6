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
