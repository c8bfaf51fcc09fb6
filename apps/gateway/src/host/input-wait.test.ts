import { describe, expect, test } from 'vitest';
import { waitsForTerminalInput } from './input-wait.js';
import type { ProcReader } from './proc-reader.js';

const shellPid = 100;
const terminal = '/dev/pts/7';
/** The machine these fakes describe, where `read` is system call 0. */
const arch = 'x64';
const readingFd0 = '0 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x7ffd5c1e1f48 0x7f3b2a1c4992';
const sleeping = '230 0x0 0x0 0x7ffc714fea50 0x0 0x0 0x0 0x0 0x0';
const waitingForChild = '61 0xffffffffffffffff 0x7ffe3c8a4b60 0x2 0x0 0x0 0x0 0x0 0x0';

/** One process of a fake `/proc`. */
interface FakeProcess {
  pgrp: number;
  parent?: number;
  syscall?: string;
  fds?: Record<number, string>;
  /** What its memory holds at 0x1000. */
  memory?: Buffer;
}

/**
 * A shell (its own group, with the terminal as fd 0) whose terminal's foreground group is
 * `foreground`, and its descendants.
 */
function machine(
  foreground: number,
  processes: Record<number, FakeProcess>,
  shell: Partial<FakeProcess> = {},
): ProcReader {
  const all: Record<number, FakeProcess> = {
    [shellPid]: { pgrp: shellPid, fds: { 0: terminal }, ...shell },
    ...processes,
  };
  return {
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    stat: (pid) => {
      const process = all[pid];
      return (
        process &&
        `${pid} (bash (x) )) S ${process.parent ?? 1} ${process.pgrp} ${process.pgrp} 34823 ${foreground} 4194560 0`
      );
    },
    syscall: (pid) => all[pid]?.syscall,
    fdTarget: (pid, fd) => all[pid]?.fds?.[fd],
    fdInfo: () => undefined,
    memory: (pid, address, length) => {
      const memory = all[pid]?.memory;
      return address === 0x1000n && memory !== undefined && length <= memory.length
        ? memory.subarray(0, length)
        : undefined;
    },
    children: (pid) =>
      Object.keys(all)
        .map(Number)
        .filter((child) => all[child]?.parent === pid),
  };
}

/** A terminal with echo on: a setuid program on it is not reading a password. */
const prompt = { includeShell: true, arch, readsUnseen: () => false } as const;

