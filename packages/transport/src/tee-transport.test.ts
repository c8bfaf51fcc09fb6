import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnTransport } from './child-process-transport.js';
import type { SpawnedTransport } from './child-process-transport.js';
import { createStreamTransport } from './stream-transport.js';
import { createTeeTransport } from './tee-transport.js';
import type { CloseInfo, Transport, TransportReceiver } from './transport.js';
import { createTransportPair } from './transport-pair.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const spawned: SpawnedTransport[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const { child } of spawned.splice(0)) child.kill('SIGKILL');
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function echoChild(): SpawnedTransport {
  const result = spawnTransport(process.execPath, [path.join(fixtures, 'echo.mjs')]);
  spawned.push(result);
  return result;
}

/** A secondary whose send always throws. */
function throwingTransport(): Transport & { closeCalls: number } {
  let resolveClosed: (info: CloseInfo) => void = () => undefined;
  const transport = {
    closeCalls: 0,
    closed: new Promise<CloseInfo>((resolve) => (resolveClosed = resolve)),
    isClosed: false,
    send(): boolean {
      throw new Error('secondary exploded');
    },
    receive(_receiver: TransportReceiver): void {
      throw new Error('secondary exploded');
    },
    close(): void {
      transport.closeCalls += 1;
      transport.isClosed = true;
      resolveClosed({ reason: 'local' });
      throw new Error('even close explodes');
    },
  };
  return transport;
}

describe('createTeeTransport', () => {
  test('a throwing and a stalled secondary never throw into, slow down or close the primary', async () => {
    const primary = echoChild();
    const throwing = throwingTransport();
    const neverRead = spawn(process.execPath, [path.join(fixtures, 'never-read.mjs')], {
      stdio: 'pipe',
    });
    children.push(neverRead);
    const stalled = createStreamTransport({ output: neverRead.stdin, maxQueuedBytes: 256 * 1024 });
    const failures: unknown[] = [];
    const tee = createTeeTransport(primary.transport, [throwing, stalled], {
      onSecondaryFailure: (_secondary, error) => failures.push(error),
    });

    const received: unknown[] = [];
    const count = 300;
    const all = new Promise<void>((resolve) => {
      tee.receive({
        message: (message) => {
          received.push(message);
          if (received.length === count) resolve();
        },
      });
    });
    const message = { data: 'z'.repeat(8 * 1024) };
    for (let index = 0; index < count; index += 1) {
      expect(tee.send({ ...message, index })).toBe(true);
      if (index % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
    expect(received.map((value) => (value as { index: number }).index)).toEqual(
      Array.from({ length: count }, (_, index) => index),
    );
    expect(tee.isClosed).toBe(false);
    expect(throwing.closeCalls).toBe(1);
    await expect(stalled.closed).resolves.toMatchObject({ reason: 'stalled' });
    expect(failures).toHaveLength(2);
    expect(() => tee.send({ big: 1n })).toThrow(TypeError);

    tee.close();
    await expect(tee.closed).resolves.toMatchObject({ reason: 'local' });
    expect(tee.send('after')).toBe(false);
  });

  test('secondaries get a copy of every message; with mirrorInbound, of inbound ones too', async () => {
    const [primary, peer] = createTransportPair();
    const [secondary, secondaryPeer] = createTransportPair();
    const tee = createTeeTransport(primary, [secondary], { mirrorInbound: true });
    const copies: unknown[] = [];
    secondaryPeer.receive({ message: (message) => copies.push(message) });
    const inbound: unknown[] = [];
    tee.receive({ message: (message) => inbound.push(message) });
    const atPeer: unknown[] = [];
    peer.receive({ message: (message) => atPeer.push(message) });

    tee.send({ out: 1 });
    peer.send({ in: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(atPeer).toEqual([{ out: 1 }]);
    expect(inbound).toEqual([{ in: 2 }]);
    expect(copies).toEqual([{ out: 1 }, { in: 2 }]);

    peer.close();
    await expect(tee.closed).resolves.toEqual({ reason: 'eof' });
    await expect(secondary.closed).resolves.toEqual({ reason: 'local' });
  });

  test('a mirroring tee refuses a receiver without a message function when it is attached', () => {
    const [primary] = createTransportPair();
    const tee = createTeeTransport(primary, [], { mirrorInbound: true });
    expect(() => tee.receive(undefined as never)).toThrow(
      /receive\(\) needs a receiver: an object with a message\(value\) function.*; got undefined\./,
    );
    tee.close();
  });
});
