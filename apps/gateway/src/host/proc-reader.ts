import fs from 'node:fs';

/** What is read from `/proc` about other processes; `undefined` for what cannot be read. */
export interface ProcReader {
  /** `/proc/<pid>/stat`. */
  stat(pid: number): string | undefined;
  /** `/proc/<pid>/syscall`: the system call a blocked process is in, and its arguments. */
  syscall(pid: number): string | undefined;
  /** Where `/proc/<pid>/fd/<fd>` points. */
  fdTarget(pid: number, fd: number): string | undefined;
  /** `/proc/<pid>/fdinfo/<fd>` (for an epoll descriptor, the descriptors it watches). */
  fdInfo(pid: number, fd: number): string | undefined;
  /** `length` bytes of the process's memory at `address` (`/proc/<pid>/mem`); fewer where it ends. */
  memory(pid: number, address: bigint, length: number): Buffer | undefined;
  /** The children of a process, forked by any of its threads; none when they cannot be read. */
  children(pid: number): number[];
}

function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function readMemory(pid: number, address: bigint, length: number): Buffer | undefined {
  const fd = readOrUndefined(() => fs.openSync(`/proc/${pid}/mem`, 'r'));
  if (fd === undefined) return undefined;
  try {
    const bytes = Buffer.alloc(length);
    return bytes.subarray(0, fs.readSync(fd, bytes, 0, length, address));
  } catch {
    return undefined;
  } finally {
    readOrUndefined(() => fs.closeSync(fd));
  }
}

/** `/proc/<pid>/<name>`, or `undefined` once the process is gone (or may not be read). */
export function readProcFile(pid: number, name: string): string | undefined {
  return readOrUndefined(() => fs.readFileSync(`/proc/${pid}/${name}`, 'latin1'));
}

function childrenOf(pid: number): number[] {
  const threads = readOrUndefined(() => fs.readdirSync(`/proc/${pid}/task`)) ?? [];
  return threads.flatMap((thread) =>
    (readProcFile(pid, `task/${thread}/children`) ?? '')
      .split(' ')
      .filter((word) => word !== '')
      .map(Number),
  );
}

/**
 * The state letter of a `/proc/<pid>/stat` line (`R`, `S`, `T` stopped by a signal, `t` stopped
 * by a tracer, …). The command name before it may hold spaces and parentheses of its own.
 */
export function processState(stat: string): string {
  const afterName = stat.lastIndexOf(')') + 2;
  return stat.slice(afterName, afterName + 1);
}

/** The real `/proc` of this machine. */
export const linuxProc: ProcReader = {
  stat: (pid) => readProcFile(pid, 'stat'),
  syscall: (pid) => readProcFile(pid, 'syscall'),
  fdTarget: (pid, fd) => readOrUndefined(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`)),
  fdInfo: (pid, fd) => readProcFile(pid, `fdinfo/${fd}`),
  memory: readMemory,
  children: childrenOf,
};
