import { TransportError } from '../errors.js';

/**
 * Validates a byte limit option: a positive safe integer, or `fallback` when absent.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkByteLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TransportError(
      'INVALID_OPTION',
      `${name} must be a positive integer number of bytes, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Validates a duration option in milliseconds: finite and positive (or zero, when `allowZero`), or
 * `fallback` when absent.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkDuration(
  name: string,
  value: number | undefined,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TransportError(
      'INVALID_OPTION',
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
}
