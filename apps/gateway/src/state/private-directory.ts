import fs from 'node:fs';
import { hasErrno } from '../errno.js';

/**
 * A directory Lifeline keeps its state or sockets in that someone else could have planted or can
 * write into: its contents cannot be trusted, so it is not used.
 */
export class UnsafeDirectoryError extends Error {
  override readonly name = 'UnsafeDirectoryError';
  constructor(
    /** The directory refused. */
    readonly directory: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a private directory is for, named in the refusal. */
export type PrivateDirectoryRole = 'state directory' | 'socket directory';

/**
 * Creates `directory` (0700) when it is missing, then checks, without following a symlink, that it
 * is a directory of the current user that neither group nor others can write into (the socket
 * directory: that they cannot even enter), the way tmux checks its socket directory.
 * @param uid the user it must belong to @default process.getuid()
 * @throws UnsafeDirectoryError saying what is wrong and what to do about it
 */
export function ensurePrivateDirectory(
  directory: string,
  role: PrivateDirectoryRole,
  uid = currentUid(),
): void {
  const refuse = (problem: string, remedy: string) =>
    new UnsafeDirectoryError(
      directory,
      `the ${role} ${directory} ${problem}, so Lifeline does not use it; ${remedy}`,
    );
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    // A file where it should be is said below; anything else (a file above it, no permission, a
    // read-only or full disk) is said as the system says it.
    if (!hasErrno(error, 'EEXIST')) {
      throw refuse(
        `cannot be created (${(error as Error).message})`,
        'use a directory you can write to (set LIFELINE_HOME)',
      );
    }
  }
  const stat = fs.lstatSync(directory);
  if (stat.isSymbolicLink()) {
    throw refuse(
      'is a symbolic link',
      `replace it with a directory of your own (mkdir -m 700 ${directory})`,
    );
  }
  if (!stat.isDirectory()) throw refuse('is not a directory', 'move it aside');
  if (uid !== undefined && stat.uid !== uid) {
    throw refuse(
      `belongs to uid ${stat.uid}, not to you (uid ${uid})`,
      'use a directory of your own (set LIFELINE_HOME)',
    );
  }
  const forbidden = role === 'socket directory' ? 0o077 : 0o022;
  if ((stat.mode & forbidden) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    const who =
      role === 'socket directory' ? 'open to group or others' : 'writable by group or others';
    throw refuse(`is ${who} (mode ${mode})`, `run chmod 700 ${directory}`);
  }
}

/** Exit code of a gateway or host that refuses its state directory (see {@link ensurePrivateDirectory}). */
export const UNSAFE_STATE_EXIT_CODE = 6;

/**
 * Why the state directory must not be used (a symlink, someone else's, writable by others), or
 * undefined when it is the user's own (it is created when missing).
 */
export function unsafeStateDirectory(stateDir: string): UnsafeDirectoryError | undefined {
  try {
    ensurePrivateDirectory(stateDir, 'state directory');
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeDirectoryError) return error;
    throw error;
  }
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
