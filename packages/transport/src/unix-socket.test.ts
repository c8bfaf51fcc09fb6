import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TransportError } from './errors.js';
import type { StreamTransport } from './stream-transport.js';
import type { Transport } from './transport.js';
import { SPARE_ARENA_IDLE_MS } from './internal/frame-writer.js';
import { connectUnixSocket, listenUnixSocket } from './unix-socket.js';
import type { UnixSocketTransportServer } from './unix-socket.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function socketPathInTemporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-unix-'));
  cleanups.push(() => fs.rmSync(directory, { recursive: true, force: true }));
  return path.join(directory, 'host.sock');
}

/** A server on a fresh socket that counts the messages it receives, and a client connected to it. */
async function countingConnection() {
  const socketPath = socketPathInTemporaryDirectory();
  let received = 0;
  const server = await listenUnixSocket(socketPath, (transport) => {
    transport.receive({ message: () => (received += 1) });
  });
  cleanups.push(() => server.close());
  const client = await connectUnixSocket(socketPath);
  cleanups.push(() => client.close());
  return { client, received: () => received };
}

async function echoServer(socketPath: string): Promise<UnixSocketTransportServer> {
  const server = await listenUnixSocket(socketPath, (transport) => {
    transport.receive({ message: (message) => transport.send({ echo: message }) });
  });
  cleanups.push(() => server.close());
  return server;
}

function nextMessages(transport: Transport, count: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const messages: unknown[] = [];
    transport.receive({
      message: (message) => {
        messages.push(message);
        if (messages.length === count) resolve(messages);
      },
    });
  });
}

