import type { ProcReader } from './proc-reader.js';

/**
 * The system calls a process blocks in to wait for input, by their numbers as
 * `/proc/<pid>/syscall` shows them. The waits on several descriptors are decoded only on 64-bit
 * little-endian machines, whose structures are laid out as below; elsewhere only `read` is.
 */
interface WaitSyscalls {
  read: number;
  /** `poll`, `ppoll`: an array of `struct pollfd` and its length. */
  poll: readonly number[];
  /** `select`, `pselect6`: the descriptor count and a bitmap of those to read. */
  select: readonly number[];
  /** `epoll_wait`, `epoll_pwait`, `epoll_pwait2`: an epoll descriptor. */
  epoll: readonly number[];
}

const readOnly = (read: number): WaitSyscalls => ({ read, poll: [], select: [], epoll: [] });
/** The table shared by the newer architectures (arm64, riscv64, loongarch64). */
const generic: WaitSyscalls = { read: 63, poll: [73], select: [72], epoll: [22, 441] };

const waitSyscalls: Partial<Record<NodeJS.Architecture, WaitSyscalls>> = {
  x64: { read: 0, poll: [7, 271], select: [23, 270], epoll: [232, 281, 441] },
  arm64: generic,
  riscv64: generic,
  loong64: generic,
  ia32: readOnly(3),
  arm: readOnly(3),
  ppc64: readOnly(3),
  s390x: readOnly(3),
};

/** Descriptors of one wait looked at, at most (a bigger `poll` array or `select` bitmap is cut). */
const maxDescriptors = 1024;
/** The largest file descriptor there can be (an `int`). */
const maxFd = 0x7fffffffn;
const pollIn = 0x1 | 0x40; // POLLIN | POLLRDNORM
const epollIn = 0x1;

/**
 * The descriptors a process is blocked waiting to read from, as far as `/proc` tells: the one
 * of a `read`, those of a `poll` or `select` (from the process's memory), or those an epoll
 * descriptor watches (from its fdinfo); with `only: 'read'`, the one of a `read` alone. Empty
 * when it is not blocked so, or it cannot be told (an unknown architecture, memory this one may
 * not read); `undefined` when its system call may not be read (a setuid program, a process gone).
 * At most {@link maxDescriptors} of them.
 */
export function awaitedDescriptors(
  pid: number,
  proc: ProcReader,
  arch: NodeJS.Architecture,
  only?: 'read',
): number[] | undefined {
  const syscall = proc.syscall(pid);
  if (syscall === undefined) return undefined;
  const known = waitSyscalls[arch];
  const calls = known && only === 'read' ? readOnly(known.read) : known;
  // `<number> <arg1> <arg2> …` in hex while blocked in a system call; `running` or `-1 …` otherwise.
  const [number, ...args] = syscall.trim().split(' ');
  const call = Number(number);
  if (calls === undefined || !Number.isSafeInteger(call) || args.length < 2) return [];
  const values = args.map(asUnsigned);
  const [first, second] = values as [bigint | undefined, bigint | undefined];
  if (first === undefined || second === undefined) return [];
  if (call === calls.read) return first <= maxFd ? [Number(first)] : [];
  if (calls.poll.includes(call)) return polled(pid, proc, first, second);
  if (calls.select.includes(call)) return selected(pid, proc, first, second);
  if (calls.epoll.includes(call) && first <= maxFd)
    return watchedForInput(proc.fdInfo(pid, Number(first)));
  return [];
}

/** A `0x…` argument of `/proc/<pid>/syscall`, or `undefined`. */
function asUnsigned(text: string): bigint | undefined {
  return /^0x[0-9a-f]+$/.test(text) ? BigInt(text) : undefined;
}

/** The descriptors of a `struct pollfd` array (`int fd; short events; short revents`) polled for input. */
function polled(pid: number, proc: ProcReader, address: bigint, count: bigint): number[] {
  if (address === 0n || count < 1n) return [];
  const entries = Number(count < BigInt(maxDescriptors) ? count : BigInt(maxDescriptors));
  const bytes = proc.memory(pid, address, entries * 8);
  if (bytes === undefined || bytes.length < entries * 8) return [];
  const fds: number[] = [];
  for (let entry = 0; entry < entries; entry += 1) {
    const fd = bytes.readInt32LE(entry * 8);
    if (fd >= 0 && (bytes.readInt16LE(entry * 8 + 4) & pollIn) !== 0) fds.push(fd);
  }
  return fds;
}

/** The descriptors set in a `select` read bitmap of `count` bits. */
function selected(pid: number, proc: ProcReader, count: bigint, address: bigint): number[] {
  if (address === 0n || count < 1n) return [];
  const bits = Number(count < BigInt(maxDescriptors) ? count : BigInt(maxDescriptors));
  const length = Math.ceil(bits / 64) * 8;
  const bytes = proc.memory(pid, address, length);
  if (bytes === undefined || bytes.length < length) return [];
  const fds: number[] = [];
  for (let fd = 0; fd < bits; fd += 1) {
    if (((bytes[fd >> 3] ?? 0) & (1 << (fd & 7))) !== 0) fds.push(fd);
  }
  return fds;
}

/** The descriptors an epoll descriptor's fdinfo lists as watched for input (`tfd: N events: hex`). */
function watchedForInput(fdInfo: string | undefined): number[] {
  const fds: number[] = [];
  for (const match of (fdInfo ?? '').matchAll(/^tfd:\s*(\d+)\s+events:\s*([0-9a-f]+)/gm)) {
    if ((Number.parseInt(match[2] ?? '0', 16) & epollIn) !== 0) fds.push(Number(match[1]));
    if (fds.length === maxDescriptors) break;
  }
  return fds;
}
