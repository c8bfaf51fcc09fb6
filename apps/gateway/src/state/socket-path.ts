import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDirectory } from './private-directory.js';

/** Longest unix socket path accepted everywhere we run (macOS allows 103 bytes, Linux 107). */
export const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Where a session host listens: `<session dir>/host.sock` when that path fits the OS limit, else a
 * short path in a private per-user directory under the temp dir, derived from the session dir so
 * that every process computes the same one.
 * @throws UnsafeDirectoryError when the private directory is a symlink, belongs to someone else or
 * is open to others
 */
export function chooseSocketPath(sessionDir: string, sid: string): string {
  const preferred = path.join(sessionDir, 'host.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const privateDir = path.join(os.tmpdir(), `lifeline-${uid}`);
  ensurePrivateDirectory(privateDir, 'socket directory');
  return path.join(privateDir, privateSocketName(sessionDir, sid));
}

/** The socket's name in the private directory: derived from the session dir and the sid. */
function privateSocketName(sessionDir: string, sid: string): string {
  const digest = crypto.createHash('sha256').update(sessionDir).digest('hex').slice(0, 12);
  return `${digest}-${sid.slice(-12)}.sock`;
}

/**
 * True when `socketPath` is one that {@link chooseSocketPath} gives this session: its
 * `host.sock`, or its name in a `lifeline-<uid>` directory of this user. A record naming any other
 * path was not written by Lifeline, and that path is neither listened on nor removed.
 */
export function isSessionSocketPath(sessionDir: string, sid: string, socketPath: string): boolean {
  if (socketPath === path.join(sessionDir, 'host.sock')) return true;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return (
    path.isAbsolute(socketPath) &&
    path.basename(path.dirname(socketPath)) === `lifeline-${uid}` &&
    path.basename(socketPath) === privateSocketName(sessionDir, sid)
  );
}