describe('waitsForTerminalInput', () => {
  test('a command blocked reading the terminal waits for input, whichever descriptor it reads it through', () => {
    expect(
      waitsForTerminalInput(shellPid, {
        ...prompt,
        proc: machine(200, {
          200: { pgrp: 200, parent: shellPid, syscall: readingFd0, fds: { 0: terminal } },
        }),
      }),
    ).toBe(true);
    const throughDevTty = {
      pgrp: 200,
      parent: shellPid,
      syscall: '0 0x3 0x7ffd5c1e2000 0x1 0x0 0x0 0x0 0x0 0x0',
      fds: { 3: '/dev/tty' },
    };
    expect(
      waitsForTerminalInput(shellPid, { ...prompt, proc: machine(200, { 200: throughDevTty }) }),
    ).toBe(true);
  });

  test('any program of the foreground group counts: a prompt in a script, or further down a pipeline', () => {
    const script = machine(200, {
      200: { pgrp: 200, parent: shellPid, syscall: waitingForChild, fds: { 0: terminal } },
      201: { pgrp: 200, parent: 200, syscall: readingFd0, fds: { 0: terminal } },
    });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: script })).toBe(true);
    // A program of another group (a background job) reading the terminal is not the run's.
    const background = machine(200, {
      200: { pgrp: 200, parent: shellPid, syscall: sleeping, fds: { 0: terminal } },
      300: { pgrp: 300, parent: shellPid, syscall: readingFd0, fds: { 0: terminal } },
    });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: background })).toBe(false);
    // Where the kernel lists no children, the group's leader is still looked at.
    const leaderOnly = {
      ...machine(200, {
        200: { pgrp: 200, parent: shellPid, syscall: readingFd0, fds: { 0: terminal } },
      }),
      children: () => [],
    };
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: leaderOnly })).toBe(true);
  });

  test('the read system call is told by its number on each architecture', () => {
    const blockedIn = (number: number) =>
      machine(200, {
        200: {
          pgrp: 200,
          parent: shellPid,
          syscall: `${number} 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0`,
          fds: { 0: terminal },
        },
      });
    expect(
      waitsForTerminalInput(shellPid, { includeShell: true, arch: 'arm64', proc: blockedIn(63) }),
    ).toBe(true);
    expect(
      waitsForTerminalInput(shellPid, { includeShell: true, arch: 'arm64', proc: blockedIn(0) }),
    ).toBe(false);
    expect(
      waitsForTerminalInput(shellPid, { includeShell: true, arch: 'arm', proc: blockedIn(3) }),
    ).toBe(true);
  });

  test('a full-screen program or a REPL waiting in select for the terminal waits for input', () => {
    const stdinBit = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const vim = {
      pgrp: 200,
      parent: shellPid,
      syscall: '270 0x1 0x1000 0x0 0x0 0x7ffeaeb63140 0x0 0x0 0x0',
      fds: { 0: terminal },
      memory: stdinBit,
    };
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: machine(200, { 200: vim }) })).toBe(
      true,
    );
    expect(
      waitsForTerminalInput(shellPid, {
        ...prompt,
        proc: machine(200, { 200: { ...vim, fds: { 0: 'socket:[1234]' } } }),
      }),
    ).toBe(false);
  });

  test('a relay waiting on its terminal and on a socket or another terminal (ssh, nc, a multiplexer) is not waiting for input', () => {
    const terminalAndFd3 = Buffer.from([0b1001, 0, 0, 0, 0, 0, 0, 0]);
    const relay = (fd3: string) =>
      machine(200, {
        200: {
          pgrp: 200,
          parent: shellPid,
          syscall: '270 0x4 0x1000 0x0 0x0 0x0 0x0 0x0 0x0',
          fds: { 0: terminal, 3: fd3 },
          memory: terminalAndFd3,
        },
      });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: relay('socket:[48211]') })).toBe(
      false,
    );
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: relay('/dev/ptmx') })).toBe(false);
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: relay('pipe:[48212]') })).toBe(true);
  });

  test('the shell itself counts only reading the terminal (a read builtin), only where asked: its line editor waits in select', () => {
    const shellReads = machine(shellPid, {}, { syscall: readingFd0 });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: shellReads })).toBe(true);
    expect(waitsForTerminalInput(shellPid, { includeShell: false, arch, proc: shellReads })).toBe(
      false,
    );
    const atItsPrompt = machine(
      shellPid,
      {},
      {
        syscall: '270 0x1 0x1000 0x0 0x0 0x0 0x0 0x0 0x0',
        memory: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]),
      },
    );
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: atItsPrompt })).toBe(false);
    // fish's `read` waits in its line editor's way: there, during a run, that is the builtin.
    expect(
      waitsForTerminalInput(shellPid, {
        ...prompt,
        proc: atItsPrompt,
        shellReadsWithItsEditor: true,
      }),
    ).toBe(true);
  });

  test('reading a pipe, a file or another terminal, sleeping, running, or another system call is not waiting for input', () => {
    const reading = (fd0: string) =>
      machine(200, { 200: { pgrp: 200, parent: shellPid, syscall: readingFd0, fds: { 0: fd0 } } });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: reading('pipe:[48211]') })).toBe(
      false,
    );
    expect(
      waitsForTerminalInput(shellPid, { ...prompt, proc: reading('/home/user/data.txt') }),
    ).toBe(false);
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: reading('/dev/pts/8') })).toBe(false);
    for (const syscall of [sleeping, 'running', '-1 0x7ffc714fea50 0x55d0c3a0e2b1']) {
      expect(
        waitsForTerminalInput(shellPid, {
          ...prompt,
          proc: machine(200, {
            200: { pgrp: 200, parent: shellPid, syscall, fds: { 0: terminal } },
          }),
        }),
      ).toBe(false);
    }
  });

  test('a setuid program (its system call not readable) waits when the terminal reads lines without echo, as while it reads a password', () => {
    const sudo = machine(200, {
      200: { pgrp: 200, parent: shellPid, fds: { 0: terminal } },
      201: { pgrp: 200, parent: 200, syscall: sleeping },
    });
    const asked: string[] = [];
    const echoOff = (path: string) => {
      asked.push(path);
      return true;
    };
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: sudo, readsUnseen: echoOff })).toBe(
      true,
    );
    expect(asked).toEqual([terminal]);
    expect(
      waitsForTerminalInput(shellPid, { ...prompt, proc: sudo, readsUnseen: () => undefined }),
    ).toBe(false);
    // Echo off alone is not enough: a program whose system call is read must be seen waiting.
    const asleep = machine(200, {
      200: { pgrp: 200, parent: shellPid, syscall: sleeping, fds: { 0: terminal } },
    });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: asleep, readsUnseen: echoOff })).toBe(
      false,
    );
  });

  test('what cannot be told is not waiting: a /proc it may not read (a setuid program) on a terminal with echo on, a process gone, an unknown architecture', () => {
    const unreadable = machine(200, { 200: { pgrp: 200, parent: shellPid, fds: { 0: terminal } } });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: unreadable })).toBe(false);
    const noFds = machine(200, { 200: { pgrp: 200, parent: shellPid, syscall: readingFd0 } });
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: noFds })).toBe(false);
    const gone = {
      stat: () => undefined,
      syscall: () => readingFd0,
      fdTarget: () => terminal,
      fdInfo: () => undefined,
      memory: () => undefined,
      children: () => [],
    };
    expect(waitsForTerminalInput(shellPid, { ...prompt, proc: gone })).toBe(false);
    const reading = machine(200, {
      200: { pgrp: 200, parent: shellPid, syscall: readingFd0, fds: { 0: terminal } },
    });
    expect(
      waitsForTerminalInput(shellPid, { includeShell: true, arch: 'mips', proc: reading }),
    ).toBe(false);
  });
});
