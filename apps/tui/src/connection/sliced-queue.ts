/** What a {@link SlicedQueue} needs from its surroundings. */
export interface SlicedQueueOptions<T> {
  /** Applies one item; items are applied in the order they were pushed. */
  apply(item: T): void;
  /** The weight of an item, in whatever unit `pauseAbove` and `resumeBelow` use. */
  sizeOf(item: T): number;
  /** Above this much waiting (as of now), `pause` is called (once) so that the source stops sending. */
  pauseAbove(): number;
  /** Once less than this waits (as of now), `resume` is called (once per `pause`). */
  resumeBelow(): number;
  /** Longest a slice of work runs before the event loop gets its turn. */
  sliceMs: number;
  pause(): void;
  resume(): void;
  /** @default performance.now */
  now?: () => number;
  /** Runs the next slice after the event loop has had its turn. @default setImmediate */
  schedule?: (run: () => void) => void;
}

/**
 * Items applied in slices of bounded time, so that whatever else the process does — reading the
 * keyboard above all — waits for one slice at most, not for a whole flood of them. The source is
 * paused while too much waits, which bounds memory and passes backpressure upstream.
 */
export class SlicedQueue<T> {
  readonly #options: SlicedQueueOptions<T>;
  readonly #now: () => number;
  readonly #schedule: (run: () => void) => void;
  #items: T[] = [];
  #next = 0;
  #waiting = 0;
  #scheduled = false;
  #paused = false;

  constructor(options: SlicedQueueOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#schedule = options.schedule ?? ((run) => setImmediate(run));
  }

  /** How much waits, in `sizeOf` units. */
  get waiting(): number {
    return this.#waiting;
  }

  push(item: T): void {
    this.#items.push(item);
    this.#waiting += this.#options.sizeOf(item);
    if (!this.#paused && this.#waiting > this.#options.pauseAbove()) {
      this.#paused = true;
      this.#options.pause();
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#slice);
    }
  }

  /** Applies everything that waits, now. */
  flush(): void {
    while (this.#next < this.#items.length) this.#applyNext();
    this.#settle();
  }

  readonly #slice = (): void => {
    this.#scheduled = false;
    const deadline = this.#now() + this.#options.sliceMs;
    while (this.#next < this.#items.length) {
      this.#applyNext();
      if (this.#now() >= deadline) break;
    }
    this.#settle();
    if (this.#next < this.#items.length) {
      this.#scheduled = true;
      this.#schedule(this.#slice);
    }
  };

  #applyNext(): void {
    const item = this.#items[this.#next] as T;
    this.#next += 1;
    this.#waiting -= this.#options.sizeOf(item);
    this.#options.apply(item);
  }

  #settle(): void {
    if (this.#next >= this.#items.length) {
      this.#items = [];
      this.#next = 0;
      this.#waiting = 0;
    }
    if (this.#paused && this.#waiting < this.#options.resumeBelow()) {
      this.#paused = false;
      this.#options.resume();
    }
  }
}
