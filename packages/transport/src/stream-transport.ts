import type { Readable, Writable } from 'node:stream';
import { checkUndecodedPrefix, DEFAULT_MAX_FRAME_BYTES } from './ndjson.js';
import type { Framing } from './internal/framing.js';
import { TransportError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import { checkByteLimit, checkDuration } from './internal/option-checks.js';
import {
  closeReasonForError,
  DEFAULT_MAX_QUEUED_BYTES,
  StreamLink,
  stalledError,
} from './internal/stream-link.js';
import type { SerializedMessage } from './internal/serialized-message.js';
import { TransportCore } from './internal/transport-core.js';
import type { CloseInfo, CloseReason, Transport } from './transport.js';

/** Default time a graceful close waits for queued output to be flushed: 2 s. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

/** Framing and limits shared by every transport over a byte stream. */
export interface NdjsonTransportOptions {
  /**
   * How messages are delimited: `ndjson` (one JSON text per line) or `content-length` (the
   * Language Server Protocol's base protocol: `Content-Length: <bytes>\r\n\r\n` then the UTF-8
   * JSON body, as language servers and vscode-jsonrpc speak it). Both sides must agree.
   * @default 'ndjson'
   */
  framing?: Framing;
  /**
   * Largest accepted inbound frame, in bytes (without its newline or header). A larger frame closes the
   * transport with reason `oversize`; its bytes are never buffered.
   * @default 16 MiB (16_777_216)
   */
  maxFrameBytes?: number;
  /**
   * Bound of the outbound queue, in bytes not yet handed to the operating system. A send that
   * would exceed it closes the transport with reason `stalled` and returns false. A single
   * message larger than the bound is still accepted when nothing else is queued.
   * @default 64 MiB (67_108_864)
   */
  maxQueuedBytes?: number;
  /**
   * How long `close()` (or the peer's EOF) waits for queued output to reach the operating system
   * before the output is destroyed.
   * @default 2000
   */
  closeTimeoutMs?: number;
  /**
   * Inbound frames whose JSON text starts with `prefix` are offered to `take` as their UTF-8 bytes
   * before they are decoded, in order with the messages delivered to the receiver: `take` returns
   * true when it has dealt with the frame (which is then not decoded), false to have it decoded
   * and delivered as any other. The bytes are valid only during the call. For a receiver that
   * passes some messages on as they are, without needing their value. NDJSON framing only.
   * @default none
   */
  undecodedFrames?: UndecodedFrames;
  /**
   * When the frames sent in one turn of the event loop are written. By default the first goes out
   * at once, so that the peer can start on it while this process works on, and the rest of the
   * turn's frames follow together in one write at its end. With `writeAtTurnEnd`, the first waits
   * for them too: every turn costs one write, one system call and one wakeup of the peer, and its
   * frames reach the peer together. For a process whose turns are short, such as a relay or a
   * server answering requests; not for one that sends what someone waits for and then works on.
   * @default false
   */
  writeAtTurnEnd?: boolean;
}

/** See {@link NdjsonTransportOptions.undecodedFrames}. */
export interface UndecodedFrames {
  /** How the frames start: printable ASCII, at least one character. */
  prefix: string;
  /** Deals with one frame (true), or leaves it to be decoded (false). */
  take(frame: Buffer): boolean;
}

/** {@link NdjsonTransportOptions} with their defaults applied. */
export interface NdjsonTransportSettings {
  framing: Framing;
  maxFrameBytes: number;
  maxQueuedBytes: number;
  closeTimeoutMs: number;
  undecodedFrames: UndecodedFrames | undefined;
  writeAtTurnEnd: boolean;
}

/**
 * Applies the defaults of {@link NdjsonTransportOptions} and validates them, so that a transport
 * can reject bad options before it spawns, listens or connects anything.
 * @throws TransportError `INVALID_OPTION`
 */
export function ndjsonTransportSettings(options: NdjsonTransportOptions): NdjsonTransportSettings {
  const framing = checkFraming(options.framing);
  return {
    framing,
    maxFrameBytes: checkByteLimit('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES),
    maxQueuedBytes: checkByteLimit(
      'maxQueuedBytes',
      options.maxQueuedBytes,
      DEFAULT_MAX_QUEUED_BYTES,
    ),
    closeTimeoutMs: checkDuration(
      'closeTimeoutMs',
      options.closeTimeoutMs,
      DEFAULT_CLOSE_TIMEOUT_MS,
    ),
    undecodedFrames: checkUndecodedFrames(options.undecodedFrames, framing),
    writeAtTurnEnd: checkFlag('writeAtTurnEnd', options.writeAtTurnEnd),
  };
}

/** Validates a yes-or-no option, which plain JavaScript callers may give as anything. */
function checkFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw new TransportError(
    'INVALID_OPTION',
    `${name} must be true or false, got ${describeValue(value)}.`,
  );
}

/** Validates the undecodedFrames option. */
function checkUndecodedFrames(
  undecoded: UndecodedFrames | undefined,
  framing: Framing,
): UndecodedFrames | undefined {
  if (undecoded === undefined) return undefined;
  if (framing !== 'ndjson') {
    throw new TransportError(
      'INVALID_OPTION',
      `undecodedFrames works with NDJSON framing only, not ${framing}; leave it out or use framing 'ndjson'.`,
    );
  }
  if (typeof undecoded.take !== 'function') {
    throw new TransportError('INVALID_OPTION', 'undecodedFrames.take must be a function.');
  }
  checkUndecodedPrefix(undecoded.prefix);
  return undecoded;
}

/** Validates the framing option, which plain JavaScript callers may get wrong. */
function checkFraming(framing: unknown): Framing {
  if (framing === undefined) return 'ndjson';
  if (framing === 'ndjson' || framing === 'content-length') return framing;
  throw new TransportError(
    'INVALID_OPTION',
    `framing must be 'ndjson' or 'content-length', got ${describeValue(framing)}.`,
  );
}

/** Options of {@link createStreamTransport}. */
export interface StreamTransportOptions extends NdjsonTransportOptions {
  /** Where inbound frames come from (`process.stdin`, a socket, …). Omit for a send-only transport. */
  input?: Readable;
  /** Where outbound frames go (`process.stdout`, a socket, …). May be the same duplex as `input`. */
  output: Writable;
}

/** A transport over a stream pair (or a WebSocket), with its outbound queue size visible. */
export interface StreamTransport extends Transport {
  /** Bytes queued for the peer and not yet handed to the operating system. */
  readonly queuedBytes: number;
  /**
   * Calls `listener` whenever the outbound queue has been handed to the operating system in full
   * after it grew past the output's high-water mark (its `drain`), so that a sender holding back
   * for {@link queuedBytes} goes on at once instead of looking again later. Returns the function
   * that stops it.
   */
  onDrain(listener: () => void): () => void;
  /** Stops reading from the peer until `resume()`; see {@link Transport.pause}. */
  pause(): void;
  /** Reads from the peer again after `pause()`. Idempotent. */
  resume(): void;
}

/**
 * A transport over any Readable/Writable pair (or one Duplex such as a socket).
 *
 * Closes with `eof` when the input ends, `peer-gone` on EPIPE/ECONNRESET-class errors or when a
 * stream is destroyed under it, `error` on any other stream error, `oversize` on a frame over
 * the limit (both streams destroyed), `stalled` when the outbound queue overflows (both streams
 * destroyed), and `local` on `close()` (queued output is flushed first, bounded by
 * `closeTimeoutMs`). The transport owns the streams: closing it ends the output and destroys the
 * input.
 * @throws TransportError `INVALID_OPTION` when `output` is not a writable stream, `input` is
 *   given but not a readable one, or another option is invalid
 */
export function createStreamTransport(options: StreamTransportOptions): StreamTransport {
  checkStreams(options);
  return new StreamPairTransport(options);
}

/** Refuses what is not a stream, which would otherwise fail inside Node's stream code. */
function checkStreams(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new TransportError(
      'INVALID_OPTION',
      `createStreamTransport needs its options, { input?, output }, got ${describeValue(options)}.`,
    );
  }
  const { input, output } = options as Partial<StreamTransportOptions>;
  if (!isStream(output, 'write')) {
    throw new TransportError(
      'INVALID_OPTION',
      `output must be a writable stream (process.stdout, a socket, …), got ${describeValue(output)}.`,
    );
  }
  if (input !== undefined && !isStream(input, 'read')) {
    throw new TransportError(
      'INVALID_OPTION',
      `input must be a readable stream (process.stdin, a socket, …), or left out for a send-only transport, got ${describeValue(input)}.`,
    );
  }
}

