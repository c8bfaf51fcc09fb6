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
    this.#text ??= this.#parts.length === 1 ? (this.#parts[0] as string) : this.#parts.join('');
    return this.#text;
  }

  /** The NDJSON frame: the JSON text in UTF-8, followed by `\n`. */
  toFrame(): Buffer {
    const parts = this.#parts;
    if (parts.length === 1) return Buffer.from(`${parts[0] as string}\n`, 'utf8');
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
