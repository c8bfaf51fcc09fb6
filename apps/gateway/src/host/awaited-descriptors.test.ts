import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { awaitedDescriptors } from './awaited-descriptors.js';
import { linuxProc, type ProcReader } from './proc-reader.js';

const pid = 200;

/** A process blocked as `syscall` says, with `memory` at 0x1000 and `fdInfo` for every descriptor. */
function blocked(syscall: string, memory?: Buffer, fdInfo?: string): ProcReader {
  return {
    stat: () => undefined,
    syscall: () => syscall,
    fdTarget: () => undefined,
    fdInfo: () => fdInfo,
    memory: (_pid, address, length) =>
      memory && address === 0x1000n && length <= memory.length
        ? memory.subarray(0, length)
        : undefined,
    children: () => [],
  };
}

/** `struct pollfd` entries, as a 64-bit little-endian machine lays them out. */
function pollfds(entries: readonly [fd: number, events: number][]): Buffer {
  const bytes = Buffer.alloc(entries.length * 8);
  entries.forEach(([fd, events], index) => {
    bytes.writeInt32LE(fd, index * 8);
    bytes.writeInt16LE(events, index * 8 + 4);
  });
  return bytes;
}

describe('awaitedDescriptors', () => {
  test('read: the descriptor read', () => {
    expect(
      awaitedDescriptors(pid, blocked('0 0x3 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0'), 'x64'),
    ).toEqual([3]);
    expect(
      awaitedDescriptors(pid, blocked('63 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0'), 'arm64'),
    ).toEqual([0]);
  });

  test('poll and ppoll: the descriptors polled for input, not those polled for output', () => {
    const fds = pollfds([
      [0, 0x1],
      [5, 0x4],
      [7, 0x40],
      [-1, 0x1],
    ]);
    expect(
      awaitedDescriptors(pid, blocked('7 0x1000 0x4 0xffffffff 0x0 0x0 0x0 0x0 0x0', fds), 'x64'),
    ).toEqual([0, 7]);
    expect(
      awaitedDescriptors(pid, blocked('73 0x1000 0x4 0x0 0x0 0x8 0x0 0x0 0x0', fds), 'arm64'),
    ).toEqual([0, 7]);
  });

  test('select and pselect6 (as vim, python3 -i and top wait): the descriptors set in the read bitmap', () => {
    const bitmap = Buffer.alloc(16);
    bitmap[0] = 0b0000_1001; // 0 and 3
    bitmap[8] = 0b0000_0010; // 65
    expect(
      awaitedDescriptors(
        pid,
        blocked('270 0x42 0x1000 0x0 0x0 0x7ffeaeb63140 0x0 0x0 0x0', bitmap),
        'x64',
      ),
    ).toEqual([0, 3, 65]);
    // Asked for reads only, a select is none.
    expect(
      awaitedDescriptors(
        pid,
        blocked('270 0x42 0x1000 0x0 0x0 0x7ffeaeb63140 0x0 0x0 0x0', bitmap),
        'x64',
        'read',
      ),
    ).toEqual([]);
    // Only the first `count` bits are descriptors.
    expect(
      awaitedDescriptors(pid, blocked('23 0x1 0x1000 0x0 0x0 0x0 0x0 0x0 0x0', bitmap), 'x64'),
    ).toEqual([0]);
  });

  test('epoll_wait and epoll_pwait (as the Node REPL waits): the descriptors its epoll watches for input', () => {
    const fdInfo = [
      'pos:\t0',
      'flags:\t02000002',
      'mnt_id:\t17',
      'ino:\t1038',
      'tfd:       19 events:       19 data:               13  pos:0 ino:40e sdev:10',
      'tfd:       17 events:        4 data:               11  pos:0 ino:d01d8 sdev:f',
      'tfd:       23 events:       19 data:               17  pos:0 ino:8 sdev:1a',
      '',
    ].join('\n');
    expect(
      awaitedDescriptors(
        pid,
        blocked('281 0x10 0x7ffee3635ba0 0x400 0x1fa2 0x0 0x8 0x0 0x0', undefined, fdInfo),
        'x64',
      ),
    ).toEqual([19, 23]);
    expect(
      awaitedDescriptors(
        pid,
        blocked('22 0x10 0x7ffee3635ba0 0x400 0x1fa2 0x0 0x8 0x0 0x0', undefined, fdInfo),
        'arm64',
      ),
    ).toEqual([19, 23]);
  });

  test('nothing when it is not blocked so, or cannot be told', () => {
    for (const syscall of [
      'running',
      '-1 0x7ffc714fea50 0x55d0c3a0e2b1',
      '230 0x0 0x0 0x7ffc714fea50 0x0 0x0 0x0 0x0 0x0',
      '',
    ]) {
      expect(awaitedDescriptors(pid, blocked(syscall), 'x64')).toEqual([]);
    }
    // A system call this process may not read (a setuid program): not even that it waits for nothing.
    expect(
      awaitedDescriptors(pid, { ...blocked(''), syscall: () => undefined }, 'x64'),
    ).toBeUndefined();
    // Memory this process may not read, a bitmap at address 0.
    expect(
      awaitedDescriptors(pid, blocked('270 0x1 0x1000 0x0 0x0 0x0 0x0 0x0 0x0'), 'x64'),
    ).toEqual([]);
    expect(
      awaitedDescriptors(
        pid,
        blocked('270 0x1 0x0 0x0 0x0 0x0 0x0 0x0 0x0', Buffer.alloc(8, 0xff)),
        'x64',
      ),
    ).toEqual([]);
    // Only `read` is told on 32-bit or big-endian machines, and nothing on unknown ones.
    expect(
      awaitedDescriptors(pid, blocked('3 0x0 0xbfd5c1e2 0x1000 0x0 0x0 0x0 0x0 0x0'), 'arm'),
    ).toEqual([0]);
    expect(
      awaitedDescriptors(
        pid,
        blocked('168 0x1000 0x1 0x0 0x0 0x0 0x0 0x0 0x0', pollfds([[0, 1]])),
        'arm',
      ),
    ).toEqual([]);
    expect(
      awaitedDescriptors(pid, blocked('0 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0'), 'mips'),
    ).toEqual([]);
  });
});

