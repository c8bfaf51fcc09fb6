import { RecoveryError } from './errors.js';

declare const durableSessionIdBrand: unique symbol;

/**
 * The id of a durable session: minted once, never changes, survives every process that serves
 * it. Branded so that a per-process id (a pid, a connection id, a host's socket name) cannot be
 * passed where recovery needs the durable target: only {@link parseDurableSessionId} and
 * {@link isDurableSessionId} produce one.
 */
export type DurableSessionId = string & { readonly [durableSessionIdBrand]: true };

/**
 * `s_` then 26 lowercase Crockford base32 characters (`0-9`, `a-z` without `i`, `l`, `o`, `u`),
 * e.g. `s_01hzy3k7m2q9v8c4x6t1b5n0rd`.
 */
export const DURABLE_SESSION_ID_PATTERN = /^s_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` is a well-formed durable session id (and narrows it to the brand). */
export function isDurableSessionId(value: unknown): value is DurableSessionId {
  return typeof value === 'string' && DURABLE_SESSION_ID_PATTERN.test(value);
}

/**
 * Validates and brands a durable session id.
 * @throws RecoveryError (`INVALID_SESSION_ID`) when `value` is not `s_` + 26 lowercase Crockford
 *   base32 characters
 */
export function parseDurableSessionId(value: unknown): DurableSessionId {
  if (isDurableSessionId(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
  throw new RecoveryError(
    'INVALID_SESSION_ID',
    `not a durable session id: ${shown}; expected "s_" followed by 26 lowercase Crockford base32 ` +
      'characters (e.g. s_01hzy3k7m2q9v8c4x6t1b5n0rd)',
  );
}
