import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TransportError } from './errors.js';
import { createStreamTransport, type NdjsonTransportOptions } from './stream-transport.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function spawnFixture(name: string, args: string[] = []): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [path.join(fixtures, name), ...args], { stdio: 'pipe' });
  children.push(child);
  return child;
}

function temporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-transport-'));
  cleanups.push(() => fs.rmSync(directory, { recursive: true, force: true }));
  return directory;
}

describe('createStreamTransport over real pipes', () => {
  test('round-trips through a child’s stdio and closes as eof when the input ends', async () => {
    const child = spawnFixture('echo.mjs');
    const transport = createStreamTransport({ input: child.stdout, output: child.stdin });
    const received: unknown[] = [];
    transport.receive({ message: (message) => received.push(message) });
    const messages = Array.from({ length: 200 }, (_, index) => ({
      index,
      text: `message ${index} 🙂`,
    }));
    for (const message of messages) expect(transport.send(message)).toBe(true);
    child.stdin.end();
    const info = await transport.closed;
    expect(info.reason).toBe('eof');
    expect(received).toEqual(messages);
  });

  test('bursts of frames of every size, sent while earlier ones are in flight, come back intact', async () => {
    // Many megabytes in overlapping bursts: the memory frames are encoded into is reused once
    // written, and a frame must never be overwritten while it is still on its way.
    const child = spawnFixture('echo.mjs');
    const transport = createStreamTransport({ input: child.stdout, output: child.stdin });
    const received: { index: number; data: string }[] = [];
    let sent = 0;
    transport.receive({
      message: (message) => received.push(message as { index: number; data: string }),
    });
    const sizes = [10, 700, 4_000, 30_000, 200_000, 70_000, 1_200_000, 3, 10, 2_200_000];
    const message = (index: number): { index: number; data: string } => ({
      index,
      data: `${index}:`.padEnd(
        sizes[index % sizes.length] as number,
        String.fromCharCode(97 + (index % 26)),
      ),
    });
    for (let burst = 0; burst < 12; burst += 1) {
      for (let count = 0; count < 30; count += 1) {
        expect(transport.send(message(sent))).toBe(true);
        sent += 1;
      }
      // Every other burst, wait until half of what is in flight came back before the next one.
      if (burst % 2 === 1) {
        const half = received.length + Math.floor((sent - received.length) / 2);
        await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(half), {
          timeout: 30_000,
        });
      }
    }
    await vi.waitFor(() => expect(received).toHaveLength(sent), { timeout: 30_000 });
    for (const [index, value] of received.entries()) {
      if (value.index !== index || value.data !== message(index).data) {
        expect.fail(`frame ${index} came back as ${JSON.stringify(value).slice(0, 80)}…`);
      }
    }
    transport.close();
  }, 60_000);

  test('more than a thousand frames before receive() are all delivered, in order', async () => {
    const child = spawnFixture('burst.mjs', ['5000']);
    const transport = createStreamTransport({ input: child.stdout, output: child.stdin });
    // With no receiver, the transport stops reading once its backlog is full.
    await vi.waitFor(() => expect(child.stdout.isPaused()).toBe(true), { timeout: 10_000 });
    const received: number[] = [];
    const all = new Promise<void>((resolve) => {
      transport.receive({
        message: (message) => {
          received.push((message as { index: number }).index);
          if (received.length === 5000) resolve();
        },
      });
    });
    await all;
    expect(received).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    transport.close();
    await expect(transport.closed).resolves.toEqual({ reason: 'local' });
  });

  test('pause() stops reading from the peer until resume(); nothing is lost or reordered', async () => {
    const total = 100_000;
    const child = spawnFixture('burst.mjs', [String(total)]);
    const transport = createStreamTransport({ input: child.stdout, output: child.stdin });
    const received: number[] = [];
    let resolveFirst: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (resolveFirst = resolve));
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    transport.receive({
      message: (message) => {
        if (received.length === 0) {
          transport.pause();
          resolveFirst();
        }
        received.push((message as { index: number }).index);
        if (received.length === total) resolveAll();
      },
    });
    await first;
    // The rest of the chunk that held the first message is delivered in the same read.
    await new Promise((resolve) => setImmediate(resolve));
    const whilePaused = received.length;
    // Unpaused, the whole burst (about 1.5 MB) arrives within milliseconds; paused, nothing more may.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.length).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(total);
    transport.resume();
    await all;
    expect(received).toEqual(Array.from({ length: total }, (_, index) => index));
    transport.close();
  });

  test('close() flushes what is queued before closing', async () => {
    const socketPath = path.join(temporaryDirectory(), 'sink.sock');
    let receivedBytes = 0;
    const ended = new Promise<void>((resolve) => {
      const server = net.createServer((socket) => {
        socket.on('data', (chunk: Buffer) => (receivedBytes += chunk.length));
        socket.on('end', () => {
          server.close();
          resolve();
        });
      });
      server.listen(socketPath);
      cleanups.push(() => server.close());
    });
    const socket = net.createConnection(socketPath);
    await new Promise((resolve) => socket.once('connect', resolve));
    const transport = createStreamTransport({ input: socket, output: socket });
    const message = { data: 'y'.repeat(10_000) };
    for (let index = 0; index < 500; index += 1) transport.send(message);
    transport.close();
    expect(transport.isClosed).toBe(true);
    expect(transport.send(message)).toBe(false);
    await expect(transport.closed).resolves.toEqual({ reason: 'local' });
    await ended;
    expect(receivedBytes).toBe(500 * (JSON.stringify(message).length + 1));
  });

  /**
   * Frames per write of a transport over a real Unix socket (one write call is one syscall, one
   * wakeup of the peer) when it sends a run's end as a callback of the event loop sends it: its
   * output, its completion, then the answer a promise settles.
   */
  async function framesPerWriteOfARunEnd(options: NdjsonTransportOptions): Promise<number[]> {
    const socketPath = path.join(temporaryDirectory(), 'batch.sock');
    const server = net.createServer((peer) => peer.resume());
    server.listen(socketPath);
    cleanups.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = net.createConnection(socketPath);
    await new Promise((resolve) => socket.once('connect', resolve));
    cleanups.push(() => socket.destroy());
    const framesPerWrite: number[] = [];
    const writeOne = socket._write.bind(socket);
    socket._write = (chunk, encoding, callback) => {
      framesPerWrite.push(1);
      writeOne(chunk, encoding, callback);
    };
    const writeMany = (socket._writev as NonNullable<typeof socket._writev>).bind(socket);
    socket._writev = (chunks, callback) => {
      framesPerWrite.push(chunks.length);
      writeMany(chunks, callback);
    };
    const transport = createStreamTransport({ ...options, input: socket, output: socket });
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        transport.send({ event: 'output' });
        transport.send({ event: 'run_complete' });
        void Promise.resolve().then(() => transport.send({ answer: 'completed' }));
        setImmediate(() => setImmediate(resolve));
      }, 0);
    });
    return framesPerWrite;
  }

  test('frames sent after the first of a turn, and from the promise reactions it sets off, share one write', async () => {
    expect(await framesPerWriteOfARunEnd({})).toEqual([1, 2]);
  });

  test('with writeAtTurnEnd, every frame of a turn goes in one write', async () => {
    expect(await framesPerWriteOfARunEnd({ writeAtTurnEnd: true })).toEqual([3]);
  });

  test.each([
    [
      'no options',
      undefined,
      'createStreamTransport needs its options, { input?, output }, got undefined.',
    ],
    [
      'no output',
      {},
      'output must be a writable stream (process.stdout, a socket, …), got undefined.',
    ],
    [
      'the name of an output',
      { output: 'stdout' },
      'output must be a writable stream (process.stdout, a socket, …), got "stdout".',
    ],
    [
      'an input that cannot be read',
      { input: new Writable(), output: new PassThrough() },
      'input must be a readable stream (process.stdin, a socket, …), or left out for a send-only transport, got an object.',
    ],
    [
      'a duration given as a string',
      { output: new PassThrough(), closeTimeoutMs: '1000' },
      'closeTimeoutMs must be a positive number of milliseconds, got "1000".',
    ],
    [
      'a byte limit given as a string',
      { output: new PassThrough(), maxFrameBytes: '1024' },
      'maxFrameBytes must be a positive integer number of bytes, got "1024".',
    ],
  ])(
    '%s is refused when the transport is created, saying what it must be',
    (_name, options, message) => {
      let error: unknown;
      try {
        createStreamTransport(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(TransportError.isInstance(error) && error.code).toBe('INVALID_OPTION');
      expect((error as Error).message).toBe(message);
    },
  );

  test('writeAtTurnEnd that is not true or false is refused, naming the option', () => {
    expect(() =>
      createStreamTransport({
        output: new PassThrough(),
        writeAtTurnEnd: 'yes' as unknown as boolean,
      }),
    ).toThrow(/writeAtTurnEnd must be true or false, got "yes"/);
  });

  test('a socket whose peer never ends its side is released after closeTimeoutMs', async () => {
    const socketPath = path.join(temporaryDirectory(), 'half-open.sock');
    const server = net.createServer({ allowHalfOpen: true }, (socket) => socket.resume());
    server.listen(socketPath);
    cleanups.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = net.createConnection({ path: socketPath, allowHalfOpen: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    const transport = createStreamTransport({ input: socket, output: socket, closeTimeoutMs: 100 });
    transport.close();
    await expect(transport.closed).resolves.toEqual({ reason: 'local' });
    await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });

  test('an I/O error that is not peer-gone (ENOSPC) closes with error, never as a clean disconnect', async () => {
    if (!fs.existsSync('/dev/full')) return;
    const transport = createStreamTransport({ output: fs.createWriteStream('/dev/full') });
    expect(transport.send({ data: 'x'.repeat(100) })).toBe(true);
    const info = await transport.closed;
    expect(info.reason).toBe('error');
    expect((info.error as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
    expect(transport.send('more')).toBe(false);
  });

  test.each([
    ['ends', (input: PassThrough) => input.end(), 'eof'],
    [
      'fails',
      (input: PassThrough) =>
        input.destroy(Object.assign(new Error('read failed'), { code: 'EIO' })),
      'error',
    ],
    ['is destroyed', (input: PassThrough) => input.destroy(), 'peer-gone'],
  ] as const)(
    'messages read just before the input %s are delivered before closed settles',
    async (_ending, stop, reason) => {
      const input = new PassThrough();
      const output = new PassThrough();
      const transport = createStreamTransport({ input, output });
      const received: unknown[] = [];
      transport.receive({ message: (message) => received.push(message) });
      // Output waiting to be taken: what is read now is decoded after the event loop's other I/O.
      expect(transport.send({ filler: 'x'.repeat(64 * 1024) })).toBe(true);
      const read = new Promise((resolve) => input.once('data', resolve));
      input.write('{"n":1}\n{"n":2}\n{"n":3}\n');
      await read;
      // In the same turn of the event loop as the read: the end comes before any later I/O.
      stop(input);
      output.resume();
      const info = await transport.closed;
      expect(info.reason).toBe(reason);
      expect(received).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    },
  );

  test('messages are delivered while a test fakes the timers', async () => {
    vi.useFakeTimers();
    try {
      const pipe = new PassThrough();
      const transport = createStreamTransport({ input: pipe, output: pipe });
      const received = new Promise((resolve) => transport.receive({ message: resolve }));
      expect(transport.send({ hello: 'fake clock' })).toBe(true);
      await expect(received).resolves.toEqual({ hello: 'fake clock' });
      transport.close();
    } finally {
      vi.useRealTimers();
    }
  });

  test('frames written to an in-memory stream stay intact however long its reader keeps them', async () => {
    // A PassThrough hands the written chunk itself to its reader, and may do so after the write
    // has completed: the transport must not reuse that memory for later frames.
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const transport = createStreamTransport({ output });
    const message = (index: number): { index: number; data: string } => ({
      index,
      data: String(index).repeat(4096 / String(index).length),
    });
    for (let index = 0; index < 2000; index += 1) {
      expect(transport.send(message(index))).toBe(true);
      if (index % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    transport.close();
    await transport.closed;
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(2000);
    for (const [index, line] of lines.entries()) {
      if (line !== JSON.stringify(message(index)))
        expect.fail(`frame ${index} reads ${line.slice(0, 60)}…`);
    }
  });

  test('an output ended under the transport counts as peer-gone', async () => {
    const output = new PassThrough();
    output.resume();
    const transport = createStreamTransport({ output });
    output.end();
    expect(transport.send('after end')).toBe(false);
    await expect(transport.closed).resolves.toMatchObject({ reason: 'peer-gone' });
  });

  test('a reset socket closes as peer-gone', async () => {
    const server = net.createServer((socket) =>
      socket.once('data', () => socket.resetAndDestroy()),
    );
    server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = net.createConnection((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const transport = createStreamTransport({ input: socket, output: socket });
    expect(transport.send('hello')).toBe(true);
    const info = await transport.closed;
    expect(info.reason).toBe('peer-gone');
    expect((info.error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
    expect(transport.send('x')).toBe(false);
  });
});

describe('undecodedFrames', () => {
  const prefix = '{"method":"raw",';
  const frames = [
    { method: 'other', n: 1 },
    { method: 'raw', n: 2, data: 'x'.repeat(5000) },
    { method: 'raw', n: 3, refuse: true },
    { method: 'other', n: 4 },
    { method: 'raw', n: 5 },
  ];
  const wire = frames.map((frame) => `${JSON.stringify(frame)}\n`).join('');

  function transportWithTaker(): {
    input: PassThrough;
    transport: ReturnType<typeof createStreamTransport>;
    seen: string[];
  } {
    const input = new PassThrough();
    const seen: string[] = [];
    const transport = createStreamTransport({
      input,
      output: new PassThrough(),
      undecodedFrames: {
        prefix,
        take: (frame) => {
          const text = frame.toString();
          if (text.includes('"refuse"')) return false;
          seen.push(`taken ${(JSON.parse(text) as { n: number }).n}`);
          return true;
        },
      },
    });
    cleanups.push(() => transport.close());
    return { input, transport, seen };
  }

  test('frames with the prefix are taken as bytes, in order with the messages; a frame not taken is decoded', async () => {
    const { input, transport, seen } = transportWithTaker();
    transport.receive({
      message: (message) => seen.push(`message ${(message as { n: number }).n}`),
    });
    input.write(wire.slice(0, 3000));
    input.write(wire.slice(3000));
    await vi.waitFor(() => expect(seen).toHaveLength(5));
    expect(seen).toEqual(['message 1', 'taken 2', 'message 3', 'message 4', 'taken 5']);
  });

  test('frames that arrive before the receiver keep their order once it is attached', async () => {
    const { input, transport, seen } = transportWithTaker();
    input.write(wire);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    transport.receive({
      message: (message) => seen.push(`message ${(message as { n: number }).n}`),
    });
    await vi.waitFor(() => expect(seen).toHaveLength(5));
    expect(seen).toEqual(['message 1', 'taken 2', 'message 3', 'message 4', 'taken 5']);
  });

  test('is refused with Content-Length framing', () => {
    expect(() =>
      createStreamTransport({
        output: new PassThrough(),
        framing: 'content-length',
        undecodedFrames: { prefix, take: () => true },
      }),
    ).toThrow(/undecodedFrames works with NDJSON framing only/);
  });
});
