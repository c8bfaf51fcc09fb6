import { TransportError } from '../errors.js';
import { describeValue } from './describe-value.js';

/**
 * Validates a byte limit option: a positive safe integer, or `fallback` when absent.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkByteLimit(name: string, value: number | undefined, fallback: number): number {
  return checkCount(name, value, fallback, 'a positive integer number of bytes');
}

/**
 * Validates a count option: a positive safe integer, or `fallback` when absent. `expected` says
 * what it must be in the error message.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkCount(
  name: string,
  value: number | undefined,
  fallback: number,
  expected = 'a positive integer',
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TransportError(
      'INVALID_OPTION',
      `${name} must be ${expected}, got ${describeValue(value)}.`,
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
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds, got ${describeValue(value)}.`,
    );
  }
  return value;
}
