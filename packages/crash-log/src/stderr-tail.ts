import { CrashLogError } from './errors.js';
import { describeValue } from './internal/describe-value.js';

/** Options of {@link StderrTail}. */
export interface StderrTailOptions {
  /**
   * How many of the latest bytes are kept.
   * @default 4096
   */
  readonly maxBytes?: number;
}

/** True for a UTF-8 continuation byte (10xxxxxx). */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Length of the sequence a lead byte starts; 1 for anything that is not a multi-byte lead. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * The last 4 KiB a child wrote to stderr, for error messages and crash-log breadcrumbs. Bytes are
 * kept raw and decoded on read: the cut at the front never leaves half a UTF-8 character, and a
 * character still incomplete at the end is held back until the rest arrives.
 */
export class StderrTail {
  readonly #maxBytes: number;
  #bytes: Buffer = Buffer.alloc(0);
  #droppedBytes = 0;

  /** @throws CrashLogError (`INVALID_OPTION`) when `maxBytes` is not an integer ≥ 4 */
  constructor(options: StderrTailOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 4096;
    if (!Number.isInteger(this.#maxBytes) || this.#maxBytes < 4) {
      throw new CrashLogError(
        'INVALID_OPTION',
        `StderrTail maxBytes must be an integer ≥ 4, got ${describeValue(this.#maxBytes)}`,
      );
    }
  }

  /**
   * Appends a chunk as it came from the stream (a string is taken as UTF-8).
   * @throws CrashLogError (`INVALID_OPTION`) for a chunk that is neither a string nor bytes
   */
  push(chunk: Uint8Array | string): void {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new CrashLogError(
        'INVALID_OPTION',
        `StderrTail.push() takes a chunk of the stream, a string or a Uint8Array such as a Buffer (got ${describeValue(chunk)})`,
      );
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) return;
    const total = this.#bytes.length + bytes.length;
    if (total <= this.#maxBytes) {
      this.#bytes = Buffer.concat([this.#bytes, bytes]);
      return;
    }
    const excess = total - this.#maxBytes;
    this.#droppedBytes += excess;
    this.#bytes =
      excess >= this.#bytes.length
        ? Buffer.from(bytes.subarray(excess - this.#bytes.length))
        : Buffer.concat([this.#bytes.subarray(excess), bytes]);
  }

  /** How many bytes are held (at most `maxBytes`). */
  get byteLength(): number {
    return this.#bytes.length;
  }

  /** How many earlier bytes were dropped to stay within `maxBytes`. */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  /** True when earlier output was dropped, so the first line of `text` may be partial. */
  get truncated(): boolean {
    return this.#droppedBytes > 0;
  }

  /** The held bytes as text. */
  get text(): string {
    let start = 0;
    if (this.truncated) {
      // The cut may have split a character: skip its orphaned continuation bytes.
      while (start < this.#bytes.length && start < 3 && isContinuation(this.#bytes[start] ?? 0)) {
        start += 1;
      }
    }
    let end = this.#bytes.length;
    // Hold back a character whose remaining bytes have not arrived yet.
    for (let back = 1; back <= 3 && end - back >= start; back += 1) {
      const byte = this.#bytes[end - back] ?? 0;
      if (isContinuation(byte)) continue;
      if (sequenceLength(byte) > back) end -= back;
      break;
    }
    return this.#bytes.subarray(start, end).toString('utf8');
  }

  /**
   * The last `count` lines of `text` (a trailing newline does not make an empty last line), oldest
   * first. When `truncated`, the first held line may be the end of a longer one.
   */
  lastLines(count: number): string[] {
    if (count <= 0) return [];
    const lines = this.text.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  }

  /** Forgets everything held. */
  clear(): void {
    this.#bytes = Buffer.alloc(0);
    this.#droppedBytes = 0;
  }
}
