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

  /** The NDJSON frame: the JSON text in UTF-8, followed by `\n`. */
  toFrame(): Buffer {
    const parts = this.#parts;
    let maxBytes = 1;
    for (const part of parts) maxBytes += part.length * maxUtf8BytesPerUnit;
    return maxBytes <= maxSlabFrameBytes ? slabFrame(parts, maxBytes) : exactFrame(parts);
  }
}

/** UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
const maxUtf8BytesPerUnit = 3;
/**
 * Frames that may need up to this many bytes are written into a shared slab instead of a buffer of
 * their own: no allocation and no length computation per frame (on Node 20 each costs more than
 * encoding a 4 KiB frame). A slab is never written twice, so handing out views of it is safe.
 */
const maxSlabFrameBytes = 64 * 1024;
const slabBytes = 512 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

function slabFrame(parts: readonly string[], maxBytes: number): Buffer {
  if (slabUsed + maxBytes > slab.length) {
    slab = Buffer.allocUnsafeSlow(slabBytes);
    slabUsed = 0;
  }
  const start = slabUsed;
  let offset = start;
  for (const part of parts) offset += slab.write(part, offset, 'utf8');
  slab[offset] = 0x0a;
  offset += 1;
  // Keep the next frame 8-byte aligned, as Node's own buffer pool does.
  slabUsed = (offset + 7) & ~7;
  return slab.subarray(start, offset);
}

function exactFrame(parts: readonly string[]): Buffer {
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
