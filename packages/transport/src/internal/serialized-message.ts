import type { Framing } from './framing.js';

const utf8Encoder = new TextEncoder();

/**
 * A piece of a message's JSON text: a string, or the text already encoded as UTF-8 (bytes read
 * from a file, forwarded without being decoded).
 */
export type JsonTextPart = string | Uint8Array;

function partText(part: JsonTextPart): string {
  return typeof part === 'string'
    ? part
    : Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('utf8');
}

/**
 * One outbound message, serialised once and written wherever it goes: as JSON text (WebSocket
 * frames, in-memory pairs) or as a UTF-8 frame (streams, pipes, sockets; see {@link Framing}). The
 * JSON text is kept in parts so that a long string inside the message is never copied into a
 * bigger string: on Node 20 flattening a megabyte-sized concatenation costs more than encoding it.
 * Parts given as bytes are copied into the frame as they are.
 */
export class SerializedMessage {
  readonly #parts: readonly JsonTextPart[];
  #text: string | undefined;

  /** @param parts pieces of JSON text whose concatenation is the message's JSON */
  constructor(parts: readonly JsonTextPart[]) {
    this.#parts = parts;
  }

  /** The JSON text (no newline). */
  get text(): string {
    this.#text ??=
      this.#parts.length === 1
        ? partText(this.#parts[0] ?? '')
        : this.#parts.map(partText).join('');
    return this.#text;
  }

  /**
   * The fewest and the most bytes the JSON text can take as UTF-8: a string part at least one
   * byte per UTF-16 unit and at most three (a surrogate pair: 4 bytes for 2 units), a part given
   * as bytes exactly its length. The frame adds at most {@link frameOverhead}.
   */
  get textBytes(): { least: number; most: number } {
    let least = 0;
    let most = 0;
    for (const part of this.#parts) {
      if (typeof part === 'string') {
        least += part.length;
        most += part.length * 3;
      } else {
        least += part.byteLength;
        most += part.byteLength;
      }
    }
    return { least, most };
  }

  /**
   * Writes the frame (see {@link Framing}) into `buffer` at `offset`, which must have room for it
   * (the most of {@link textBytes}, plus {@link frameOverhead}, always does); returns
   * where the frame starts and ends. A Content-Length frame's body is written first, after room
   * for the longest header, and its header just before it, so the frame starts a little after
   * `offset`.
   */
  writeFrame(buffer: Buffer, offset: number, framing: Framing): FrameBounds {
    if (framing === 'ndjson') {
      const end = this.#writeText(buffer, offset);
      buffer[end] = 0x0a;
      return { start: offset, end: end + 1 };
    }
    const bodyStart = offset + maxHeaderBytes;
    return this.#writeHeader(buffer, bodyStart, this.#writeText(buffer, bodyStart));
  }

  /**
   * {@link writeFrame} when `buffer` may be too short: the frame's bounds, or `undefined` when it
   * does not fit (what was written after `offset` is then garbage). Measures nothing beforehand.
   */
  tryWriteFrame(buffer: Buffer, offset: number, framing: Framing): FrameBounds | undefined {
    const bodyStart = framing === 'ndjson' ? offset : offset + maxHeaderBytes;
    if (bodyStart >= buffer.length) return undefined;
    let end = bodyStart;
    for (const part of this.#parts) {
      if (typeof part !== 'string') {
        if (end + part.byteLength > buffer.length) return undefined;
        buffer.set(part, end);
        end += part.byteLength;
        continue;
      }
      const { read, written } = utf8Encoder.encodeInto(part, buffer.subarray(end));
      if (read !== part.length) return undefined;
      end += written;
    }
    if (framing !== 'ndjson') return this.#writeHeader(buffer, bodyStart, end);
    if (end >= buffer.length) return undefined;
    buffer[end] = 0x0a;
    return { start: offset, end: end + 1 };
  }

  /** The frame in a buffer of its own, exactly as long as it. */
  toFrame(framing: Framing): Buffer {
    const parts = this.#parts;
    const byteLengths = parts.map((part) =>
      typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.byteLength,
    );
    const bodyBytes = byteLengths.reduce((sum, length) => sum + length, 0);
    const header = framing === 'ndjson' ? '' : contentLengthHeader(bodyBytes);
    const frame = Buffer.allocUnsafe(header.length + bodyBytes + (framing === 'ndjson' ? 1 : 0));
    let offset = frame.write(header, 0, 'latin1');
    for (const [index, part] of parts.entries()) {
      const byteLength = byteLengths[index] as number;
      if (typeof part !== 'string') {
        frame.set(part, offset);
        offset += byteLength;
        continue;
      }
      // As many bytes as characters: all ASCII, which Latin-1 copies without encoding work.
      offset += frame.write(part, offset, byteLength === part.length ? 'latin1' : 'utf8');
    }
    if (framing === 'ndjson') frame[offset] = 0x0a;
    return frame;
  }

  /** Writes the JSON text as UTF-8 at `offset`; returns where it ends. */
  #writeText(buffer: Buffer, offset: number): number {
    let end = offset;
    for (const part of this.#parts) {
      if (typeof part === 'string') {
        end += buffer.write(part, end, 'utf8');
      } else {
        buffer.set(part, end);
        end += part.byteLength;
      }
    }
    return end;
  }

  /** Writes the Content-Length header of the body `[bodyStart, bodyEnd)` just before it. */
  #writeHeader(buffer: Buffer, bodyStart: number, bodyEnd: number): FrameBounds {
    const header = contentLengthHeader(bodyEnd - bodyStart);
    const start = bodyStart - header.length;
    buffer.write(header, start, 'latin1');
    return { start, end: bodyEnd };
  }
}

/** Where a frame written into a buffer lies. */
export interface FrameBounds {
  start: number;
  end: number;
}

/** The header of a Content-Length frame whose body has `bodyBytes` bytes. */
function contentLengthHeader(bodyBytes: number): string {
  return `Content-Length: ${bodyBytes}\r\n\r\n`;
}

/** Room kept for a Content-Length header: `Content-Length: ` (16), up to 16 digits, `\r\n\r\n` (4). */
const maxHeaderBytes = 36;

/** Bytes a frame takes besides its JSON text, at most (room for the header, or the newline). */
export const frameOverhead = maxHeaderBytes;
