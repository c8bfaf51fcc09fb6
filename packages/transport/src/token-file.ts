import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TransportError } from './errors.js';

/** Minimum strength of a bearer token: 192 bits. */
export const MIN_TOKEN_BITS = 192;
/** Bits of randomness in a token from {@link generateToken}: 256. */
export const GENERATED_TOKEN_BITS = 256;
const maxTokenLength = 1024;

/** A new bearer token: 256 random bits, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(GENERATED_TOKEN_BITS / 8).toString('base64url');
}

/**
 * How many bits a token can carry, judged by its alphabet: 4 per character for hex, 6 for
 * base64/base64url. Anything else (spaces, punctuation, non-ASCII) is refused with 0.
 */
export function tokenStrengthBits(token: string): number {
  if (token.length === 0 || token.length > maxTokenLength) return 0;
  if (/^[0-9a-fA-F]+$/.test(token)) return token.length * 4;
  const unpadded = token.replace(/=+$/, '');
  if (/^[A-Za-z0-9+/_-]+$/.test(unpadded)) return unpadded.length * 6;
  return 0;
}

/**
 * Throws a `TransportError` (`WEAK_TOKEN`) unless `token` carries at least 192 bits (48 hex or
 * 32 base64url characters).
 */
export function assertStrongToken(token: string, source = 'the bearer token'): void {
  const bits = tokenStrengthBits(token);
  if (bits < MIN_TOKEN_BITS) {
    throw new TransportError(
      'WEAK_TOKEN',
      `${source} is too weak: it must be hex or base64url and carry at least ${MIN_TOKEN_BITS} bits (48 hex or 32 base64url characters). Generate one with createTokenFile().`,
    );
  }
}

/** Compares two tokens in time independent of where they differ (and of their lengths). */
export function tokensEqual(expected: string, presented: string): boolean {
  const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
  const presentedDigest = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(expectedDigest, presentedDigest);
}

/**
 * Reads a bearer token from a file that only its owner can read: the file must be a regular
 * file owned by this user with no group or other permission bits (mode 0600 or 0400), and hold
 * one token of at least 192 bits (surrounding whitespace ignored).
 * @throws TransportError `TOKEN_FILE_UNREADABLE`, `INSECURE_TOKEN_FILE` or `WEAK_TOKEN`
 */
export async function readTokenFile(file: string): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw new TransportError(
      'TOKEN_FILE_UNREADABLE',
      `Cannot open the token file ${file}: ${describe(error)}.`,
      {
        cause: error,
      },
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new TransportError(
        'TOKEN_FILE_UNREADABLE',
        `The token file ${file} is not a regular file.`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new TransportError(
        'INSECURE_TOKEN_FILE',
        `The token file ${file} belongs to uid ${stat.uid}, not to this user (uid ${uid}); refusing to use it.`,
      );
    }
    if ((stat.mode & 0o077) !== 0) {
      throw new TransportError(
        'INSECURE_TOKEN_FILE',
        `The token file ${file} has mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}: others may have read it. Make it private (chmod 600) or delete it and generate a new token.`,
      );
    }
    const token = (await handle.readFile('utf8')).trim();
    assertStrongToken(token, `The token in ${file}`);
    return token;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a new 256-bit token to `file` with mode 0600 (atomically, replacing any previous
 * file) and returns it. Missing parent directories are created with mode 0700.
 */
export async function createTokenFile(file: string): Promise<string> {
  const token = generateToken();
  const directory = path.dirname(file);
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = path.join(
    directory,
    `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await fs.writeFile(temporary, `${token}\n`, { mode: 0o600, flag: 'wx' });
    await fs.chmod(temporary, 0o600);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return token;
}

/**
 * Returns the token in `file`, creating the file with a new token when it does not exist. An
 * existing file with loose permissions or a weak token is refused, never silently replaced.
 */
export async function ensureTokenFile(file: string): Promise<string> {
  try {
    return await readTokenFile(file);
  } catch (error) {
    const missing =
      TransportError.isInstance(error) &&
      error.code === 'TOKEN_FILE_UNREADABLE' &&
      describe(error.cause) === 'ENOENT';
    if (!missing) throw error;
    return createTokenFile(file);
  }
}

function describe(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
