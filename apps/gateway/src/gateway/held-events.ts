import type { SessionEvent } from '@lifeline/protocol';
import { windowedSize } from './output-window.js';

/**
 * Live events kept in memory for a client that is behind: consecutive seqs, up to `limit`
 * characters of output. What does not fit (or does not follow on) is left to the log.
 */
export class HeldEvents {
  private events: SessionEvent[] = [];
  private head = 0;
  private characters = 0;

  constructor(private readonly limit: number) {}

  /** Characters of output held. */
  get size(): number {
    return this.characters;
  }

  get isEmpty(): boolean {
    return this.head >= this.events.length;
  }

  /**
   * Keeps `event` when it follows the last one held (when none is, when it is `nextSeq`) and
   * fits; otherwise lets go of everything held and returns false: the log has it all.
   */
  keep(event: SessionEvent, nextSeq: number): boolean {
    const last = this.isEmpty ? undefined : this.events.at(-1);
    const follows = event.seq === (last === undefined ? nextSeq : last.seq + 1);
    const size = windowedSize(event);
    if (!follows || this.characters + size > this.limit) {
      this.clear();
      return false;
    }
    this.events.push(event);
    this.characters += size;
    return true;
  }

  /** The held event for `seq`, once those before it are let go; `undefined` when it is not held. */
  next(seq: number): SessionEvent | undefined {
    while (!this.isEmpty && (this.events[this.head] as SessionEvent).seq < seq) this.take();
    const event = this.events[this.head];
    return event?.seq === seq ? event : undefined;
  }

  /** Lets go of the oldest held event. */
  take(): void {
    const event = this.events[this.head];
    if (event === undefined) return;
    this.head += 1;
    this.characters -= windowedSize(event);
    if (this.isEmpty) this.clear();
    else if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.events = [];
    this.head = 0;
    this.characters = 0;
  }
}
