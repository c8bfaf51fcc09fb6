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

function childrenOf(pid: number): number[] {
  const threads = readOrUndefined(() => fs.readdirSync(`/proc/${pid}/task`)) ?? [];
  return threads.flatMap((thread) =>
    (readOrUndefined(() => fs.readFileSync(`/proc/${pid}/task/${thread}/children`, 'latin1')) ?? '')
      .split(' ')
      .filter((word) => word !== '')
      .map(Number),
  );
}

/** The real `/proc` of this machine. */
export const linuxProc: ProcReader = {
  stat: (pid) => readOrUndefined(() => fs.readFileSync(`/proc/${pid}/stat`, 'latin1')),
  syscall: (pid) => readOrUndefined(() => fs.readFileSync(`/proc/${pid}/syscall`, 'latin1')),
  fdTarget: (pid, fd) => readOrUndefined(() => fs.readlinkSync(`/proc/${pid}/fd/${fd}`)),
  fdInfo: (pid, fd) => readOrUndefined(() => fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1')),
  memory: readMemory,
  children: childrenOf,
};
