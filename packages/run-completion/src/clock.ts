/**
 * Time as the coordinator sees it: a monotonic `now()` in milliseconds and one-shot timers.
 * Injected so that tests (and hosts with their own scheduler) control every timeout.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale; only differences are used. */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds and returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a timer made by `setTimeout`; a handle that already fired is ignored. */
  clearTimeout(handle: unknown): void;
}

/** {@link Clock} backed by `performance.now()` and the global timer functions. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};