describe('awaitedDescriptors of real processes, from their memory and their epoll', () => {
  test.each([
    ['select', 'import select; select.select([0], [], [])'],
    ['poll', 'import select; p = select.poll(); p.register(0, select.POLLIN); p.poll()'],
    ['epoll', 'import select; e = select.epoll(); e.register(0, select.EPOLLIN); e.poll()'],
  ])(
    'a program waiting in %s for its stdin waits on descriptor 0; one sleeping waits on none',
    async (_name, code) => {
      const waiting = spawn('python3', ['-c', code], { stdio: ['pipe', 'ignore', 'ignore'] });
      const sleeping = spawn(
        'python3',
        ['-c', `${code.split(';')[0] ?? ''}; import time; time.sleep(60)`],
        { stdio: ['pipe', 'ignore', 'ignore'] },
      );
      try {
        await vi.waitFor(
          () => expect(awaitedDescriptors(waiting.pid ?? 0, linuxProc, process.arch)).toContain(0),
          { timeout: 15_000, interval: 20 },
        );
        // Asleep (on every architecture the kernel names the sleep so), not starting up.
        await vi.waitFor(
          () =>
            expect(fs.readFileSync(`/proc/${sleeping.pid ?? 0}/wchan`, 'latin1')).toBe(
              'hrtimer_nanosleep',
            ),
          { timeout: 15_000, interval: 20 },
        );
        expect(awaitedDescriptors(sleeping.pid ?? 0, linuxProc, process.arch)).toEqual([]);
      } finally {
        waiting.kill('SIGKILL');
        sleeping.kill('SIGKILL');
      }
    },
  );
});
