import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hasErrno } from '../errno.js';

/** File name of the secret a session's host proves it holds, inside the session directory. */
export const HOST_SECRET_FILE = 'host.secret';

/** A secret file that cannot be trusted: a symlink, not the user's own, readable by others, garbled. */
export class UntrustedHostSecretError extends Error {
  override readonly name = 'UntrustedHostSecretError';
}

/** Bytes of a host secret. */
const SECRET_BYTES = 32;

/**
 * The secret of the session's host, made (and saved, readable by its owner only) when the session
 * has none yet. Only a process of the session's owner can read it, so only the session's real host
 * can answer a gateway's challenge with it.
 * @throws Error when the file is not a private file of the user's (a symlink, another owner, group
 *   or world bits), or holds no secret
 */
export function ensureHostSecret(
  sessionDir: string,
  random: (size: number) => Buffer = randomBytes,
): Buffer {
  const file = path.join(sessionDir, HOST_SECRET_FILE);
  try {
    return readHostSecret(sessionDir);
  } catch (error) {
    if (!hasErrno(error, 'ENOENT')) throw error;
  }
  const secret = random(SECRET_BYTES);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
    // Two hosts never start at once (the writer lock): the file it replaces was its own making.
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return secret;
}

/**
 * The secret the session's host saved, read without following a symlink.
 * @throws Error with errno `ENOENT` when there is none (no host of this version started yet), or
 *   naming the file when it cannot be trusted
 */
export function readHostSecret(sessionDir: string): Buffer {
  const file = path.join(sessionDir, HOST_SECRET_FILE);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if (hasErrno(error, 'ELOOP'))
      throw new UntrustedHostSecretError(
        `${file} is a symbolic link; remove it and start the session again`,
        {
          cause: error,
        },
      );
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
      throw new UntrustedHostSecretError(
        `${file} is not a private file of yours (uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}); remove it and start the session again`,
      );
    }
    const text = fs.readFileSync(fd, 'utf8');
    if (!/^[0-9a-f]{64}$/.test(text)) {
      throw new UntrustedHostSecretError(
        `${file} holds no session secret; remove it and start the session again`,
      );
    }
    return Buffer.from(text, 'hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** The answer to a challenge: the hex HMAC-SHA256 of `nonce` keyed with `secret`. */
export function proofOf(secret: Buffer, nonce: string): string {
  return createHmac('sha256', secret).update(nonce).digest('hex');
}

/** Whether `proof` answers the challenge `nonce` for `secret` (compared in constant time). */
export function isProofOf(secret: Buffer, nonce: string, proof: string): boolean {
  const expected = Buffer.from(proofOf(secret, nonce), 'hex');
  const given = Buffer.from(proof, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