/** Whether `value` looks like a Node stream that can `read` or `write`. */
function isStream(value: unknown, direction: 'read' | 'write'): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stream = value as Partial<Record<'on' | 'read' | 'write', unknown>>;
  return typeof stream.on === 'function' && typeof stream[direction] === 'function';
}

/**
 * A transport over this process's stdin and stdout (for a child spawned with pipes).
 * Nothing else may write to stdout while it is in use.
 */
export function createStdioTransport(options: NdjsonTransportOptions = {}): StreamTransport {
  return new StreamPairTransport({ ...options, input: process.stdin, output: process.stdout });
}

class StreamPairTransport extends TransportCore implements StreamTransport {
  readonly #link: StreamLink;
  readonly #maxQueuedBytes: number;
  readonly #closeTimeoutMs: number;

  constructor(options: StreamTransportOptions) {
    const settings = ndjsonTransportSettings(options);
    super(settings.undecodedFrames);
    this.#maxQueuedBytes = settings.maxQueuedBytes;
    this.#closeTimeoutMs = settings.closeTimeoutMs;
    this.#link = new StreamLink(
      options.input,
      options.output,
      {
        maxFrameBytes: settings.maxFrameBytes,
        maxQueuedBytes: settings.maxQueuedBytes,
        framing: settings.framing,
        undecodedPrefix: settings.undecodedFrames?.prefix,
        writeAtTurnEnd: settings.writeAtTurnEnd,
      },
      {
        message: (value) => this.deliverMessage(value),
        undecoded: (frame) => this.offerUndecoded(frame),
        malformed: (frame) => this.deliverMalformed(frame),
        inputEnded: () => this.#finish('eof'),
        closedUnexpectedly: () => this.#finish('peer-gone'),
        failed: (error) => this.#finish(closeReasonForError(error), error),
        oversize: (error) => this.#finish('oversize', error),
      },
    );
    if (!this.#link.writable) this.#finish('peer-gone');
  }

