import type { core } from 'zod/mini';
import { describeValue } from './internal/describe-value.js';

const crockfordAlphabet = '0123456789abcdefghjkmnpqrstvwxyz';
/** `s_` then 26 lowercase Crockford base32 characters. */
export const sessionIdPattern = /^s_[0-9a-hjkmnp-tv-z]{26}$/;

/**
 * A validated durable session id: `s_` then 26 lowercase Crockford base32 characters (48 bits of
 * creation time, 80 random bits), e.g. `s_01hzy3k7m2q9v8c4x6t1b5n0rd`. Minted once by the gateway
 * and never changed: it is what every attach and resume uses. Sorting ids sorts sessions by
 * creation time.
 */
export type SessionId = string & core.$brand<'SessionId'>;

/** True when `value` is a well-formed durable session id. */
export function isSessionId(value: unknown): value is SessionId {
  return typeof value === 'string' && sessionIdPattern.test(value);
}

/**
 * Validates a session id typed by a person or read from a file.
 * @throws TypeError naming the bad value (a string in quotes, anything else as it is) and the
 *   expected shape
 */
export function parseSessionId(value: string): SessionId {
  if (!isSessionId(value)) {
    throw new TypeError(
      `${describeValue(value)} is not a Lifeline session id: expected s_ followed by 26 lowercase letters and digits (see \`lifeline sessions\`)`,
    );
  }
  return value;
}

/** Sources the id is minted from: injected so tests are deterministic. */
export interface SessionIdSources {
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Fills the array with random bytes. @default crypto.getRandomValues */
  randomBytes?: (bytes: Uint8Array) => Uint8Array;
}

/** Mints a new durable session id. */
export function createSessionId(sources: SessionIdSources = {}): SessionId {
  const now = sources.now ?? Date.now;
  const randomBytes = sources.randomBytes ?? ((bytes: Uint8Array) => crypto.getRandomValues(bytes));
  let time = Math.max(0, Math.floor(now()));
  let timePart = '';
  for (let index = 0; index < 10; index += 1) {
    timePart = crockfordAlphabet.charAt(time % 32) + timePart;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(new Uint8Array(16));
  let randomPart = '';
  for (let index = 0; index < 16; index += 1) {
    randomPart += crockfordAlphabet.charAt((random[index] ?? 0) % 32);
  }
  return `s_${timePart}${randomPart}` as SessionId;
}