describe('unix-domain sockets', () => {
  test('round trip, socket file mode 0600, and eof on both sides', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const server = await echoServer(socketPath);
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    const client = await connectUnixSocket(socketPath);
    const replies = nextMessages(client, 3);
    for (const message of [1, 'two', { three: [3] }]) expect(client.send(message)).toBe(true);
    await expect(replies).resolves.toEqual([
      { echo: 1 },
      { echo: 'two' },
      { echo: { three: [3] } },
    ]);
    expect(server.connections.size).toBe(1);
    const [serverSide] = [...server.connections] as [StreamTransport];
    client.close();
    await expect(client.closed).resolves.toEqual({ reason: 'local' });
    await expect(serverSide.closed).resolves.toEqual({ reason: 'eof' });
  });

  test('closing the server closes its connections and removes the socket file', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const server = await echoServer(socketPath);
    const client = await connectUnixSocket(socketPath);
    await vi.waitFor(() => expect(server.connections.size).toBe(1));
    await server.close();
    await expect(client.closed).resolves.toMatchObject({ reason: 'eof' });
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  test('a stale socket file (nothing answers) is replaced', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    // A server that dies without removing its socket file leaves exactly this behind.
    const stale = net.createServer();
    await new Promise<void>((resolve) => stale.listen(socketPath, resolve));
    fs.renameSync(socketPath, `${socketPath}.keep`);
    await new Promise<void>((resolve) => stale.close(() => resolve()));
    fs.renameSync(`${socketPath}.keep`, socketPath);
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);

    await echoServer(socketPath);
    const client = await connectUnixSocket(socketPath);
    const reply = nextMessages(client, 1);
    client.send('hi');
    await expect(reply).resolves.toEqual([{ echo: 'hi' }]);
    client.close();
  });

  test('a live server’s socket is never replaced', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    await echoServer(socketPath);
    await expect(listenUnixSocket(socketPath, () => undefined)).rejects.toMatchObject({
      code: 'ADDRESS_IN_USE',
    });
    const client = await connectUnixSocket(socketPath);
    const reply = nextMessages(client, 1);
    client.send('still there');
    await expect(reply).resolves.toEqual([{ echo: 'still there' }]);
    client.close();
  });

  test('a regular file at the path is never replaced', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    fs.writeFileSync(socketPath, 'important');
    await expect(listenUnixSocket(socketPath, () => undefined)).rejects.toMatchObject({
      code: 'ADDRESS_IN_USE',
    });
    expect(fs.readFileSync(socketPath, 'utf8')).toBe('important');
  });

  test('a server with an invalid limit is refused before it listens', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const error: unknown = await listenUnixSocket(socketPath, () => undefined, {
      maxFrameBytes: 0,
    }).catch((caught: unknown) => caught);
    expect(TransportError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  test('a client with an invalid limit or timeout is refused before it connects', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const server = await echoServer(socketPath);
    for (const options of [
      { maxQueuedBytes: 0 },
      { closeTimeoutMs: -1 },
      { connectTimeoutMs: 0 },
    ]) {
      const error: unknown = await connectUnixSocket(socketPath, options).catch(
        (caught: unknown) => caught,
      );
      expect(TransportError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    }
    // A good client after them: by its answer the server has seen every earlier connection.
    const client = await connectUnixSocket(socketPath);
    client.send('ping');
    await expect(nextMessages(client, 1)).resolves.toEqual([{ echo: 'ping' }]);
    expect(server.connections.size).toBe(1);
    client.close();
  });

  test('connecting to nothing rejects with UNREACHABLE', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const error: unknown = await connectUnixSocket(socketPath).catch((caught: unknown) => caught);
    expect(TransportError.isInstance(error) && error.code).toBe('UNREACHABLE');
  });

  test('a client that vanishes mid-stream closes the server side as peer-gone or eof, never error', async () => {
    const socketPath = socketPathInTemporaryDirectory();
    const server = await echoServer(socketPath);
    const socket = net.createConnection(socketPath);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('{"partial":');
    await vi.waitFor(() => expect(server.connections.size).toBe(1));
    const [serverSide] = [...server.connections] as [StreamTransport];
    socket.destroy();
    const info = await serverSide.closed;
    expect(['eof', 'peer-gone']).toContain(info.reason);
  });

  test('a sender holding back for its queue hears when the queue has gone out, until it stops listening', async () => {
    const { client, received } = await countingConnection();
    let heardOnce = 0;
    const drained = new Promise<number>((resolve) => {
      const stop = client.onDrain(() => {
        heardOnce += 1;
        stop();
        resolve(client.queuedBytes);
      });
    });
    let drains = 0;
    client.onDrain(() => (drains += 1));
    // 4 MB: more than the socket holds at once, so most of it waits in the queue.
    const data = 'x'.repeat(64 * 1024);
    const flood = () => {
      for (let frame = 0; frame < 64; frame += 1) client.send({ frame, data });
    };
    flood();
    expect(client.queuedBytes).toBeGreaterThan(0);
    await expect(drained).resolves.toBe(0);
    flood();
    await vi.waitFor(() => expect(drains).toBe(2));
    await vi.waitFor(() => expect(received()).toBe(128));
    expect(heardOnce).toBe(1);
  });

  test('a connection that sent a flood and went idle gives the memory it wrote from back', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const bufferBytes = () => {
      collect();
      return process.memoryUsage().arrayBuffers;
    };
    const { client, received } = await countingConnection();
    // 8 MB in frames of 32 KB: several arenas' worth, written as fast as the socket takes them.
    const frames = 256;
    const data = 'x'.repeat(32 * 1024);
    for (let frame = 0; frame < frames; frame += 1) client.send({ frame, data });
    await vi.waitFor(() => expect(received()).toBe(frames), { timeout: 30_000 });
    const afterFlood = bufferBytes();
    // Idle: once nothing has been written for a while, the buffers the frames were encoded in go.
    await vi.waitFor(
      () => expect(afterFlood - bufferBytes()).toBeGreaterThanOrEqual(2 * 1024 * 1024),
      {
        timeout: SPARE_ARENA_IDLE_MS + 10_000,
        interval: 200,
      },
    );
  });
});
