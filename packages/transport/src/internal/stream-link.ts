import type { Readable, Writable } from 'node:stream';
// The module's own binding, not the global: a test's fake timers replace the global, and must not
// hold back the decoding of what was read.
import { setImmediate } from 'node:timers';
import { TransportError } from '../errors.js';
import { ContentLengthDecoder } from '../content-length.js';
import { NdjsonDecoder } from '../ndjson.js';
import { isPeerGoneError } from '../peer-gone.js';
import type { MalformedFrame } from '../transport.js';
import { FrameWriter } from './frame-writer.js';
import type { Framing } from './framing.js';
import type { WriteOutcome } from './frame-writer.js';
import type { SerializedMessage } from './serialized-message.js';

/** Default bound of the outbound queue: 64 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** What a {@link StreamLink} reports to the transport that owns it. */
export interface StreamLinkEvents {
  message(value: unknown): void;
  /** A frame that starts with the `undecodedPrefix`, as bytes valid only during the call. */
  undecoded(frame: Buffer): void;
  malformed(frame: MalformedFrame): void;
  /** The input ended cleanly (EOF). */
  inputEnded(): void;
  /** The input (or a send-only output) was closed or destroyed without an error and without EOF. */
  closedUnexpectedly(): void;
  /** A stream emitted an error. */
  failed(error: Error): void;
  /** An inbound frame exceeded the limit. */
  oversize(error: TransportError): void;
}

export interface StreamLinkOptions {
  maxFrameBytes: number;
  maxQueuedBytes: number;
  framing: Framing;
  /** NDJSON only: frames starting with it are reported as bytes, not decoded. */
  undecodedPrefix?: string | undefined;
  /** Every frame of a turn waits for the turn's end (see {@link FrameWriter}). */
  writeAtTurnEnd?: boolean;
}

/**
 * Framed JSON over a Readable/Writable pair: decodes the input, writes framed output with a bounded
 * queue (see {@link FrameWriter}), and reports stream events upward. It makes no
 * decisions about closing; its owner does.
 */
export class StreamLink {
  readonly #input: Readable | undefined;
  readonly #output: Writable;
  readonly #events: StreamLinkEvents;
  readonly #decoder: NdjsonDecoder | ContentLengthDecoder;
  readonly #frames: FrameWriter;
  #attached = true;
  /**
   * Chunks read but not decoded yet. Node reads everything a busy peer has sent before it writes
   * anything queued for that peer, so decoding while reading leaves the peer without input, waiting,
   * for as long as the decoding takes. While output is queued, a chunk read is therefore only
   * stashed, and decoded once the event loop has handled the rest of its pending I/O
   * (`setImmediate`); with nothing queued it is decoded at once, which costs nobody anything.
   */
  #undecoded: Buffer[] = [];

  readonly #onData = (chunk: Buffer | string): void => {
    if (!this.#attached) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const undecoded = this.#undecoded;
    if (undecoded.length === 0 && this.#output.writableLength === 0) {
      this.#decoder.push(bytes);
      return;
    }
    undecoded.push(bytes);
    if (undecoded.length === 1) setImmediate(this.#decodeStashed);
  };
  readonly #decodeStashed = (): void => {
    const chunks = this.#undecoded;
    try {
      // A chunk read while these are decoded joins them, after them.
      for (let index = 0; index < chunks.length && this.#attached; index += 1) {
        this.#decoder.push(chunks[index] as Buffer);
      }
    } finally {
      if (this.#undecoded === chunks) this.#undecoded = [];
    }
  };
  readonly #onEnd = (): void => {
    this.#decodeStashed();
    if (!this.#attached) return;
    this.#decoder.end();
    // A handler may have detached the link while the last frame was decoded.
    if (this.isAttached()) this.#events.inputEnded();
  };
  readonly #onError = (error: Error): void => {
    this.#decodeStashed();
    if (this.#attached) this.#events.failed(error);
  };
  readonly #onInputClose = (): void => {
    this.#decodeStashed();
    // An 'error' or 'end' that explains the close is always emitted before 'close'.
    if (this.#attached) this.#events.closedUnexpectedly();
  };
  readonly #onOutputClose = (): void => {
    this.#decodeStashed();
    // While the input is still open, its EOF (or a failing send) tells the real story: a child's
    // stdin, for one, is closed by Node when the child exits, before its stdout ends.
    const input = this.#input;
    if (this.#attached && (input === undefined || input.readableEnded || input.destroyed)) {
      this.#events.closedUnexpectedly();
    }
  };

