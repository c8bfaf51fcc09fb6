import { TransportError } from '../errors.js';
import { decodeFrame, serializeOnce } from '../ndjson.js';
import type { CloseInfo, MalformedFrame, Transport, TransportReceiver } from '../transport.js';
import type { UndecodedFrames } from '../stream-transport.js';
import { describeValue } from './describe-value.js';
import type { SerializedMessage } from './serialized-message.js';

/**
 * Sends a message that was already serialised, so a tee serialises once for all its transports.
 * Present on every transport of this package.
 */
export const sendSerialized = Symbol.for('@lifeline/transport.sendSerialized');

/** A transport that accepts pre-serialised messages. */
export interface SerializedSender {
  [sendSerialized](serialized: SerializedMessage): boolean;
}

/** True when `transport` accepts pre-serialised text (it comes from this package). */
export function acceptsSerialized(transport: Transport): transport is Transport & SerializedSender {
  return typeof (transport as Partial<SerializedSender>)[sendSerialized] === 'function';
}

type InboundItem =
  | { value: unknown; malformed?: undefined; frame?: undefined }
  | { value?: undefined; malformed: MalformedFrame; frame?: undefined }
  /** A frame for `undecodedFrames.take`, copied (the decoder's bytes are valid only during its call). */
  | { value?: undefined; malformed?: undefined; frame: Buffer };

/** What a transport does with frames it offers undecoded (see `NdjsonTransportOptions.undecodedFrames`). */
type UndecodedFrameTaker = Pick<UndecodedFrames, 'take'>;

/** How many inbound items are buffered before a receiver is attached, before reading pauses. */
export const backlogPauseThreshold = 1024;

