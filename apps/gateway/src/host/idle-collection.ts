/** A clock and timers, injected so that tests can drive time. */
export interface IdleCollectionClock {
  now(): number;
  /** Schedules `callback`; the timer must not keep the process alive. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: IdleCollectionClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/**
 * Runs `collect` (a full garbage collection) once a session has been idle for `idleMs` after
 * something happened in it, and every `busyMs` while things keep happening. V8 collects its old
 * generation only as that fills up, so the garbage of a session's runs would otherwise stay
 * resident, growing with every run, for as long as the session lives. None while nothing happens.
 */
export class IdleCollection {
  readonly #idleMs: number;
  readonly #busyMs: number;
  readonly #collect: () => void;
  readonly #clock: IdleCollectionClock;
  #lastActivity = 0;
  /** Since when things have kept happening without a collection. */
  #busySince = 0;
  #timer: unknown;
  #closed = false;

  constructor(
    timing: { idleMs: number; busyMs: number },
    collect: () => void,
    clock: IdleCollectionClock = systemClock,
  ) {
    this.#idleMs = timing.idleMs;
    this.#busyMs = timing.busyMs;
    this.#collect = collect;
    this.#clock = clock;
  }

  /** Something happened in the session (an event was logged): cheap, called for each. */
  activity(): void {
    this.#lastActivity = this.#clock.now();
    if (this.#timer !== undefined || this.#closed) return;
    this.#busySince = this.#lastActivity;
    this.#arm(this.#idleMs);
  }

  /** Stops for good (the host is closing). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      const now = this.#clock.now();
      const idle = now - this.#lastActivity;
      if (idle >= this.#idleMs || now - this.#busySince >= this.#busyMs) {
        this.#collect();
        this.#busySince = now;
      }
      if (idle < this.#idleMs) this.#arm(this.#idleMs - idle);
    }, ms);
  }
}