  constructor(
    input: Readable | undefined,
    output: Writable,
    options: StreamLinkOptions,
    events: StreamLinkEvents,
  ) {
    this.#input = input;
    this.#output = output;
    this.#events = events;
    this.#frames = new FrameWriter(
      output,
      options.maxQueuedBytes,
      options.framing,
      options.writeAtTurnEnd ?? false,
    );
    const handlers = {
      message: (value: unknown) => {
        if (this.#attached) events.message(value);
      },
      malformed: (frame: MalformedFrame) => {
        if (this.#attached) events.malformed(frame);
      },
      oversize: (error: TransportError) => {
        if (this.#attached) events.oversize(error);
      },
    };
    const limits = { maxFrameBytes: options.maxFrameBytes };
    this.#decoder =
      options.framing === 'ndjson'
        ? new NdjsonDecoder(
            {
              ...handlers,
              undecoded: (frame) => {
                if (this.#attached) events.undecoded(frame);
              },
            },
            { ...limits, undecodedPrefix: options.undecodedPrefix },
          )
        : new ContentLengthDecoder(handlers, limits);
    output.on('error', this.#onError);
    if (input !== undefined && sameStream(input, output)) {
      output.on('close', this.#onInputClose);
    } else {
      output.on('close', this.#onOutputClose);
    }
    if (input !== undefined) {
      if (!sameStream(input, output)) {
        input.on('error', this.#onError);
        input.on('close', this.#onInputClose);
      }
      input.on('end', this.#onEnd);
      input.on('data', this.#onData);
    }
  }

  /** False once `detach` was called. */
  isAttached(): boolean {
    return this.#attached;
  }

  /** Bytes written but not yet handed to the operating system. */
  get queuedBytes(): number {
    return this.#output.writableLength;
  }

  /**
   * Calls `listener` whenever the output has written out everything queued after it grew past
   * its high-water mark (the stream's `drain`); returns the function that stops it.
   */
  onDrain(listener: () => void): () => void {
    const output = this.#output;
    output.on('drain', listener);
    return () => {
      output.off('drain', listener);
    };
  }

  /** True while the output can take writes. */
  get writable(): boolean {
    const output = this.#output;
    return !output.destroyed && !output.writableEnded;
  }

  /**
   * Writes one serialised message as a frame.
   * @throws the stream's synchronous error when it is not a peer-gone error
   */
  write(serialized: SerializedMessage): WriteOutcome {
    return this.#frames.write(serialized);
  }

  /** Stops reading and decoding; nothing more is reported upward. Listeners stay to absorb late errors. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#undecoded = [];
    const input = this.#input;
    if (input !== undefined) {
      input.removeListener('data', this.#onData);
      input.removeListener('end', this.#onEnd);
    }
  }

  pauseInput(): void {
    this.#input?.pause();
  }

  resumeInput(): void {
    if (this.#attached) this.#input?.resume();
  }

  /**
   * Ends the output after what is queued has been flushed, then calls `done`; destroys it when the
   * flush takes longer than `timeoutMs` (a peer that does not read).
   */
  endOutput(timeoutMs: number, done: () => void): void {
    const output = this.#output;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      output.destroy();
      finish();
    }, timeoutMs);
    timer.unref();
    if (output.destroyed || output.writableFinished) {
      finish();
      return;
    }
    output.once('close', finish);
    output.once('error', finish);
    if (output.writableEnded) {
      output.once('finish', finish);
    } else {
      output.end(finish);
    }
  }

  /** Stops reading from the input and releases it (unless it is also the output). */
  releaseInput(): void {
    const input = this.#input;
    if (input === undefined || sameStream(input, this.#output)) return;
    input.pause();
    input.destroy();
  }

  /**
   * For a duplex (a socket) whose output has been ended: gives the peer `timeoutMs` to end its
   * side too, then destroys it, so a peer that never answers cannot hold the handle open.
   * Destroying at once could make TCP reset the connection and lose what was just sent.
   */
  releaseDuplexAfter(timeoutMs: number): void {
    const output = this.#output;
    if (this.#input === undefined || !sameStream(this.#input, output) || output.destroyed) return;
    const timer = setTimeout(() => output.destroy(), timeoutMs);
    timer.unref();
    output.once('close', () => clearTimeout(timer));
  }

  /** Destroys both streams at once, discarding whatever is queued. */
  destroy(): void {
    this.#output.destroy();
    this.#input?.destroy();
  }
}

/** True when the input and the output are one duplex (a socket). */
function sameStream(input: Readable, output: Writable): boolean {
  return (input as unknown) === (output as unknown);
}

/** Classifies a stream error: the peer is gone, or something is really broken. */
export function closeReasonForError(error: Error): 'peer-gone' | 'error' {
  return isPeerGoneError(error) ? 'peer-gone' : 'error';
}

/** The error a transport closes with when the outbound queue is full. */
export function stalledError(maxQueuedBytes: number): TransportError {
  return new TransportError(
    'STALLED',
    `The peer stopped reading: more than ${maxQueuedBytes} bytes are waiting to be written (maxQueuedBytes). The transport was closed instead of buffering without bound.`,
    { limitBytes: maxQueuedBytes },
  );
}