/**
 * Refuses a receiver that would fail at the first frame it is given, far from the call that
 * attached it: JavaScript callers can pass anything.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkReceiver(receiver: TransportReceiver): void {
  const isObject = typeof receiver === 'object' && (receiver as unknown) !== null;
  const { message, malformed } = (isObject ? receiver : {}) as Partial<
    Record<keyof TransportReceiver, unknown>
  >;
  if (typeof message === 'function' && (malformed === undefined || typeof malformed === 'function'))
    return;
  const got = !isObject
    ? describeValue(receiver)
    : typeof message === 'function'
      ? `an object whose malformed is ${describeValue(malformed)}`
      : `an object whose message is ${describeValue(message)}`;
  throw new TransportError(
    'INVALID_OPTION',
    `receive() needs a receiver: an object with a message(value) function and, optionally, a malformed(frame) function; got ${got}.`,
  );
}

/** Rethrows an error thrown by a receiver outside of the transport's own call stack. */
function reportReceiverError(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

/**
 * Everything the transports share: the one receiver with an ordered backlog, the single `closed`
 * promise, and the "no more sends" state. Subclasses write serialised text and decide when and
 * why they close.
 */
export abstract class TransportCore implements Transport, SerializedSender {
  readonly closed: Promise<CloseInfo>;
  #resolveClosed!: (info: CloseInfo) => void;
  #receiver: TransportReceiver | undefined;
  #backlog: InboundItem[] = [];
  #backlogIndex = 0;
  #flushScheduled = false;
  #closing = false;
  #settled = false;
  /** More than `backlogPauseThreshold` items wait for a receiver to be attached. */
  #backlogFull = false;
  /** The receiver asked for a pause (`pause()`). */
  #pausedByReceiver = false;
  /** Whether reading is paused now, as last applied by `#updateReading`. */
  #readingPaused = false;
  #dropInbound = false;
  readonly #undecoded: UndecodedFrameTaker | undefined;

  /** @param undecoded takes the frames the decoder passes on undecoded, before the receiver sees them */
  constructor(undecoded?: UndecodedFrameTaker) {
    this.#undecoded = undecoded;
    this.closed = new Promise<CloseInfo>((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  get isClosed(): boolean {
    return this.#closing;
  }

  /** True once `closed` has resolved. */
  protected get isSettled(): boolean {
    return this.#settled;
  }

  send(message: unknown): boolean {
    if (this.#closing) return false;
    return this.writeSerialized(serializeOnce(message));
  }

  [sendSerialized](serialized: SerializedMessage): boolean {
    if (this.#closing) return false;
    return this.writeSerialized(serialized);
  }

  receive(receiver: TransportReceiver): void {
    checkReceiver(receiver);
    if (this.#receiver !== undefined) {
      throw new TransportError(
        'RECEIVER_ALREADY_ATTACHED',
        'This transport already has a receiver; a transport delivers each message to exactly one receiver. Fan messages out from that receiver instead.',
      );
    }
    this.#receiver = receiver;
    if (this.#backlog.length > this.#backlogIndex) this.#scheduleFlush();
  }

  pause(): void {
    this.#pausedByReceiver = true;
    this.#updateReading();
  }

  resume(): void {
    this.#pausedByReceiver = false;
    this.#updateReading();
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#dropInbound = true;
    this.#backlog = [];
    this.#backlogIndex = 0;
    this.closeLocally();
  }

  /** Writes one serialised message. Only called while not closing. */
  protected abstract writeSerialized(serialized: SerializedMessage): boolean;

  /** Tears down after `close()`; must eventually call `settle` with reason `local`. */
  protected abstract closeLocally(): void;

  /** Stops reading from the peer while no receiver takes the backlog. */
  protected pauseInbound(): void {
    // Transports that can pause their input override this.
  }

  /** Resumes reading after `pauseInbound`. */
  protected resumeInbound(): void {
    // Transports that can pause their input override this.
  }

  /** From now on `send` returns false. Returns false if that was already so. */
  protected markClosing(): boolean {
    if (this.#closing) return false;
    this.#closing = true;
    return true;
  }

  /** Resolves `closed` (once). Also marks the transport closing. */
  protected settle(info: CloseInfo): void {
    this.#closing = true;
    if (this.#settled) return;
    this.#settled = true;
    this.#resolveClosed(info);
  }

  /** Delivers one decoded inbound value, or queues it until a receiver is attached. */
  protected deliverMessage(value: unknown): void {
    if (this.#dropInbound || this.#settled) return;
    const receiver = this.#receiver;
    if (receiver !== undefined && this.#backlogIndex === this.#backlog.length) {
      try {
        receiver.message(value);
      } catch (error) {
        reportReceiverError(error);
      }
      return;
    }
    this.#enqueue({ value });
  }

  /**
   * Offers one frame the decoder did not decode to the taker, in order with the messages: at once
   * when nothing waits before it, else (copied) when the backlog reaches it. A frame not taken is
   * decoded and delivered as any other.
   */
  protected offerUndecoded(frame: Buffer): void {
    if (this.#dropInbound || this.#settled) return;
    if (this.#receiver !== undefined && this.#backlogIndex === this.#backlog.length) {
      const item = this.#takeOrDecode(frame);
      if (item?.malformed !== undefined) this.deliverMalformed(item.malformed);
      else if (item !== undefined) this.deliverMessage(item.value);
      return;
    }
    this.#enqueue({ frame: Buffer.from(frame) });
  }

  /** The frame taken (undefined), or decoded into the item to deliver in its place. */
  #takeOrDecode(frame: Buffer): InboundItem | undefined {
    try {
      if (this.#undecoded?.take(frame) === true) return undefined;
    } catch (error) {
      reportReceiverError(error);
      return undefined;
    }
    const decoded = decodeFrame(frame.toString('utf8'));
    return decoded.ok ? { value: decoded.value } : { malformed: decoded.malformed };
  }

  /** Reports one malformed inbound frame, or queues the report until a receiver is attached. */
  protected deliverMalformed(frame: MalformedFrame): void {
    if (this.#dropInbound || this.#settled) return;
    const receiver = this.#receiver;
    if (receiver !== undefined && this.#backlogIndex === this.#backlog.length) {
      if (receiver.malformed === undefined) return;
      try {
        receiver.malformed(frame);
      } catch (error) {
        reportReceiverError(error);
      }
      return;
    }
    this.#enqueue({ malformed: frame });
  }

  #enqueue(item: InboundItem): void {
    this.#backlog.push(item);
    if (this.#receiver === undefined) {
      if (this.#backlog.length - this.#backlogIndex >= backlogPauseThreshold) {
        this.#backlogFull = true;
        this.#updateReading();
      }
    } else {
      this.#scheduleFlush();
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const receiver = this.#receiver;
    if (receiver === undefined) return;
    while (this.#backlogIndex < this.#backlog.length) {
      const queued = this.#backlog[this.#backlogIndex] as InboundItem;
      this.#backlogIndex += 1;
      // Taken, or decoded and delivered in its place, before the items after it.
      const item = queued.frame === undefined ? queued : this.#takeOrDecode(queued.frame);
      if (item === undefined) continue;
      try {
        if (item.malformed === undefined) receiver.message(item.value);
        else receiver.malformed?.(item.malformed);
      } catch (error) {
        reportReceiverError(error);
      }
    }
    this.#backlog = [];
    this.#backlogIndex = 0;
    this.#backlogFull = false;
    this.#updateReading();
  }

  /** Reading stops while the backlog is full or the receiver asked; a settled transport reads nothing anyway. */
  #updateReading(): void {
    const paused = this.#backlogFull || this.#pausedByReceiver;
    if (this.#settled || paused === this.#readingPaused) return;
    this.#readingPaused = paused;
    if (paused) this.pauseInbound();
    else this.resumeInbound();
  }
}
