import { CrashLogError } from './errors.js';
import { describeValue } from './internal/describe-value.js';

/**
 * The last `capacity` items pushed, oldest first. Pushing into a full buffer drops the oldest item
 * in O(1); nothing ever grows past the capacity.
 */
export class RingBuffer<T> implements Iterable<T> {
  readonly #items: Array<T | undefined>;
  #start = 0;
  #size = 0;
  #dropped = 0;

  /**
   * @param capacity how many items are kept (an integer ≥ 1)
   * @throws CrashLogError (`INVALID_OPTION`) for a capacity that is not an integer ≥ 1
   */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new CrashLogError(
        'INVALID_OPTION',
        `RingBuffer capacity must be an integer ≥ 1, got ${describeValue(capacity)}`,
      );
    }
    this.#items = new Array<T | undefined>(capacity);
  }

  /** How many items are held now. */
  get size(): number {
    return this.#size;
  }

  /** How many items were pushed out by newer ones since creation or the last `clear()`. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds an item, dropping the oldest one when full. */
  push(item: T): void {
    if (this.#size < this.capacity) {
      this.#items[(this.#start + this.#size) % this.capacity] = item;
      this.#size += 1;
      return;
    }
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.capacity;
    this.#dropped += 1;
  }

  /** The held items, oldest first. */
  toArray(): T[] {
    return [...this];
  }

  /** The newest `count` items (fewer when fewer are held), oldest first. */
  last(count: number): T[] {
    const items = this.toArray();
    return count <= 0 ? [] : items.slice(-count);
  }

  /** Forgets every item and resets `dropped`. */
  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
    this.#dropped = 0;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.#size; index += 1) {
      yield this.#items[(this.#start + index) % this.capacity] as T;
    }
  }
}
