import { isAscii } from 'node:buffer';
import { TransportError } from './errors.js';
import { checkByteLimit } from './internal/option-checks.js';
import { DEFAULT_MAX_FRAME_BYTES, frameExcerpt, parseJson } from './ndjson.js';
import type { NdjsonDecoderHandlers } from './ndjson.js';
import type { MalformedFrame } from './transport.js';

/**
 * Longest header section accepted (all header lines with their line ends): 8 KiB. Real peers send
 * one or two short headers; a longer section is garbage, reported, and skipped.
 */
export const MAX_HEADER_BYTES = 8 * 1024;

/** Where a {@link ContentLengthDecoder} delivers what it decodes (the same as for NDJSON). */
export type ContentLengthDecoderHandlers = NdjsonDecoderHandlers;

/** Options of {@link ContentLengthDecoder}. */
export interface ContentLengthDecoderOptions {
  /**
   * Largest accepted body in bytes (the `Content-Length` value). A larger frame is reported
   * before any of its body is buffered, and its body is skipped.
   * @default 16 MiB (16_777_216)
   */
  maxFrameBytes?: number;
}

const headerEnd = Buffer.from('\r\n\r\n', 'latin1');
/** A section plus its blank line: a window this long without one holds no valid section. */
const maxSectionBytes = MAX_HEADER_BYTES + 4;
const marker = 'content-length:';
const resyncMarkers = [Buffer.from('Content-Length:', 'latin1'), Buffer.from(marker, 'latin1')];
const carriageReturn = 0x0d;
const newline = 0x0a;
const asciiCheckBytes = 256;
/**
 * Bodies that span chunks are gathered in one buffer kept for the next such body, up to this
 * size: fresh memory for every large frame costs a page fault per 4 KiB, about as much as
 * decoding it. Larger bodies get a buffer of their own, released once decoded.
 */
const retainedBufferBytes = 2 * 1024 * 1024;
const initialBufferBytes = 64 * 1024;

/** Why a header section cannot be used, or the body length and charset it announces. */
type HeaderVerdict = { ok: true; length: number } | { ok: false; problem: string; length?: number };

/**
 * Reads one header section (the lines before the blank line, ASCII). `Content-Length` is required
 * and must be a decimal byte count; `Content-Type` is accepted when its charset (if any) is UTF-8;
 * other well-formed headers are ignored, as the base protocol allows.
 */
function readHeaders(text: string): HeaderVerdict {
  let length: number | undefined;
  let charsetProblem: string | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, problem: `header line "${line}" is not "Name: value"` };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,16}$/.test(value)) {
        return { ok: false, problem: `Content-Length "${value}" is not a decimal number of bytes` };
      }
      const parsed = Number(value);
      if (length !== undefined && length !== parsed) {
        return {
          ok: false,
          problem: `two Content-Length headers disagree (${length} and ${parsed})`,
        };
      }
      length = parsed;
    } else if (name === 'content-type') {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(value)?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        charsetProblem = `Content-Type charset "${charset}" is not UTF-8, the only one supported`;
      }
    }
  }
  if (length === undefined)
    return { ok: false, problem: 'the header section has no Content-Length' };
  if (charsetProblem !== undefined) return { ok: false, problem: charsetProblem, length };
  return { ok: true, length };
}

const plainPrefix = Buffer.from('Content-Length: ', 'latin1');
const zero = 0x30;
const nine = 0x39;

/**
 * Where the body starts when the header at `at` is exactly `Content-Length: <digits>\r\n\r\n`
 * (what nearly every peer sends), or -1 for anything else, which {@link readHeaders} then reads.
 * Saves turning the header into a string and taking it apart, a good part of a small frame's cost.
 */
function plainHeaderEnd(bytes: Buffer, at: number): number {
  const digitsStart = at + plainPrefix.length;
  if (
    bytes.length < digitsStart + 5 ||
    bytes.compare(plainPrefix, 0, plainPrefix.length, at, digitsStart) !== 0
  )
    return -1;
  let end = digitsStart;
  while (
    end < bytes.length &&
    end - digitsStart < 16 &&
    (bytes[end] as number) >= zero &&
    (bytes[end] as number) <= nine
  )
    end += 1;
  if (end === digitsStart || end + 4 > bytes.length) return -1;
  const terminated =
    bytes[end] === carriageReturn &&
    bytes[end + 1] === newline &&
    bytes[end + 2] === carriageReturn &&
    bytes[end + 3] === newline;
  return terminated ? end + 4 : -1;
}

/** The length a header {@link plainHeaderEnd} accepted announces. */
function plainHeaderLength(bytes: Buffer, at: number): number {
  let length = 0;
  for (let index = at + plainPrefix.length; bytes[index] !== carriageReturn; index += 1)
    length = length * 10 + ((bytes[index] as number) - zero);
  return length;
}

