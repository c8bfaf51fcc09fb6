import {
  asciiText,
  type Chunk,
  codeAt,
  concatChunks,
  copyTail,
  indexOfCode,
  sliceChunk,
} from './chunk.js';
import { POSTAMBLE_PREFIX } from './frame-syntax.js';

const prefixCodes = Array.from(POSTAMBLE_PREFIX, (char) => char.charCodeAt(0));
// The prefix is searched from its first backslash, which is rare in program output (a search led
// by the space would stop at every word).
const anchorOffset = POSTAMBLE_PREFIX.indexOf('\\');
const anchorText = POSTAMBLE_PREFIX.slice(anchorOffset);
const leadText = POSTAMBLE_PREFIX.slice(0, anchorOffset);
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const SEMICOLON = 0x3b;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The narrow postamble echo sanitiser. While a postamble (or probe) line is pending it removes each
 * echo of that line, exactly as typed, plus the CR LF that directly follows it; nothing else is
 * ever dropped or changed. (Typeahead can be echoed twice: by the terminal driver when it arrives
 * while a command runs, and again by the line editor that reads it.) Lines are found through their shared prefix and then their token, so
 * the cost does not grow with the number of pending lines. An echo that a line editor redraws
 * (wrapping, horizontal scrolling) no longer matches and stays visible; completion is unaffected.
 */
export class EchoFilter {
  readonly #emit: (data: Chunk) => void;
  readonly #lines = new Map<string, string>();
  #longestLine = 0;
  #held: Chunk | undefined;
  // After a removed echo: how much of the CR LF that may follow it has been seen (0, 1, 2 = none).
  #lineEnd = 2;
  // The CR held while waiting for its LF, in the form it arrived in (string or bytes).
  #heldCr: Chunk = '\r';

  constructor(emit: (data: Chunk) => void) {
    this.#emit = emit;
  }

  /** True when output must pass through {@link push} (a line is pending or bytes are held). */
  get active(): boolean {
    return this.#lines.size > 0 || this.#held !== undefined || this.#lineEnd < 2;
  }

  /** True while bytes are held back waiting for the rest of a possible echo. */
  get holds(): boolean {
    return this.#held !== undefined;
  }

