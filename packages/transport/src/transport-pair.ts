import { decodeFrame } from './ndjson.js';
import type { SerializedMessage } from './internal/serialized-message.js';
import { TransportCore } from './internal/transport-core.js';
import type { Transport } from './transport.js';

/**
 * Two connected in-process transports, for tests and for wiring components inside one process.
 * Messages are serialised on send (so a non-serialisable message throws exactly as on a real
 * transport) and decoded on the other side in a later macrotask, in order. `close()` on one side
 * closes it with `local` and the other with `eof` once the messages already sent have arrived.
 */
export function createTransportPair(): [Transport, Transport] {
  const left = new InMemoryTransport();
  const right = new InMemoryTransport();
  left.connect(right);
  right.connect(left);
  return [left, right];
}

class InMemoryTransport extends TransportCore {
  #peer: InMemoryTransport | undefined;
  #inbox: string[] = [];
  #peerEnded = false;
  #scheduled = false;
  #held = false;

  connect(peer: InMemoryTransport): void {
    this.#peer = peer;
  }

  protected writeSerialized(serialized: SerializedMessage): boolean {
    const peer = this.#peer;
    if (peer === undefined || peer.isClosed) {
      // The peer's end is already on its way to us; `closed` settles when it arrives.
      this.markClosing();
      return false;
    }
    peer.#accept(serialized.text);
    return true;
  }

  protected closeLocally(): void {
    this.settle({ reason: 'local' });
    if (this.#peer !== undefined) this.#peer.#acceptEnd();
  }

  #accept(text: string): void {
    this.#inbox.push(text);
    this.#schedule();
  }

  #acceptEnd(): void {
    this.#peerEnded = true;
    this.#schedule();
  }

  protected override pauseInbound(): void {
    this.#held = true;
  }

  protected override resumeInbound(): void {
    this.#held = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#held) return;
      const inbox = this.#inbox;
      this.#inbox = [];
      for (const text of inbox) {
        const decoded = decodeFrame(text);
        if (decoded.ok) this.deliverMessage(decoded.value);
        else this.deliverMalformed(decoded.malformed);
      }
      if (this.#peerEnded) this.settle({ reason: 'eof' });
    });
  }
}