/**
 * Streaming decoder of the Content-Length framing of the Language Server Protocol's base protocol:
 * each message is a header section (`Content-Length: <bytes>\r\n`, optionally `Content-Type`,
 * ended by a blank line) followed by exactly that many bytes of UTF-8 JSON. Chunks may split
 * anywhere (inside a header, between `\r` and `\n`, inside a UTF-8 sequence). A body that is not
 * JSON is reported to `malformed` and decoding continues with the next frame; a header section
 * without a usable `Content-Length` is reported and skipped up to the next `Content-Length`
 * header; a body over `maxFrameBytes` is reported to `oversize` (or `malformed`) before any of it
 * is buffered, and skipped. Never throws because of its input; a handler's first error is
 * rethrown at the end of `push`, as {@link NdjsonDecoder} does.
 */
export class ContentLengthDecoder {
  readonly #handlers: ContentLengthDecoderHandlers;
  readonly #maxFrameBytes: number;
  /** Bytes of an unfinished header section. */
  #header: Buffer | undefined;
  /** The body being filled, once its header was read. */
  #body: Buffer | undefined;
  #bodyFilled = 0;
  /** The buffer bodies up to {@link retainedBufferBytes} are gathered in (see there). */
  #retained: Buffer | undefined;
  /** Body bytes still to skip (a frame over the limit, or one with an unusable header). */
  #skipping = 0;
  /** Looking for the next `Content-Length` header after a header section that could not be used. */
  #resyncing = false;
  #handlerError: { error: unknown } | undefined;

  constructor(handlers: ContentLengthDecoderHandlers, options: ContentLengthDecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxFrameBytes = checkByteLimit(
      'maxFrameBytes',
      options.maxFrameBytes,
      DEFAULT_MAX_FRAME_BYTES,
    );
  }

