import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Tells whether the process holding a lock still runs. */
export type LockHolderCheck = (pid: number) => boolean;

/**
 * Result of {@link acquireWriterLock}. A refusal says who holds the lock, and whether only for
 * upkeep (see {@link WriterLockOptions.upkeep}): such a holder lets go within moments.
 */
export type WriterLockResult =
  { acquired: true; release: () => void } | { acquired: false; heldBy: number; upkeep: boolean };

/** Options of {@link acquireWriterLock}. */
export interface WriterLockOptions {
  /** The pid written into the lock. @default process.pid */
  pid?: number;
  /** Whether a holder still runs. @default isProcessAlive */
  isHolderAlive?: LockHolderCheck;
  /**
   * Held for a moment's change to the files of a session no host runs (recording a lost host's
   * exit, a rename): the lock says so, and does not make the session look live meanwhile.
   */
  upkeep?: boolean;
}

const unwrittenLockGraceMs = 5000;
const UPKEEP_MARK = ' upkeep';

/**
 * Takes the single-writer lock of a session directory: the file holds the writer's pid. A lock
 * whose holder is gone is taken over; two processes taking over the same stale lock at once cannot
 * both win, because the stale file is moved aside atomically and checked before it is discarded.
 */
export function acquireWriterLock(
  file: string,
  { pid = process.pid, isHolderAlive = isProcessAlive, upkeep = false }: WriterLockOptions = {},
): WriterLockResult {
  const contents = upkeep ? `${pid}${UPKEEP_MARK}` : String(pid);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, contents);
      } catch (error) {
        // Not written (a full disk): an empty lock would keep the next writer out for a while.
        fs.closeSync(fd);
        fs.rmSync(file, { force: true });
        throw error;
      }
      fs.closeSync(fd);
      return { acquired: true, release: () => releaseIfOurs(file, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder === 'missing') continue;
    if (holder === 'being-written') return { acquired: false, heldBy: 0, upkeep: false };
    if (isHolderAlive(holder.pid))
      return { acquired: false, heldBy: holder.pid, upkeep: holder.upkeep };
    const aside = `${file}.stale-${pid}-${attempt}`;
    try {
      fs.renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readHolder(aside);
    if (typeof moved !== 'object' || moved.pid !== holder.pid) {
      // Someone else took the stale lock over between our read and our move: give theirs back.
      try {
        fs.linkSync(aside, file);
      } catch {
        // A third process holds the lock now; theirs stands.
      }
    }
    fs.rmSync(aside, { force: true });
  }
  const holder = readHolder(file);
  return typeof holder === 'object'
    ? { acquired: false, heldBy: holder.pid, upkeep: holder.upkeep }
    : { acquired: false, heldBy: 0, upkeep: false };
}

/** Longest a host waits for an upkeep holder (see {@link WriterLockOptions.upkeep}) to let go. */
const UPKEEP_WAIT_MS = 2000;
const UPKEEP_POLL_MS = 5;

/**
 * {@link acquireWriterLock} that waits, up to two seconds, while the lock is held only for upkeep
 * (a gateway recording the last host's exit, say): such a holder lets go within moments. A session
 * host takes its lock so, rather than take it for a live host; so does a gateway recording a lost
 * host's exit, which another gateway may be recording.
 */
export async function acquireWriterLockAfterUpkeep(
  file: string,
  options: WriterLockOptions = {},
): Promise<WriterLockResult> {
  const deadline = Date.now() + UPKEEP_WAIT_MS;
  let lock = acquireWriterLock(file, options);
  while (!lock.acquired && lock.upkeep && Date.now() < deadline) {
    await sleep(UPKEEP_POLL_MS);
    lock = acquireWriterLock(file, options);
  }
  return lock;
}

/**
 * The pid of the session host holding a lock file, if that process runs. A lock held for upkeep
 * (see {@link WriterLockOptions.upkeep}) names no host: the session is not live meanwhile.
 */
export function liveLockHolder(
  file: string,
  isHolderAlive: LockHolderCheck = isProcessAlive,
): number | undefined {
  const holder = readHolder(file);
  return typeof holder === 'object' && !holder.upkeep && isHolderAlive(holder.pid)
    ? holder.pid
    : undefined;
}

/**
 * True while a process with this pid runs. A zombie (exited, not yet reaped by its parent) counts
 * as gone; a process we may not signal still counts as running.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // No /proc (macOS) or the process vanished just now: trust the signal check.
    return false;
  }
}

interface LockHolder {
  pid: number;
  upkeep: boolean;
}

function readHolder(file: string): LockHolder | 'missing' | 'being-written' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  if (Number.isInteger(pid) && pid > 0) return { pid, upkeep: text.endsWith(UPKEEP_MARK) };
  // Created but not yet written: give its creator a moment before calling it stale.
  try {
    const age = Date.now() - fs.statSync(file).mtimeMs;
    return age < unwrittenLockGraceMs ? 'being-written' : { pid: 0, upkeep: false };
  } catch {
    return 'missing';
  }
}

function releaseIfOurs(file: string, pid: number): void {
  const holder = readHolder(file);
  if (typeof holder === 'object' && holder.pid === pid) fs.rmSync(file, { force: true });
}