  get queuedBytes(): number {
    return this.#link.queuedBytes;
  }

  onDrain(listener: () => void): () => void {
    return this.#link.onDrain(listener);
  }

  protected writeSerialized(serialized: SerializedMessage): boolean {
    let outcome;
    try {
      outcome = this.#link.write(serialized);
    } catch (error) {
      this.#finish('error', error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    if (outcome === 'written') return true;
    if (outcome === 'stalled') this.#finish('stalled', stalledError(this.#maxQueuedBytes));
    else this.#finish('peer-gone');
    return false;
  }

  protected closeLocally(): void {
    this.#closeGracefully('local');
  }

  protected override pauseInbound(): void {
    this.#link.pauseInput();
  }

  protected override resumeInbound(): void {
    this.#link.resumeInput();
  }

  #finish(reason: CloseReason, error?: Error): void {
    if (!this.markClosing()) return;
    if (reason === 'eof') {
      this.#closeGracefully('eof');
      return;
    }
    this.#link.detach();
    this.#link.destroy();
    this.settle(error === undefined ? { reason } : { reason, error });
  }

  #closeGracefully(reason: 'eof' | 'local'): void {
    this.#link.detach();
    this.#link.releaseInput();
    this.#link.endOutput(this.#closeTimeoutMs, () => {
      this.#link.releaseDuplexAfter(this.#closeTimeoutMs);
      const info: CloseInfo = { reason };
      this.settle(info);
    });
  }
}
