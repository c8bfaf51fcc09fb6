/** Keeps the last `capacity` bytes written to it. */
export class TailBuffer {
  readonly #capacity: number;
  readonly #bytes: Buffer;
  #length = 0;
  #start = 0;
  #truncated = false;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#bytes = Buffer.alloc(capacity);
  }

  push(chunk: Uint8Array): void {
    const capacity = this.#capacity;
    if (chunk.length >= capacity) {
      this.#truncated ||= chunk.length > capacity || this.#length > 0;
      this.#bytes.set(chunk.subarray(chunk.length - capacity));
      this.#start = 0;
      this.#length = capacity;
      return;
    }
    for (let offset = 0; offset < chunk.length;) {
      const writeAt = (this.#start + this.#length) % capacity;
      const room = Math.min(chunk.length - offset, capacity - writeAt);
      this.#bytes.set(chunk.subarray(offset, offset + room), writeAt);
      offset += room;
      const overflow = this.#length + room - capacity;
      if (overflow > 0) {
        this.#truncated = true;
        this.#start = (this.#start + overflow) % capacity;
        this.#length = capacity;
      } else {
        this.#length += room;
      }
    }
  }

  /** The kept bytes as UTF-8, without a multi-byte sequence cut in half at the start. */
  toString(): string {
    const end = this.#start + this.#length;
    const ordered =
      end <= this.#capacity
        ? this.#bytes.subarray(this.#start, end)
        : Buffer.concat([
            this.#bytes.subarray(this.#start),
            this.#bytes.subarray(0, end - this.#capacity),
          ]);
    let skip = 0;
    // Skip continuation bytes (10xxxxxx) left over from a character that was cut off.
    while (
      this.#truncated &&
      skip < 3 &&
      skip < ordered.length &&
      ((ordered[skip] ?? 0) & 0xc0) === 0x80
    )
      skip += 1;
    return ordered.subarray(skip).toString('utf8');
  }
}