  /** The body size limit in bytes. */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  /** Bytes held for the unfinished frame (at most `maxFrameBytes`, or a header section). */
  get bufferedBytes(): number {
    return (this.#header?.length ?? 0) + this.#bodyFilled;
  }

  /** Decodes one chunk of bytes. */
  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    while (at < bytes.length) {
      if (this.#skipping > 0) {
        const skipped = Math.min(this.#skipping, bytes.length - at);
        this.#skipping -= skipped;
        at += skipped;
      } else if (this.#resyncing) {
        at = this.#resync(bytes, at);
      } else if (this.#body !== undefined) {
        at = this.#fillBody(bytes, at);
      } else {
        at = this.#readHeader(bytes, at);
      }
    }
    this.#rethrowHandlerError();
  }

  /** Ends the stream: a frame cut short is reported as malformed. */
  end(): void {
    const header = this.#header;
    const body = this.#body;
    if (body !== undefined) {
      this.#malformed(
        body.toString('utf8', 0, Math.min(this.#bodyFilled, 320)),
        `the stream ended ${body.length - this.#bodyFilled} bytes before the end of a ${body.length}-byte body`,
      );
    } else if (
      header !== undefined &&
      header.some((byte) => byte !== carriageReturn && byte !== newline)
    ) {
      this.#malformed(
        header.toString('latin1', 0, 320),
        'the stream ended inside a header section',
      );
    }
    this.#header = undefined;
    this.#body = undefined;
    this.#bodyFilled = 0;
    this.#skipping = 0;
    this.#resyncing = false;
    this.#rethrowHandlerError();
  }

  /** Reads (part of) a header section from `bytes[start…]`; returns where it stopped. */
  #readHeader(bytes: Buffer, start: number): number {
    const held = this.#header;
    let at = start;
    if (held === undefined) {
      // Line ends between frames are tolerated.
      while (at < bytes.length && (bytes[at] === carriageReturn || bytes[at] === newline)) at += 1;
      if (at === bytes.length) return at;
      const bodyStart = plainHeaderEnd(bytes, at);
      if (bodyStart !== -1) return this.#headerRead(plainHeaderLength(bytes, at), bytes, bodyStart);
    }
    // A section begun in an earlier chunk is looked at together with the start of this one.
    const heldLength = held?.length ?? 0;
    const window =
      held === undefined
        ? bytes.subarray(at, at + maxSectionBytes)
        : Buffer.concat([held, bytes.subarray(at, at + maxSectionBytes - heldLength)]);
    this.#header = undefined;
    const end = window.indexOf(headerEnd);
    if (end !== -1) {
      return this.#headerComplete(
        window.toString('latin1', 0, end),
        bytes,
        at + end + headerEnd.length - heldLength,
      );
    }
    const consumed = at + window.length - heldLength;
    if (window.length >= maxSectionBytes) {
      this.#malformed(
        window.toString('latin1', 0, 320),
        `a header section is longer than ${MAX_HEADER_BYTES} bytes without the blank line that ends it`,
      );
      this.#resyncing = true;
      return consumed;
    }
    this.#header = Buffer.from(window);
    return consumed;
  }

  #headerComplete(text: string, bytes: Buffer, bodyStart: number): number {
    const verdict = readHeaders(text);
    if (!verdict.ok) {
      this.#malformed(text, `bad header: ${verdict.problem}`);
      if (verdict.length === undefined) this.#resyncing = true;
      else this.#skipping = verdict.length;
      return bodyStart;
    }
    return this.#headerRead(verdict.length, bytes, bodyStart);
  }

  /** A usable header announced a body of `length` bytes starting at `bodyStart`. */
  #headerRead(length: number, bytes: Buffer, bodyStart: number): number {
    if (length > this.#maxFrameBytes) {
      this.#reportOversize(`Content-Length: ${length}`, length);
      this.#skipping = length;
      return bodyStart;
    }
    if (bytes.length - bodyStart >= length) {
      // The whole body is in this chunk: decoded from it, without a copy.
      this.#decodeBody(bytes, bodyStart, bodyStart + length);
      return bodyStart + length;
    }
    this.#body = this.#bodyBuffer(length);
    this.#bodyFilled = 0;
    return bodyStart;
  }

  /** A buffer of exactly `length` bytes for a body that spans chunks. */
  #bodyBuffer(length: number): Buffer {
    if (length > retainedBufferBytes) return Buffer.allocUnsafe(length);
    if (this.#retained === undefined || this.#retained.length < length) {
      let capacity = Math.max(this.#retained?.length ?? 0, initialBufferBytes);
      while (capacity < length) capacity *= 2;
      this.#retained = Buffer.allocUnsafeSlow(Math.min(capacity, retainedBufferBytes));
    }
    return this.#retained.subarray(0, length);
  }

  #fillBody(bytes: Buffer, at: number): number {
    const body = this.#body as Buffer;
    const taken = Math.min(body.length - this.#bodyFilled, bytes.length - at);
    bytes.copy(body, this.#bodyFilled, at, at + taken);
    this.#bodyFilled += taken;
    if (this.#bodyFilled === body.length) {
      this.#body = undefined;
      this.#bodyFilled = 0;
      this.#decodeBody(body, 0, body.length);
    }
    return at + taken;
  }

  /** Skips to the next `Content-Length` header; returns where it starts, or the end of `bytes`. */
  #resync(bytes: Buffer, at: number): number {
    let found = -1;
    for (const marker of resyncMarkers) {
      const index = bytes.indexOf(marker, at);
      if (index !== -1 && (found === -1 || index < found)) found = index;
    }
    if (found === -1) {
      // A marker split across chunks: its possible start is kept as the beginning of a header.
      const longest = Math.min(marker.length - 1, bytes.length - at);
      for (let length = longest; length > 0; length -= 1) {
        const tail = bytes.toString('latin1', bytes.length - length).toLowerCase();
        if (marker.startsWith(tail)) {
          this.#resyncing = false;
          this.#header = Buffer.from(bytes.subarray(bytes.length - length));
          break;
        }
      }
      return bytes.length;
    }
    this.#resyncing = false;
    return found;
  }

  #decodeBody(bytes: Buffer, start: number, end: number): void {
    const ascii = end - start >= asciiCheckBytes && isAscii(bytes.subarray(start, end));
    const text = bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      this.#callMalformed({
        excerpt: frameExcerpt(text),
        error: error instanceof Error ? error : new SyntaxError(String(error)),
      });
      return;
    }
    try {
      this.#handlers.message(value);
    } catch (error) {
      this.#handlerError ??= { error };
    }
  }

  #malformed(text: string, problem: string): void {
    this.#callMalformed({
      excerpt: frameExcerpt(text),
      error: new SyntaxError(
        `${problem}; expected "Content-Length: <bytes>\\r\\n\\r\\n" before each JSON body`,
      ),
    });
  }

  #reportOversize(header: string, length: number): void {
    const error = new TransportError(
      'FRAME_TOO_LARGE',
      `An inbound frame announces ${length} bytes, more than the ${this.#maxFrameBytes}-byte limit; it was dropped without being buffered. Raise maxFrameBytes on the receiving side if frames this large are legitimate.`,
      { limitBytes: this.#maxFrameBytes },
    );
    try {
      if (this.#handlers.oversize) this.#handlers.oversize(error);
      else this.#handlers.malformed?.({ excerpt: frameExcerpt(header), error });
    } catch (handlerError) {
      this.#handlerError ??= { error: handlerError };
    }
  }

  #callMalformed(frame: MalformedFrame): void {
    try {
      this.#handlers.malformed?.(frame);
    } catch (error) {
      this.#handlerError ??= { error };
    }
  }

  #rethrowHandlerError(): void {
    const pending = this.#handlerError;
    if (pending === undefined) return;
    this.#handlerError = undefined;
    throw pending.error;
  }
}
