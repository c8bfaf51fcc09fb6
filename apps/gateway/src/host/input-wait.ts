import fs from 'node:fs';
import { foregroundProcessGroup } from './foreground-signal.js';

/**
 * The number of the `read` system call as `/proc/<pid>/syscall` shows it, by CPU architecture.
 * Elsewhere waiting for input is not told.
 */
const readSyscallNumbers: Partial<Record<NodeJS.Architecture, number>> = {
  x64: 0,
  ia32: 3,
  arm: 3,
  arm64: 63,
  riscv64: 63,
  loong64: 63,
  ppc64: 3,
  s390x: 3,
};

/** What {@link waitsForTerminalInput} reads from `/proc`; `undefined` for what cannot be read. */
export interface ProcReader {
  /** `/proc/<pid>/stat`. */
  stat(pid: number): string | undefined;
  /** `/proc/<pid>/syscall`: the system call a blocked process is in, and its arguments. */
  syscall(pid: number): string | undefined;
  /** Where `/proc/<pid>/fd/<fd>` points. */
  fdTarget(pid: number, fd: number): string | undefined;
}

function readOrUndefined(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The real `/proc` of this machine. */
export const linuxProc: ProcReader = {
  stat: (pid) => readOrUndefined(() => fs.readFileSync(`/proc/${pid}/stat`, 'latin1')),
  syscall: (pid) => readOrUndefined(() => fs.readFileSync(`/proc/${pid}/syscall`, 'latin1')),
  fdTarget: (pid, fd) => readOrUndefined(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`)),
};

/**
 * Whether whoever holds the shell's terminal is blocked reading it: a command waiting for someone
 * to type (a `[Y/n]` question, a password, `cat`, a REPL), or the shell itself (a `read` builtin,
 * the next line of an unfinished command). The leader of the terminal's foreground process group
 * is looked at, which is the first program of a pipeline. False when it cannot be told (another
 * system, an unknown architecture, a `/proc` this process may not read).
 */
export function waitsForTerminalInput(
  shellPid: number,
  proc: ProcReader = linuxProc,
  arch: NodeJS.Architecture = process.arch,
): boolean {
  const readSyscall = readSyscallNumbers[arch];
  if (readSyscall === undefined) return false;
  const terminal = proc.fdTarget(shellPid, 0);
  const leader = foregroundProcessGroup(shellPid, (pid) => proc.stat(pid));
  if (terminal === undefined || leader === undefined) return false;
  // `<number> <arg1> <arg2> …` while blocked in a system call; `running` or `-1 …` otherwise.
  const [number, fd] = (proc.syscall(leader) ?? '').split(' ');
  if (Number(number) !== readSyscall || fd === undefined || !Number.isSafeInteger(Number(fd))) return false;
  const source = proc.fdTarget(leader, Number(fd));
  return source === terminal || source === '/dev/tty';
}
