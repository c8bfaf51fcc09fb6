import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnTransport } from './child-process-transport.js';
import type { SpawnedTransport, SpawnTransportOptions } from './child-process-transport.js';
import { TransportError } from './errors.js';
import type { MalformedFrame } from './transport.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');

/** Whether `pid` is still running, as far as `/proc` tells (false where there is none). */
function isRunning(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.charAt(0);
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}
/** The processes this one has spawned and not reaped yet, as `/proc` lists them. */
function childPids(): Set<number> {
  const pids = new Set<number>();
  for (const task of fs.readdirSync('/proc/self/task')) {
    const listed = fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    for (const pid of listed === '' ? [] : listed.split(' ')) pids.add(Number(pid));
  }
  return pids;
}
const spawned: SpawnedTransport[] = [];

function spawnFixture(
  name: string,
  args: string[] = [],
  options: SpawnTransportOptions = {},
): SpawnedTransport {
  const result = spawnTransport(process.execPath, [path.join(fixtures, name), ...args], options);
  spawned.push(result);
  return result;
}

afterEach(() => {
  for (const { child } of spawned.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Resolves with the first `count` messages the transport receives. */
function collect(result: SpawnedTransport, count: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const messages: unknown[] = [];
    result.transport.receive({
      message: (message) => {
        messages.push(message);
        if (messages.length === count) resolve(messages);
      },
    });
  });
}

/** Sends until `send` returns false (never throws); returns how many were accepted. */
async function sendUntilRefused(result: SpawnedTransport, message: unknown): Promise<number> {
  for (let accepted = 0; accepted < 100_000; accepted += 1) {
    if (!result.transport.send(message)) return accepted;
    if (accepted % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('send never returned false');
}

describe('spawnTransport', () => {
  test.each([
    ['maxFrameBytes', { maxFrameBytes: 0 }],
    ['maxQueuedBytes', { maxQueuedBytes: -1 }],
    ['closeTimeoutMs', { closeTimeoutMs: Number.NaN }],
    ['exitGraceMs', { exitGraceMs: -5 }],
  ])('an invalid %s is refused before anything is spawned', (name, options) => {
    const before = childPids();
    let error: unknown;
    try {
      spawnTransport(process.execPath, ['-e', 'process.stdin.resume()'], options);
    } catch (caught) {
      error = caught;
    }
    expect(TransportError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    expect((error as Error).message).toContain(name);
    expect([...childPids()].filter((pid) => !before.has(pid))).toEqual([]);
  });

  test.each([undefined, '', 42])(
    'a command that is not one (%j) is refused, naming what it got',
    (command) => {
      expect(() => spawnTransport(command as unknown as string)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: expect.stringContaining('spawnTransport takes the command to run') as unknown,
        }),
      );
    },
  );

  test('round-trips messages in order and reports malformed lines', async () => {
    const result = spawnFixture('echo-messages.mjs');
    const malformed: MalformedFrame[] = [];
    const messages: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      result.transport.receive({
        message: (message) => {
          messages.push(message);
          if (messages.length === 4) resolve();
        },
        malformed: (frame) => malformed.push(frame),
      });
    });
    for (const message of [1, { two: [2] }, 'malformed please', '🙂'])
      expect(result.transport.send(message)).toBe(true);
    await done;
    expect(messages).toEqual([
      { echo: 1 },
      { echo: { two: [2] } },
      { echo: 'malformed please' },
      { echo: '🙂' },
    ]);
    expect(malformed.map((frame) => frame.excerpt)).toEqual(['this is not json']);
    result.transport.close();
    const info = await result.transport.closed;
    expect(info.reason).toBe('local');
    expect(result.transport.send('after close')).toBe(false);
  });

  test('queues what arrives before receive() and delivers it in order on attach', async () => {
    const result = spawnFixture('exit-with-stderr.mjs', ['0']);
    const info = await result.transport.closed;
    expect(info).toMatchObject({ reason: 'peer-gone', exitCode: 0, signal: null });
    const messages: unknown[] = [];
    result.transport.receive({ message: (message) => messages.push(message) });
    expect(() => result.transport.receive({ message: () => undefined })).toThrow(TransportError);
    await Promise.resolve();
    expect(messages).toEqual([{ exiting: 0 }]);
  });

  test('a child that exits: closed resolves after the exit with code and the last 4 KiB of stderr', async () => {
    const result = spawnFixture('exit-with-stderr.mjs', ['7']);
    const info = await result.transport.closed;
    expect(info.reason).toBe('peer-gone');
    expect(info.exitCode).toBe(7);
    expect(info.signal).toBeNull();
    expect(info.stderrTail?.endsWith('the last words\n')).toBe(true);
    expect(Buffer.byteLength(info.stderrTail ?? '')).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(info.stderrTail ?? '')).toBeGreaterThan(4000);
  });

  test('SIGKILL mid-stream: send returns false afterwards, closed carries the signal and stderr tail', async () => {
    const result = spawnFixture('chatty.mjs');
    await collect(result, 5);
    process.kill(result.child.pid as number, 'SIGKILL');
    const info = await result.transport.closed;
    expect(info.reason).toBe('peer-gone');
    expect(info.signal).toBe('SIGKILL');
    expect(info.exitCode).toBeNull();
    expect(info.stderrTail).toMatch(/stderr line \d+\n$/);
    expect(result.transport.isClosed).toBe(true);
    expect(result.transport.send({ after: 'death' })).toBe(false);
  });

  test('writing to a child that exited (EPIPE) returns false, never throws', async () => {
    const result = spawnFixture('exit-with-stderr.mjs', ['0']);
    await new Promise((resolve) => result.child.once('exit', resolve));
    await expect(
      sendUntilRefused(result, { data: 'x'.repeat(1024) }),
    ).resolves.toBeGreaterThanOrEqual(0);
    const info = await result.transport.closed;
    expect(info.reason).toBe('peer-gone');
    expect(info.exitCode).toBe(0);
  });

  test('writing to a live child that closed its stdin (EPIPE) returns false and closes as peer-gone', async () => {
    const result = spawnFixture('close-stdin.mjs', [], { exitGraceMs: 50 });
    await collect(result, 1);
    await sendUntilRefused(result, { data: 'x'.repeat(1024) });
    const info = await result.transport.closed;
    expect(info.reason).toBe('peer-gone');
    expect(info.exitCode).toBeNull();
    expect(result.child.exitCode).toBeNull();
  });

  test('a child that closes stdout but stays alive closes as eof; the caller decides to kill it', async () => {
    const result = spawnFixture('half-close.mjs', [], { exitGraceMs: 100 });
    const messages = collect(result, 1);
    const info = await result.transport.closed;
    await expect(messages).resolves.toEqual([{ hello: 'before closing stdout' }]);
    expect(info).toMatchObject({ reason: 'eof', exitCode: null, signal: null });
    expect(result.child.exitCode).toBeNull();
    expect(result.child.signalCode).toBeNull();
    const exited = new Promise((resolve) =>
      result.child.once('exit', (_code, signal) => resolve(signal)),
    );
    result.kill('SIGKILL');
    await expect(exited).resolves.toBe('SIGKILL');
  });

  test('a child that exits soon after closing stdout is reported with its exit status, even when this process was too busy to notice in time', async () => {
    const result = spawnFixture('close-stdout-then-exit.mjs', ['3'], { exitGraceMs: 100 });
    const pid = result.child.pid as number;
    result.child.stdout?.once('end', () => {
      // Busy, without looking at I/O, past the grace period and until the child has exited (on
      // Linux: until it is a zombie), so that its exit is waiting to be read.
      const graceOver = Date.now() + 400;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (Date.now() < graceOver || isRunning(pid)));
    });
    const info = await result.transport.closed;
    expect(info).toMatchObject({ reason: 'peer-gone', exitCode: 3 });
  });

  test('kill(signal, reason) closes with that reason once the exit is known', async () => {
    const result = spawnFixture('chatty.mjs');
    await collect(result, 2);
    result.kill('SIGTERM', 'timeout');
    expect(result.transport.send('late')).toBe(false);
    const info = await result.transport.closed;
    expect(info).toMatchObject({ reason: 'timeout', exitCode: null, signal: 'SIGTERM' });
  });

  test('a peer that stops reading closes the transport as stalled instead of growing memory', async () => {
    const result = spawnFixture('never-read.mjs', [], { maxQueuedBytes: 1024 * 1024 });
    await collect(result, 1);
    const chunk = { data: 'x'.repeat(64 * 1024) };
    let sent = 0;
    while (result.transport.send(chunk)) {
      sent += 1;
      expect(sent).toBeLessThan(1000);
    }
    const info = await result.transport.closed;
    expect(info.reason).toBe('stalled');
    expect(TransportError.isInstance(info.error) && info.error.code).toBe('STALLED');
    expect(result.transport.queuedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  test('an oversize frame from the child closes the transport as oversize', async () => {
    const result = spawnFixture('echo.mjs', [], { maxFrameBytes: 1024 });
    const messages = collect(result, 1);
    result.transport.send('small');
    await expect(messages).resolves.toEqual(['small']);
    result.transport.send('x'.repeat(4096));
    const info = await result.transport.closed;
    expect(info.reason).toBe('oversize');
    expect(TransportError.isInstance(info.error) && info.error.code).toBe('FRAME_TOO_LARGE');
  });

  test('a command that cannot be spawned closes the transport with error', async () => {
    const result = spawnTransport('/nonexistent/lifeline-test-binary', []);
    spawned.push(result);
    const info = await result.transport.closed;
    expect(info.reason).toBe('error');
    expect((info.error as NodeJS.ErrnoException | undefined)?.code).toBe('ENOENT');
    expect(result.transport.send('anything')).toBe(false);
  });

  test('a non-serialisable message throws a TypeError and writes nothing', async () => {
    const result = spawnFixture('echo-messages.mjs');
    const messages = collect(result, 1);
    expect(() => result.transport.send({ id: 1n })).toThrow(TypeError);
    expect(result.transport.send('next')).toBe(true);
    await expect(messages).resolves.toEqual([{ echo: 'next' }]);
  });
});
