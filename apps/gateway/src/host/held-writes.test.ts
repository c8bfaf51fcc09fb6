import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { holdWrites } from './held-writes.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A connected pair of unix sockets, and every chunk the reading end receives. */
async function socketPair(): Promise<{ writer: net.Socket; chunks: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-held-'));
  const socketPath = path.join(dir, 's.sock');
  const chunks: string[] = [];
  const accepted = new Promise<net.Socket>((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('data', (chunk) => chunks.push(chunk.toString()));
      resolve(socket);
    });
    server.listen(socketPath);
    cleanups.push(() => {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
  const writer = net.connect(socketPath);
  await new Promise((resolve) => writer.once('connect', resolve));
  const reader = await accepted;
  cleanups.push(() => {
    writer.destroy();
    reader.destroy();
  });
  return { writer, chunks };
}

/** Lets the event loop go round `count` times, 5 ms apart. */
const turns = (count: number) =>
  new Promise<void>((resolve) => {
    const next = (left: number) => {
      if (left === 0) resolve();
      else setTimeout(() => next(left - 1), 5);
    };
    next(count);
  });

test('what is written while held goes out in one write at the end of the releasing turn', async () => {
  const { writer, chunks } = await socketPair();
  const release = holdWrites(writer);
  writer.write('a');
  await turns(4);
  writer.write('b');
  expect(chunks).toEqual([]);
  release();
  writer.write('c');
  release();
  await vi.waitFor(() => expect(chunks.join('')).toBe('abc'));
  expect(chunks).toEqual(['abc']);
  writer.write('d');
  await vi.waitFor(() => expect(chunks).toEqual(['abc', 'd']));
});

test('a hold composes with a cork the writer keeps for its turn', async () => {
  const { writer, chunks } = await socketPair();
  writer.cork();
  writer.write('a');
  const release = holdWrites(writer);
  setImmediate(() => writer.uncork());
  await turns(4);
  expect(chunks).toEqual([]);
  release();
  await vi.waitFor(() => expect(chunks).toEqual(['a']));
});

test('a release after the stream is destroyed does nothing', async () => {
  const { writer } = await socketPair();
  const release = holdWrites(writer);
  writer.destroy();
  release();
  await turns(2);
  expect(writer.destroyed).toBe(true);
});
