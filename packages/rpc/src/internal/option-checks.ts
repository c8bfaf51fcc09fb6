import type { Transport } from '@lifeline/transport';
import { describeValue } from './describe-value.js';

// Options come from JavaScript callers and configuration too, where a number may arrive as a
// string: each check is strict about the type, and its error names the option and what it got.

/**
 * A timeout: a positive number of milliseconds or `Infinity`; `fallback` when absent.
 * @throws TypeError
 */
export function checkTimeout(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0) return value;
  throw new TypeError(
    `${name} must be a positive number of milliseconds or Infinity, got ${describeValue(value)}`,
  );
}

/**
 * A limit: a positive integer, or `Infinity` when `unlimited` may be asked for; `fallback` when
 * absent.
 * @throws TypeError
 */
export function checkLimit(
  name: string,
  value: unknown,
  fallback: number,
  unlimited: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value === 'number' &&
    value >= 1 &&
    (Number.isSafeInteger(value) || (unlimited && value === Number.POSITIVE_INFINITY))
  )
    return value;
  throw new TypeError(
    `${name} must be a positive integer${unlimited ? ' or Infinity' : ''}, got ${describeValue(value)}`,
  );
}

/**
 * One of `choices`; `fallback` when absent.
 * @throws TypeError
 */
export function checkChoice<Choice extends string>(
  name: string,
  value: unknown,
  choices: readonly Choice[],
  fallback: Choice,
): Choice {
  if (value === undefined) return fallback;
  if ((choices as readonly unknown[]).includes(value)) return value as Choice;
  const listed = choices.map((choice) => `'${choice}'`);
  throw new TypeError(
    `${name} must be ${listed.slice(0, -1).join(', ')} or ${listed.at(-1) ?? ''}, got ${describeValue(value)}`,
  );
}

/**
 * `true` or `false`; `fallback` when absent.
 * @throws TypeError
 */
export function checkFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`${name} must be true or false, got ${describeValue(value)}`);
}

/**
 * A function, or nothing.
 * @throws TypeError
 */
export function checkCallback<Callback extends (...parameters: never[]) => unknown>(
  name: string,
  value: Callback | undefined,
): Callback | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
}

/**
 * An `AbortSignal`, or nothing. Whatever has the shape of one passes (a signal from another realm
 * or a polyfill works the same), as only its `aborted`, `reason` and listeners are used.
 * @throws TypeError
 */
export function checkSignal(name: string, value: AbortSignal | undefined): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  // Passing the controller itself is the usual mistake: the signal is inside.
  const candidate = (typeof value === 'object' && (value as unknown) !== null ? value : {}) as {
    signal?: unknown;
    abort?: unknown;
  };
  const got =
    isAbortSignal(candidate.signal) && typeof candidate.abort === 'function'
      ? 'an AbortController; pass controller.signal, not the controller'
      : describeValue(value);
  throw new TypeError(`${name} must be an AbortSignal (an AbortController's signal), got ${got}`);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AbortSignal, unknown>>;
  return (
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}

/**
 * A {@link Transport}: what `spawnTransport(…).transport`, `createStreamTransport(…)` and the
 * other transports of `@lifeline/transport` make.
 * @throws TypeError
 */
export function checkTransport(transport: Transport): void {
  const candidate = (
    typeof transport === 'object' && (transport as unknown) !== null ? transport : {}
  ) as Partial<Record<keyof Transport | 'transport' | 'kill', unknown>>;
  if (
    typeof candidate.send === 'function' &&
    typeof candidate.receive === 'function' &&
    typeof candidate.close === 'function' &&
    typeof (candidate.closed as { then?: unknown } | undefined)?.then === 'function'
  )
    return;
  // spawnTransport returns { transport, child, kill }: the transport is inside.
  const got =
    candidate.transport !== undefined && typeof candidate.kill === 'function'
      ? 'the { transport, child, kill } that spawnTransport returns; pass its transport'
      : describeValue(transport);
  throw new TypeError(
    `createPeer needs a Transport (spawnTransport(…).transport, createStreamTransport(…), connectUnixSocket(…), …), got ${got}`,
  );
}
