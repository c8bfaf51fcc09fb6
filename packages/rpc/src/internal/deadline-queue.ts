/** One scheduled deadline of a {@link DeadlineQueue}. */
export class DeadlineEntry<T> {
  /** True once taken as due or cancelled. */
  done = false;

  constructor(
    readonly item: T,
    readonly deadline: number,
  ) {}
}

/**
 * The deadlines of many pending things behind one timer: a binary min-heap on the deadline.
 * Cancelling only marks an entry (settled calls vastly outnumber timeouts); marked entries are
 * dropped when they reach the top, and the heap is rebuilt when they outnumber the live ones, so
 * memory stays proportional to what is pending. Pure: the caller passes the time and owns the timer.
 */
export class DeadlineQueue<T> {
  #heap: DeadlineEntry<T>[] = [];
  #live = 0;

  /** Entries neither due nor cancelled. */
  get size(): number {
    return this.#live;
  }

  /** Schedules `item` for `deadline`. */
  add(item: T, deadline: number): DeadlineEntry<T> {
    const entry = new DeadlineEntry(item, deadline);
    const heap = this.#heap;
    heap.push(entry);
    this.#live += 1;
    // Deadlines mostly arrive in increasing order, so this loop usually stops at once.
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as DeadlineEntry<T>;
      if (above.deadline <= deadline) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = entry;
    return entry;
  }

  /** Removes `entry`; it will never be due. Idempotent. */
  cancel(entry: DeadlineEntry<T>): void {
    if (entry.done) return;
    entry.done = true;
    this.#live -= 1;
    if (this.#live === 0) {
      this.#heap.length = 0;
    } else if (this.#heap.length > 64 && this.#heap.length > 2 * this.#live) {
      this.#rebuild();
    }
  }

  /** The earliest deadline still pending, or `undefined` when nothing is. */
  next(): number | undefined {
    this.#dropDoneTop();
    return this.#heap[0]?.deadline;
  }

  /** Takes every pending entry whose deadline is at or before `now`, earliest first. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (
      let top = this.#nextPending();
      top !== undefined && top.deadline <= now;
      top = this.#nextPending()
    ) {
      this.#pop();
      top.done = true;
      this.#live -= 1;
      due.push(top.item);
    }
    return due;
  }

  /** Forgets everything. */
  clear(): void {
    for (const entry of this.#heap) entry.done = true;
    this.#heap.length = 0;
    this.#live = 0;
  }

  #nextPending(): DeadlineEntry<T> | undefined {
    this.#dropDoneTop();
    return this.#heap[0];
  }

  #dropDoneTop(): void {
    while (this.#heap[0]?.done === true) this.#pop();
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    const count = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (
        right < count &&
        (heap[right] as DeadlineEntry<T>).deadline < (heap[left] as DeadlineEntry<T>).deadline
      )
        child = right;
      const below = heap[child] as DeadlineEntry<T>;
      if (below.deadline >= last.deadline) break;
      heap[index] = below;
      index = child;
    }
    heap[index] = last;
  }

  #rebuild(): void {
    const pending = this.#heap.filter((entry) => !entry.done);
    // Sorted order is a valid heap.
    pending.sort((left, right) => left.deadline - right.deadline);
    this.#heap = pending;
  }
}
