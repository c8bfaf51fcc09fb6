import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PtyInput } from './pty-input.js';

/** A kernel input buffer of `room` bytes that the program empties when told to. */
function terminalBuffer(room: number) {
  const taken: Buffer[] = [];
  let free = room;
  return {
    writeSome(bytes: Buffer): number {
      if (free === 0) throw Object.assign(new Error('write EAGAIN'), { code: 'EAGAIN' });
      const count = Math.min(free, bytes.length);
      free -= count;
      taken.push(Buffer.from(bytes.subarray(0, count)));
      return count;
    },
    programReads(): void {
      free = room;
    },
    text: () => Buffer.concat(taken).toString('utf8'),
  };
}

/** A {@link PtyInput} into a {@link terminalBuffer} of `room` bytes. */
function inputInto(room: number) {
  const buffer = terminalBuffer(room);
  return { buffer, input: new PtyInput((bytes) => buffer.writeSome(bytes)) };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

test('what the kernel takes at once is written at once', () => {
  const { buffer, input } = inputInto(100);
  input.write('ls\r');
  expect(buffer.text()).toBe('ls\r');
  expect(input.waitingBytes).toBe(0);
});

test('a full buffer: the rest waits, in order, without blocking, and goes as the program reads', () => {
  const { buffer, input } = inputInto(4);
  input.write('abcdef');
  input.write('gh中');
  expect(buffer.text()).toBe('abcd');
  expect(input.waitingBytes).toBe(2 + 2 + 3);
  // Nothing read: tries again, less and less often, and takes nothing.
  vi.advanceTimersByTime(200);
  expect(buffer.text()).toBe('abcd');
  buffer.programReads();
  vi.advanceTimersByTime(32);
  expect(buffer.text()).toBe('abcdefgh');
  buffer.programReads();
  vi.advanceTimersByTime(32);
  expect(buffer.text()).toBe('abcdefgh中');
  expect(input.waitingBytes).toBe(0);
});

test('keys typed while others wait go after them, never ahead', () => {
  const { buffer, input } = inputInto(3);
  input.write('one');
  input.write('two');
  buffer.programReads();
  input.write('\x03');
  expect(buffer.text()).toBe('one');
  vi.advanceTimersByTime(1);
  buffer.programReads();
  vi.advanceTimersByTime(2);
  expect(buffer.text()).toBe('onetwo\x03');
});

test('closed (the program exited): what waits is dropped and nothing more is written', () => {
  const { buffer, input } = inputInto(2);
  input.write('abcd');
  input.close();
  buffer.programReads();
  vi.advanceTimersByTime(100);
  input.write('ef');
  expect(buffer.text()).toBe('ab');
  expect(input.waitingBytes).toBe(0);
});

test("a program's end that is gone (EIO) drops what waits; any other failure is thrown", () => {
  const gone = new PtyInput(() => {
    throw Object.assign(new Error('write EIO'), { code: 'EIO' });
  });
  gone.write('abc');
  expect(gone.waitingBytes).toBe(0);
  const broken = new PtyInput(() => {
    throw Object.assign(new Error('write EINVAL'), { code: 'EINVAL' });
  });
  expect(() => {
    broken.write('abc');
  }).toThrow('EINVAL');
});

test('keys go at most 8 KiB ahead of the output that answers them; with none for 50 ms, the next go', () => {
  const { buffer, input } = inputInto(1024 * 1024);
  input.write('x'.repeat(20_000));
  expect(buffer.text()).toHaveLength(8192);
  expect(input.typing).toBe(true);
  // The program echoes half of it: as much more goes.
  input.printed(4096);
  expect(buffer.text()).toHaveLength(8192 + 4096);
  // It echoes nothing more: after a moment, the next 8 KiB go, then the rest.
  vi.advanceTimersByTime(49);
  expect(buffer.text()).toHaveLength(8192 + 4096);
  vi.advanceTimersByTime(1);
  expect(buffer.text()).toHaveLength(20_000);
});

test('keys taken count as unanswered until as much output came, or for 50 ms without it', () => {
  const { input } = inputInto(1024);
  expect(input.unanswered).toBe(false);
  input.write('echo left');
  expect(input.unanswered).toBe(true);
  // The program echoes part of it, then the rest.
  input.printed(5);
  expect(input.unanswered).toBe(true);
  input.printed(4);
  expect(input.unanswered).toBe(false);
  // A program that reads without echo: after a moment, the keys no longer count as unanswered.
  input.write('secret');
  vi.advanceTimersByTime(49);
  expect(input.unanswered).toBe(true);
  vi.advanceTimersByTime(1);
  expect(input.unanswered).toBe(false);
});

test('keys wait while what the program prints is not read (paused), and go, in order, once it is again', () => {
  const { buffer, input } = inputInto(100);
  input.pause();
  input.write('echo one\r');
  input.write('echo two\r');
  vi.advanceTimersByTime(1000);
  expect(buffer.text()).toBe('');
  expect(input.typing).toBe(true);
  input.resume();
  expect(buffer.text()).toBe('echo one\recho two\r');
});

test('keys count as being typed while they wait and for half a second after the kernel took the last', () => {
  const { input } = inputInto(100);
  expect(input.typing).toBe(false);
  input.write('ls\r');
  expect(input.typing).toBe(true);
  vi.advanceTimersByTime(499);
  expect(input.typing).toBe(true);
  vi.advanceTimersByTime(1);
  expect(input.typing).toBe(false);
});
