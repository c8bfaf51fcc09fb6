import fs from 'node:fs';
import { hasErrno } from '../errno.js';

/** How often the host looks at its session directory. */
export const DIRECTORY_CHECK_MS = 2000;

/** Which directory a path names: another one made in its place has another inode. */
interface DirectoryIdentity {
  dev: number;
  ino: number;
}

/** What the watch needs from the file system and the clock, injected so that tests can drive them. */
export interface DirectoryWatchIo {
  /**
   * The identity of the directory at `dir`: `gone` when nothing (or no directory) is there,
   * undefined when it cannot be told now (no permission to look, say).
   */
  identify(dir: string): DirectoryIdentity | 'gone' | undefined;
  /** Runs `check` every `ms` without keeping the process alive; returns what stops it. */
  every(ms: number, check: () => void): () => void;
}

const systemIo: DirectoryWatchIo = {
  identify(dir) {
    try {
      const stats = fs.statSync(dir);
      return stats.isDirectory() ? { dev: stats.dev, ino: stats.ino } : 'gone';
    } catch (error) {
      return hasErrno(error, 'ENOENT', 'ENOTDIR') ? 'gone' : undefined;
    }
  },
  every(ms, check) {
    const timer = setInterval(check, ms).unref();
    return () => {
      clearInterval(timer);
    };
  },
};

/**
 * Calls `onRemoved` once, when the session's directory is no longer the one the host started in:
 * removed (`rm -rf` of the session, or of the whole state directory), or replaced by another of the
 * same name. Its log, socket and lock went with it: no gateway can find the host any more, so a
 * host that went on would keep its shell running where no one can see it.
 * @returns what stops the watch
 */
export function watchSessionDirectory(
  dir: string,
  onRemoved: () => void,
  io: DirectoryWatchIo = systemIo,
): () => void {
  // The directory the host started in; undefined until it can be told.
  let known = io.identify(dir);
  const stop = io.every(DIRECTORY_CHECK_MS, () => {
    const now = io.identify(dir);
    if (now === undefined) return;
    if (known === undefined && now !== 'gone') known = now;
    if (known !== 'gone' && now !== 'gone' && sameDirectory(known, now)) return;
    stop();
    onRemoved();
  });
  return stop;
}

function sameDirectory(a: DirectoryIdentity | undefined, b: DirectoryIdentity): boolean {
  return a?.dev === b.dev && a.ino === b.ino;
}
