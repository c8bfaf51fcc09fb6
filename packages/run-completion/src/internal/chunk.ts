// The coordinator accepts PTY data as strings (node-pty's default) or bytes (node-pty with
// `encoding: null`, or any other byte source) and hands output on in the form it came in. Every
// frame token is ASCII, so one scanner serves both: a string is scanned by UTF-16 code unit, bytes
// by byte, and the two agree on every character the frame grammar uses.

/** A piece of PTY output as it was ingested. */
export type Chunk = string | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Bytes looked at by hand before calling indexOf: in escape-dense output the next escape is often
// a few bytes away, and a native call costs more than that many comparisons.
const NEAR_SEARCH = 16;

/** Index of the first `code` at or after `from`, or -1. Buffers get their native memchr search. */
export function indexOfCode(data: Chunk, code: number, char: string, from: number): number {
  if (typeof data === 'string') return data.indexOf(char, from);
  const near = Math.min(data.length, from + NEAR_SEARCH);
  for (let index = from; index < near; index++) if (data[index] === code) return index;
  return near === data.length ? -1 : data.indexOf(code, near);
}

/** The code unit (string) or byte (bytes) at `index`; `index` must be in range. */
export function codeAt(data: Chunk, index: number): number {
  return typeof data === 'string' ? data.charCodeAt(index) : (data[index] as number);
}

/** A view of `data` from `start` to `end` (no copy for bytes; a cheap slice for strings). */
export function sliceChunk(data: Chunk, start: number, end: number): Chunk {
  if (start === 0 && end === data.length) return data;
  return typeof data === 'string' ? data.slice(start, end) : data.subarray(start, end);
}

/** A private copy of `data` from `start`, for bytes the caller may reuse after `ingest()` returns. */
export function copyTail(data: Chunk, start: number): Chunk {
  return typeof data === 'string' ? data.slice(start) : data.slice(start);
}

/** `head` followed by `tail`, in the representation of `tail`. */
export function concatChunks(head: Chunk, tail: Chunk): Chunk {
  if (typeof tail === 'string')
    return (typeof head === 'string' ? head : decoder.decode(head)) + tail;
  const headBytes = typeof head === 'string' ? encoder.encode(head) : head;
  const joined = new Uint8Array(headBytes.length + tail.length);
  joined.set(headBytes, 0);
  joined.set(tail, headBytes.length);
  return joined;
}

/** The ASCII characters of `data` between `start` and `end` as a string. */
export function asciiText(data: Chunk, start: number, end: number): string {
  if (typeof data === 'string') return data.slice(start, end);
  let text = '';
  for (let index = start; index < end; index++) text += String.fromCharCode(data[index] as number);
  return text;
}

/** `data` between `start` and `end` as text (bytes decoded as UTF-8, invalid sequences replaced). */
export function chunkText(data: Chunk, start: number, end: number): string {
  return typeof data === 'string'
    ? data.slice(start, end)
    : decoder.decode(data.subarray(start, end));
}

/**
 * Percent-decodes `data` between `start` and `end` into text: `%XX` becomes the byte 0xXX, every
 * other character stands for itself, and the resulting bytes are read as UTF-8.
 */
export function percentDecodedText(data: Chunk, start: number, end: number): string {
  const raw = typeof data === 'string' ? data.slice(start, end) : data.subarray(start, end);
  if (indexOfCode(raw, 0x25, '%', 0) === -1)
    return typeof raw === 'string' ? raw : decoder.decode(raw);
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  const decoded = new Uint8Array(bytes.length);
  let length = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte === 0x25 && index + 2 < bytes.length) {
      const high = hexValue(bytes[index + 1] as number);
      const low = hexValue(bytes[index + 2] as number);
      if (high >= 0 && low >= 0) {
        decoded[length++] = (high << 4) | low;
        index += 2;
        continue;
      }
    }
    decoded[length++] = byte;
  }
  return decoder.decode(decoded.subarray(0, length));
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
