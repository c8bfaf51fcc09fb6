/** How many keys a host remembers of each kind of request by default. */
export const DEFAULT_IDEMPOTENCY_KEY_CAPACITY = 1000;

/**
 * What a host remembers of requests that carried an idempotency key: the most recent `capacity`
 * of them, so a client's retry finds its first request for as long as the host (and so the shell
 * the request was for) lives, and memory stays bounded however many keys come.
 */
export class IdempotencyKeys<Kept> {
  readonly #entries = new Map<string, Kept>();
  readonly #capacity: number;

  /** @param capacity keys kept; the oldest goes first. @default 1000 */
  constructor(capacity = DEFAULT_IDEMPOTENCY_KEY_CAPACITY) {
    this.#capacity = capacity;
  }

  /** What was kept for `key`, if it is still known. */
  get(key: string): Kept | undefined {
    return this.#entries.get(key);
  }

  /** Keeps `kept` for `key`, forgetting the oldest key when full. */
  set(key: string, kept: Kept): void {
    this.#entries.delete(key);
    this.#entries.set(key, kept);
    if (this.#entries.size <= this.#capacity) return;
    const oldest = this.#entries.keys().next();
    if (oldest.done !== true) this.#entries.delete(oldest.value);
  }

  /** Forgets `key` if `kept` is still what it names (a request that did not happen may be retried). */
  forget(key: string, kept: Kept): void {
    if (this.#entries.get(key) === kept) this.#entries.delete(key);
  }
}
