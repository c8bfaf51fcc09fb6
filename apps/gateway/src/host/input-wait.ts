import fs from 'node:fs';
import { foregroundProcessGroup, processGroup } from './foreground-signal.js';

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

/** Most processes of the foreground group looked at (a build can run many). */
const maxProcesses = 256;

/** What {@link waitsForTerminalInput} reads from `/proc`; `undefined` for what cannot be read. */
export interface ProcReader {
  /** `/proc/<pid>/stat`. */
  stat(pid: number): string | undefined;
  /** `/proc/<pid>/syscall`: the system call a blocked process is in, and its arguments. */
  syscall(pid: number): string | undefined;
  /** Where `/proc/<pid>/fd/<fd>` points. */
  fdTarget(pid: number, fd: number): string | undefined;
  /** The children of a process, forked by any of its threads; none when they cannot be read. */
  children(pid: number): number[];
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
  children: (pid) => {
    let threads: string[];
    try {
      threads = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
    return threads.flatMap((thread) =>
      (readOrUndefined(() => fs.readFileSync(`/proc/${pid}/task/${thread}/children`, 'latin1')) ?? '')
        .split(' ')
        .filter((word) => word !== '')
        .map(Number),
    );
  },
};

/** Options of {@link waitsForTerminalInput}. */
export interface TerminalInputOptions {
  /**
   * Whether the shell itself reading the terminal counts (a `read` builtin, the next line of an
   * unfinished command). Not where the shell reads its next command line at the prompt before the
   * run is known to be over (postamble mode, see run-completion).
   */
  includeShell: boolean;
  /** @default the real `/proc` */
  proc?: ProcReader;
  /** @default process.arch */
  arch?: NodeJS.Architecture;
}

/**
 * Whether whoever holds the shell's terminal is blocked reading it: a program of the terminal's
 * foreground process group (any of the shell's descendants in it, so a prompt in a script or a
 * pipeline counts) waiting for someone to type, or the shell itself (see
 * {@link TerminalInputOptions.includeShell}). Only the `read` system call is recognised: a program
 * that waits in `poll`, `select` or `epoll` (a Node or Python REPL, a server) may be waiting for
 * anything. False when it cannot be told (another system, an unknown architecture, a `/proc` this
 * process may not read, a setuid program).
 */
export function waitsForTerminalInput(shellPid: number, options: TerminalInputOptions): boolean {
  const proc = options.proc ?? linuxProc;
  const readSyscall = readSyscallNumbers[options.arch ?? process.arch];
  if (readSyscall === undefined) return false;
  const terminal = proc.fdTarget(shellPid, 0);
  const readStat = (pid: number) => proc.stat(pid);
  const foreground = foregroundProcessGroup(shellPid, readStat);
  if (terminal === undefined || foreground === undefined) return false;
  const readsTerminal = (pid: number): boolean => {
    // `<number> <arg1> <arg2> …` while blocked in a system call; `running` or `-1 …` otherwise.
    const [number, fd] = (proc.syscall(pid) ?? '').split(' ');
    if (Number(number) !== readSyscall || fd === undefined || !Number.isSafeInteger(Number(fd))) return false;
    const source = proc.fdTarget(pid, Number(fd));
    return source === terminal || source === '/dev/tty';
  };
  if (foreground === processGroup(shellPid, readStat)) return options.includeShell && readsTerminal(shellPid);
  // The group's leader (its id is the group's) first: where a kernel lists no children, it is the
  // one program looked at.
  const pending = [...proc.children(shellPid), foreground];
  const seen = new Set<number>();
  while (pending.length > 0 && seen.size < maxProcesses) {
    const pid = pending.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (processGroup(pid, readStat) === foreground && readsTerminal(pid)) return true;
    pending.push(...proc.children(pid));
  }
  return false;
}
