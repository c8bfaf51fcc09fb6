/**
 * One outbound message, serialised once and written wherever it goes: as JSON text (WebSocket
 * frames, in-memory pairs) or as a newline-terminated UTF-8 frame (streams, pipes, sockets). The
 * JSON text is kept in parts so that a long string inside the message is never copied into a
 * bigger string: on Node 20 flattening a megabyte-sized concatenation costs more than encoding it.
 */
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
   * The most bytes the NDJSON frame can take, known without encoding it: UTF-8 takes at most 3
   * bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units), plus the newline.
   */
  get maxFrameBytes(): number {
    let maxBytes = 1;
    for (const part of this.#parts) maxBytes += part.length * 3;
    return maxBytes;
  }

  /** The exact size of the NDJSON frame in bytes (measured: costs a pass over the text). */
  frameBytes(): number {
    let bytes = 1;
    for (const part of this.#parts) bytes += Buffer.byteLength(part, 'utf8');
    return bytes;
  }

  /**
   * Writes the NDJSON frame (the JSON text in UTF-8, then `\n`) into `buffer` at `offset`, which
   * must have room for it (see {@link maxFrameBytes} and {@link frameBytes}); returns the bytes
   * written.
   */
  writeFrame(buffer: Buffer, offset: number): number {
    let end = offset;
    for (const part of this.#parts) end += buffer.write(part, end, 'utf8');
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
