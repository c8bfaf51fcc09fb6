import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transport } from './transport.js';

const storageKey = Symbol.for('@lifeline/transport.currentTransport');

/** One storage per process, shared by every copy of this package. */
function storage(): AsyncLocalStorage<Transport> {
  const registry = globalThis as unknown as Record<
    symbol,
    AsyncLocalStorage<Transport> | undefined
  >;
  let store = registry[storageKey];
  if (store === undefined) {
    store = new AsyncLocalStorage<Transport>();
    registry[storageKey] = store;
  }
  return store;
}

/**
 * Runs `fn` with `transport` as the current transport: `currentTransport()` returns it anywhere
 * in `fn`, including after `await`s and in callbacks it schedules. Request handlers use this to
 * reply to the peer that asked.
 */
export function runWithTransport<T>(transport: Transport, fn: () => T): T {
  return storage().run(transport, fn);
}

/** The transport bound by the innermost `runWithTransport`, or `undefined` outside of one. */
export function currentTransport(): Transport | undefined {
  return storage().getStore();
}
