import { describe, expect, test } from 'vitest';
import { waitsForTerminalInput, type ProcReader } from './input-wait.js';

const shellPid = 100;
const terminal = '/dev/pts/7';
/** The machine these fakes describe, where `read` is system call 0. */
const arch = 'x64';

/** `/proc/<pid>/stat` of a process in group `pgrp` whose terminal's foreground group is `tpgid`. */
function stat(pid: number, command: string, pgrp: number, tpgid: number): string {
  return `${pid} (${command}) S 1 ${pgrp} ${pgrp} 34823 ${tpgid} 4194560 0 0`;
}

/** A shell whose terminal is held by `leader`, blocked as `syscall` says, with `fds` open. */
function machine(leader: number, syscall: string | undefined, fds: Record<number, string>): ProcReader {
  return {
    stat: (pid) => (pid === shellPid ? stat(shellPid, 'bash (login) )', shellPid, leader) : undefined),
    syscall: (pid) => (pid === leader ? syscall : undefined),
    fdTarget: (pid, fd) => (pid === shellPid ? (fd === 0 ? terminal : undefined) : pid === leader ? fds[fd] : undefined),
  };
}

describe('waitsForTerminalInput', () => {
  test('a command blocked reading the terminal waits for input, whichever descriptor it reads it through', () => {
    expect(waitsForTerminalInput(shellPid, machine(200, '0 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x7ffd5c1e1f48 0x7f3b2a1c4992', { 0: terminal }), arch)).toBe(true);
    expect(waitsForTerminalInput(shellPid, machine(200, '0 0x3 0x7ffd5c1e2000 0x1 0x0 0x0 0x0 0x7ffd5c1e1f48 0x7f3b2a1c4992', { 3: '/dev/tty' }), arch)).toBe(true);
  });

  test('the read system call is told by its number on each architecture', () => {
    const blockedIn = (number: number) => machine(200, `${number} 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0`, { 0: terminal });
    expect(waitsForTerminalInput(shellPid, blockedIn(63), 'arm64')).toBe(true);
    expect(waitsForTerminalInput(shellPid, blockedIn(0), 'arm64')).toBe(false);
    expect(waitsForTerminalInput(shellPid, blockedIn(3), 'arm')).toBe(true);
  });

  test('the shell itself reading the terminal during a run (a read builtin, a continuation line) waits too', () => {
    expect(waitsForTerminalInput(shellPid, machine(shellPid, '0 0x0 0x7ffd5c1e2000 0x1 0x0 0x0 0x0 0x0 0x0', { 0: terminal }), arch)).toBe(true);
  });

  test('reading a pipe or a file, sleeping, running, or another system call is not waiting for input', () => {
    const reading = (fd0: string) => machine(200, '0 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0', { 0: fd0 });
    expect(waitsForTerminalInput(shellPid, reading('pipe:[48211]'), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, reading('/home/user/data.txt'), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, reading('/dev/pts/8'), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, machine(200, '230 0x0 0x0 0x7ffc714fea50 0x0 0x0 0x0 0x0 0x0', { 0: terminal }), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, machine(200, 'running', { 0: terminal }), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, machine(200, '-1 0x7ffc714fea50 0x55d0c3a0e2b1', { 0: terminal }), arch)).toBe(false);
  });

  test('what cannot be told is not waiting: a /proc it may not read, a process gone, an unknown architecture', () => {
    const blocked = '0 0x0 0x7ffd5c1e2000 0x1000 0x0 0x0 0x0 0x0 0x0';
    expect(waitsForTerminalInput(shellPid, machine(200, undefined, { 0: terminal }), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, machine(200, blocked, {}), arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, { stat: () => undefined, syscall: () => blocked, fdTarget: () => terminal }, arch)).toBe(false);
    expect(waitsForTerminalInput(shellPid, machine(200, blocked, { 0: terminal }), 'mips')).toBe(false);
  });
});
