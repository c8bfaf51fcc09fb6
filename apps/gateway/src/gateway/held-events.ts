import { type SessionEvent, windowedSize } from '@lifeline/protocol';
import { Fifo } from './fifo.js';

/**
 * Live events kept in memory for a client that is behind: consecutive seqs, up to `limit`
 * characters of output. What does not fit (or does not follow on) is left to the log.
 */
export class HeldEvents {
  private readonly events = new Fifo<SessionEvent>();
  private characters = 0;

  constructor(private readonly limit: number) {}

  /** Characters of output held. */
  get size(): number {
    return this.characters;
  }

  get isEmpty(): boolean {
    return this.events.isEmpty;
  }

  /**
   * Keeps `event` when it follows the last one held (when none is, when it is `nextSeq`) and
   * fits; otherwise lets go of everything held and returns false: the log has it all.
   */
  keep(event: SessionEvent, nextSeq: number): boolean {
    const last = this.events.last;
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
    while ((this.events.first?.seq ?? seq) < seq) this.take();
    const event = this.events.first;
    return event?.seq === seq ? event : undefined;
  }

  /** Lets go of the oldest held event. */
  take(): void {
    const event = this.events.shift();
    if (event !== undefined) this.characters -= windowedSize(event);
  }

  clear(): void {
    this.events.clear();
    this.characters = 0;
  }
}
