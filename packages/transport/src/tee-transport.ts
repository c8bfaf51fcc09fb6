import { serializeOnce } from './ndjson.js';
import type { SerializedMessage } from './internal/serialized-message.js';
import { acceptsSerialized, checkReceiver, sendSerialized } from './internal/transport-core.js';
import type { SerializedSender } from './internal/transport-core.js';
import type { CloseInfo, Transport, TransportReceiver } from './transport.js';

/** Options of {@link createTeeTransport}. */
export interface TeeTransportOptions {
  /** Also copy every inbound message from the primary to the secondaries. @default false */
  mirrorInbound?: boolean;
  /** Close the secondaries when the primary closes (for any reason). @default true */
  closeSecondaries?: boolean;
  /**
   * Told when a secondary throws or closes; that secondary is dropped from the tee. Never
   * affects the primary; an exception thrown here is swallowed.
   */
  onSecondaryFailure?: (secondary: Transport, error: unknown) => void;
}

/**
 * One primary transport plus best-effort secondaries (a protocol trace file, a debugging mirror).
 *
 * `send` goes to the primary first and its result and exceptions are the tee's; the message is
 * serialised once and copied to every secondary that is still open. A secondary that throws,
 * fills up (`stalled`) or closes is dropped: it can never throw into, slow down beyond one
 * queued write, or close the primary. `receive`, `closed`, `isClosed` and `close` are the
 * primary's.
 */
export function createTeeTransport(
  primary: Transport,
  secondaries: readonly Transport[],
  options: TeeTransportOptions = {},
): Transport {
  return new TeeTransport(primary, secondaries, options);
}

function sendSerializedTo(
  transport: Transport,
  serialized: SerializedMessage,
  message: unknown,
): boolean {
  return acceptsSerialized(transport)
    ? transport[sendSerialized](serialized)
    : transport.send(message);
}

class TeeTransport implements Transport, SerializedSender {
  readonly #primary: Transport;
  readonly #secondaries: Set<Transport>;
  readonly #options: TeeTransportOptions;

  constructor(primary: Transport, secondaries: readonly Transport[], options: TeeTransportOptions) {
    this.#primary = primary;
    this.#secondaries = new Set(secondaries.filter((secondary) => secondary !== primary));
    this.#options = options;
    for (const secondary of this.#secondaries) {
      void secondary.closed.then((info) => {
        if (this.#secondaries.delete(secondary))
          this.#report(secondary, info.error ?? new Error(`secondary closed (${info.reason})`));
      });
    }
    if (options.closeSecondaries ?? true) {
      void primary.closed.then(() => {
        for (const secondary of this.#secondaries) this.#closeQuietly(secondary);
        this.#secondaries.clear();
      });
    }
  }

  get closed(): Promise<CloseInfo> {
    return this.#primary.closed;
  }

  get isClosed(): boolean {
    return this.#primary.isClosed;
  }

  send(message: unknown): boolean {
    if (this.#primary.isClosed) return false;
    return this[sendSerialized](serializeOnce(message), message);
  }

  [sendSerialized](serialized: SerializedMessage, message?: unknown): boolean {
    const value: unknown = message === undefined ? JSON.parse(serialized.text) : message;
    const delivered = sendSerializedTo(this.#primary, serialized, value);
    this.#copy(serialized, value);
    return delivered;
  }

  receive(receiver: TransportReceiver): void {
    checkReceiver(receiver);
    if (!(this.#options.mirrorInbound ?? false)) {
      this.#primary.receive(receiver);
      return;
    }
    this.#primary.receive({
      message: (message) => {
        receiver.message(message);
        if (this.#secondaries.size > 0) {
          let serialized: SerializedMessage;
          try {
            serialized = serializeOnce(message);
          } catch {
            return;
          }
          this.#copy(serialized, message);
        }
      },
      malformed: (frame) => receiver.malformed?.(frame),
    });
  }

  pause(): void {
    this.#primary.pause?.();
  }

  resume(): void {
    this.#primary.resume?.();
  }

  close(): void {
    this.#primary.close();
    if (this.#options.closeSecondaries ?? true) {
      for (const secondary of this.#secondaries) this.#closeQuietly(secondary);
      this.#secondaries.clear();
    }
  }

  #copy(serialized: SerializedMessage, message: unknown): void {
    for (const secondary of this.#secondaries) {
      try {
        if (!sendSerializedTo(secondary, serialized, message))
          this.#drop(secondary, new Error('secondary is closed'));
      } catch (error) {
        this.#drop(secondary, error);
      }
    }
  }

  #drop(secondary: Transport, error: unknown): void {
    if (!this.#secondaries.delete(secondary)) return;
    this.#closeQuietly(secondary);
    this.#report(secondary, error);
  }

  #report(secondary: Transport, error: unknown): void {
    try {
      this.#options.onSecondaryFailure?.(secondary, error);
    } catch {
      // A failing failure handler must not reach the primary either.
    }
  }

  #closeQuietly(secondary: Transport): void {
    try {
      secondary.close();
    } catch {
      // Best effort.
    }
  }
}
