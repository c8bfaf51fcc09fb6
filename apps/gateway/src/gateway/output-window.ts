import { type SessionEvent, windowedSize } from '@lifeline/protocol';
import { Fifo } from './fifo.js';

/**
 * The output a client has been sent and has not yet reported as shown (`session.consumed`), for
 * a client attached with `outputWindow`: the stream sends while less than the window is
 * unreported, so that no more than about one window is ever in flight to it.
 */
export class OutputWindow {
  /** Seqs and sizes of the events sent and not yet reported, oldest first. */
  private readonly unreportedEvents = new Fifo<{ seq: number; size: number }>();
  private unreported = 0;

  /** @param size characters the client may have in flight; it may ask for another size later */
  constructor(public size: number) {}

  /** Whether the client has a whole window or more in flight. */
  get isFull(): boolean {
    return this.unreported >= this.size;
  }

  /** Characters sent and not yet reported. */
  get inFlight(): number {
    return this.unreported;
  }

  /** Counts an event sent to the client. */
  sent(event: SessionEvent): void {
    const size = windowedSize(event);
    this.unreportedEvents.push({ seq: event.seq, size });
    this.unreported += size;
  }

  /** The client has shown everything up to `seq`: what was sent up to it leaves the window. */
  consumed(seq: number): void {
    while ((this.unreportedEvents.first?.seq ?? Infinity) <= seq) {
      this.unreported -= (this.unreportedEvents.shift() as { size: number }).size;
    }
  }
}