  /** Starts watching for the echo of `line` (which carries `token` after the shared prefix). */
  arm(token: string, line: string): void {
    this.#lines.set(token, line);
    if (line.length > this.#longestLine) this.#longestLine = line.length;
  }

  /** Stops watching for the echo of the line carrying `token`. */
  disarm(token: string): void {
    this.#lines.delete(token);
  }

  /** Passes `chunk` on, without the echo of any pending line. */
  push(chunk: Chunk): void {
    let data = chunk;
    if (this.#held !== undefined) {
      data = concatChunks(this.#held, chunk);
      this.#held = undefined;
    }
    let from = this.#skipLineEnd(data, 0);
    let searchFrom = from;
    while (this.#lines.size > 0) {
      const start = this.#findPrefix(data, searchFrom);
      if (start === -1) break;
      const end = this.#matchAt(data, start);
      if (end === -2) {
        // The chunk ends inside what may be an echo: hold it back.
        if (start > from) this.#emit(sliceChunk(data, from, start));
        this.#held = copyTail(data, start);
        return;
      }
      if (end === -1) {
        searchFrom = start + 1;
        continue;
      }
      if (start > from) this.#emit(sliceChunk(data, from, start));
      from = this.#skipLineEnd(data, end);
      searchFrom = from;
    }
    const holdFrom = this.#lines.size > 0 ? this.#partialEchoStart(data, from) : data.length;
    if (holdFrom > from) this.#emit(sliceChunk(data, from, holdFrom));
    if (holdFrom < data.length) this.#held = copyTail(data, holdFrom);
  }

  /** Releases whatever is held (idle, a frame arrived, or end of stream). */
  flush(): void {
    const held = this.#held;
    this.#held = undefined;
    if (this.#lineEnd === 1) this.#emit(this.#heldCr);
    this.#lineEnd = 2;
    if (held !== undefined) this.#emit(held);
  }

  // Drops the CR LF that follows a removed echo (possibly split across chunks) and returns where
  // the output resumes.
  #skipLineEnd(data: Chunk, index: number): number {
    let at = index;
    while (this.#lineEnd < 2) {
      if (at >= data.length) return at;
      if (codeAt(data, at) !== (this.#lineEnd === 0 ? CR : LF)) {
        if (this.#lineEnd === 1) this.#emit(this.#heldCr);
        this.#lineEnd = 2;
        break;
      }
      if (this.#lineEnd === 0) this.#heldCr = typeof data === 'string' ? '\r' : Uint8Array.of(CR);
      this.#lineEnd++;
      at++;
    }
    return at;
  }

  #findPrefix(data: Chunk, from: number): number {
    if (typeof data === 'string') {
      for (let searchFrom = from + anchorOffset; ;) {
        const anchor = data.indexOf(anchorText, searchFrom);
        if (anchor === -1) return -1;
        const start = anchor - anchorOffset;
        if (start >= from && data.startsWith(leadText, start)) return start;
        searchFrom = anchor + 1;
      }
    }
    let searchFrom = from + anchorOffset;
    for (;;) {
      const anchor = indexOfCode(data, BACKSLASH, '\\', searchFrom);
      if (anchor === -1) return -1;
      const start = anchor - anchorOffset;
      if (start >= from && this.#prefixAt(data, start, prefixCodes.length) === prefixCodes.length) {
        return start;
      }
      searchFrom = anchor + 1;
    }
  }

  // How many prefix characters match at `start` (stopping at the end of `data`).
  #prefixAt(data: Chunk, start: number, count: number): number {
    let matched = 0;
    while (matched < count && start + matched < data.length) {
      if (codeAt(data, start + matched) !== prefixCodes[matched]) return -1;
      matched++;
    }
    return matched;
  }

  // At a full prefix: the index after the pending line's echo, -1 when it is not one, -2 when the
  // chunk ends before that is known.
  #matchAt(data: Chunk, start: number): number {
    const tokenStart = start + prefixCodes.length;
    let index = tokenStart;
    // The token ends at the `;` of a postamble line or the space of the probe line's redirection.
    while (
      index < data.length &&
      codeAt(data, index) !== SEMICOLON &&
      codeAt(data, index) !== SPACE
    ) {
      if (index - tokenStart > 64) return -1;
      index++;
    }
    if (index >= data.length) return -2;
    const line = this.#lines.get(asciiText(data, tokenStart, index));
    if (line === undefined) return -1;
    for (let offset = index - start; offset < line.length; offset++) {
      if (start + offset >= data.length) return -2;
      if (codeAt(data, start + offset) !== line.charCodeAt(offset)) return -1;
    }
    this.#lineEnd = 0;
    return start + line.length;
  }

  // The earliest index in the tail of `data` from which the rest could still grow into a pending
  // line's echo; `data.length` when none.
  #partialEchoStart(data: Chunk, from: number): number {
    const windowStart = Math.max(from, data.length - this.#longestLine + 1);
    for (let start = windowStart; start < data.length; start++) {
      if (codeAt(data, start) !== SPACE) continue;
      const available = data.length - start;
      if (available <= prefixCodes.length) {
        if (this.#prefixAt(data, start, available) === available) return start;
        continue;
      }
      if (this.#prefixAt(data, start, prefixCodes.length) !== prefixCodes.length) continue;
      if (this.#couldBePendingLine(data, start)) return start;
    }
    return data.length;
  }

  #couldBePendingLine(data: Chunk, start: number): boolean {
    const tail = asciiText(data, start, data.length);
    for (const line of this.#lines.values()) if (line.startsWith(tail)) return true;
    return false;
  }
}
