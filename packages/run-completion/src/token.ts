import { RunCompletionError } from './errors.js';
import { base64Url } from './internal/base64url.js';
import { type RandomBytes, systemRandom } from './random.js';

/** Bytes of randomness in a session token and in each postamble run token: 128 bits. */
export const TOKEN_BYTES = 16;

const tokenPattern = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * Creates a per-session secret token: 128 random bits as 22 base64url characters. The shell
 * integration prints it in every frame, so only frames carrying it can complete a run.
 * @param random where the bits come from
 * @default random {@link systemRandom}
 */
export function createSessionToken(random: RandomBytes = systemRandom): string {
  return randomToken(random);
}

/** True when `token` is 22–64 base64url characters (at least 128 bits). */
export function isValidToken(token: unknown): token is string {
  return typeof token === 'string' && tokenPattern.test(token);
}

/** @internal Throws a clear error unless `token` is a valid session token. */
export function assertValidToken(token: unknown, what: string): asserts token is string {
  if (!isValidToken(token)) {
    throw new RunCompletionError(
      'INVALID_TOKEN',
      `${what} must be 22 to 64 base64url characters (at least 128 bits); create one with createSessionToken()`,
    );
  }
}

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Characters in a run token: 62^22 > 2^130. */
const RUN_TOKEN_LENGTH = 22;

/**
 * @internal A token for one postamble line: 22 letters and digits (over 128 bits). No `_` or `-`,
 * which some line editors echo in ways that would defeat the echo sanitiser.
 */
export function randomRunToken(random: RandomBytes): string {
  let token = '';
  while (token.length < RUN_TOKEN_LENGTH) {
    for (const byte of randomBytesChecked(random, TOKEN_BYTES * 2)) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && token.length < RUN_TOKEN_LENGTH) token += alphanumeric.charAt(byte % 62);
    }
  }
  return token;
}

/** @internal 128 fresh random bits as base64url. */
export function randomToken(random: RandomBytes): string {
  return base64Url(randomBytesChecked(random, TOKEN_BYTES));
}

function randomBytesChecked(random: RandomBytes, length: number): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length < length) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `the random source returned ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : 'no bytes'} when ${length} were asked for; pass a function that returns the requested number of random bytes`,
    );
  }
  return bytes.subarray(0, length);
}
