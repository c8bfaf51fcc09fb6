/**
 * One outbound message, serialised once and written wherever it goes: as JSON text (WebSocket
 * frames, in-memory pairs) or as a newline-terminated UTF-8 frame (streams, pipes, sockets). The
 * JSON text is kept in parts so that a long string inside the message is never copied into a
 * bigger string: on Node 20 flattening a megabyte-sized concatenation costs more than encoding it.
 */
const utf8Encoder = new TextEncoder();

export class SerializedMessage {
  readonly #parts: readonly string[];
  #text: string | undefined;

  /** @param parts pieces of JSON text whose concatenation is the message's JSON */
  constructor(parts: readonly string[]) {
    this.#parts = parts;
  }

  /** The JSON text (no newline). */
  get text(): string {
    this.#text ??= this.#parts.length === 1 ? (this.#parts[0] ?? '') : this.#parts.join('');
    return this.#text;
  }

  /**
   * UTF-16 units in the JSON text. The frame takes at least one byte per unit and at most three
   * (a surrogate pair: 4 bytes for 2 units), plus the newline.
   */
  get textLength(): number {
    let length = 0;
    for (const part of this.#parts) length += part.length;
    return length;
  }

  /**
   * Writes the NDJSON frame (the JSON text in UTF-8, then `\n`) into `buffer` at `offset`, which
   * must have room for it (three bytes per unit of {@link textLength}, plus one, always do);
   * returns the bytes written.
   */
  writeFrame(buffer: Buffer, offset: number): number {
    let end = offset;
    for (const part of this.#parts) end += buffer.write(part, end, 'utf8');
    buffer[end] = 0x0a;
    return end + 1 - offset;
  }

  /**
   * {@link writeFrame} when `buffer` may be too short: the bytes written, or -1 when the frame
   * does not fit (what was written after `offset` is then garbage). Measures nothing beforehand.
   */
  tryWriteFrame(buffer: Buffer, offset: number): number {
    let end = offset;
    for (const part of this.#parts) {
      const { read, written } = utf8Encoder.encodeInto(part, buffer.subarray(end));
      if (read !== part.length) return -1;
      end += written;
    }
    if (end >= buffer.length) return -1;
    buffer[end] = 0x0a;
    return end + 1 - offset;
  }

  /** The NDJSON frame in a buffer of its own, exactly as long as it. */
  toFrame(): Buffer {
    const parts = this.#parts;
    const byteLengths = parts.map((part) => Buffer.byteLength(part, 'utf8'));
    const frame = Buffer.allocUnsafe(byteLengths.reduce((sum, length) => sum + length, 1));
    let offset = 0;
    for (const [index, part] of parts.entries()) {
      const byteLength = byteLengths[index] as number;
      // As many bytes as characters: all ASCII, which Latin-1 copies without encoding work.
      offset += frame.write(part, offset, byteLength === part.length ? 'latin1' : 'utf8');
    }
    frame[offset] = 0x0a;
    return frame;
  }
}
