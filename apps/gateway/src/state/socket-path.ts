import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Longest unix socket path accepted everywhere we run (macOS allows 103 bytes, Linux 107). */
export const MAX_SOCKET_PATH_BYTES = 103;

/**
 * Where a session host listens: `<session dir>/host.sock` when that path fits the OS limit, else a
 * short path in a private per-user directory under the temp dir, derived from the session dir so
 * that every process computes the same one.
 * @throws Error when the private directory exists but belongs to someone else or is not 0700
 */
export function chooseSocketPath(sessionDir: string, sid: string): string {
  const preferred = path.join(sessionDir, 'host.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const privateDir = path.join(os.tmpdir(), `lifeline-${uid}`);
  fs.mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(privateDir);
  if (stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    throw new Error(
      `${privateDir} must be a directory owned by you with mode 0700 to hold session sockets; remove it or fix its permissions`,
    );
  }
  const digest = crypto.createHash('sha256').update(sessionDir).digest('hex').slice(0, 12);
  return path.join(privateDir, `${digest}-${sid.slice(-12)}.sock`);
}
