/**
 * A first-in first-out queue that takes from its front without moving the rest each time (an
 * index walks the array; the taken part is cut off once it is most of it).
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get isEmpty(): boolean {
    return this.head >= this.items.length;
  }

  /** The oldest item, or `undefined`. */
  get first(): T | undefined {
    return this.items[this.head];
  }

  /** The newest item, or `undefined`. */
  get last(): T | undefined {
    return this.isEmpty ? undefined : this.items.at(-1);
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Takes the oldest item out, or returns `undefined`. */
  shift(): T | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head += 1;
    if (this.isEmpty) this.clear();
    else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
