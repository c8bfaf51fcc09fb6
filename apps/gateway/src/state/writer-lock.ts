import fs from 'node:fs';

/** Tells whether the process holding a lock still runs. */
export type LockHolderCheck = (pid: number) => boolean;

/** Result of {@link acquireWriterLock}. */
export type WriterLockResult =
  { acquired: true; release: () => void } | { acquired: false; heldBy: number };

const unwrittenLockGraceMs = 5000;

/**
 * Takes the single-writer lock of a session directory: the file holds the writer's pid. A lock
 * whose holder is gone is taken over; two processes taking over the same stale lock at once cannot
 * both win, because the stale file is moved aside atomically and checked before it is discarded.
 */
export function acquireWriterLock(
  file: string,
  pid: number = process.pid,
  isHolderAlive: LockHolderCheck = isProcessAlive,
): WriterLockResult {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, String(pid));
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
    if (holder === 'being-written' || isHolderAlive(holder)) {
      return { acquired: false, heldBy: holder === 'being-written' ? 0 : holder };
    }
    const aside = `${file}.stale-${pid}-${attempt}`;
    try {
      fs.renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readHolder(aside);
    if (moved !== holder) {
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
  return { acquired: false, heldBy: typeof holder === 'number' ? holder : 0 };
}

/** The pid in a lock file, if it names a live process. */
export function liveLockHolder(
  file: string,
  isHolderAlive: LockHolderCheck = isProcessAlive,
): number | undefined {
  const holder = readHolder(file);
  return typeof holder === 'number' && isHolderAlive(holder) ? holder : undefined;
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

function readHolder(file: string): number | 'missing' | 'being-written' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  if (Number.isInteger(pid) && pid > 0) return pid;
  // Created but not yet written: give its creator a moment before calling it stale.
  try {
    const age = Date.now() - fs.statSync(file).mtimeMs;
    return age < unwrittenLockGraceMs ? 'being-written' : 0;
  } catch {
    return 'missing';
  }
}

function releaseIfOurs(file: string, pid: number): void {
  if (readHolder(file) === pid) fs.rmSync(file, { force: true });
}
