import {
  type Chunk,
  codeAt,
  concatChunks,
  copyTail,
  chunkText,
  indexOfCode,
  percentDecodedText,
  sliceChunk,
} from './chunk.js';
import {
  CUT_COMMAND_END,
  ESC,
  FRAME_PREFIX,
  type Frame,
  type FrameKind,
  MAX_FRAME_LENGTH,
  MAX_TOKEN_LENGTH,
} from './frame-syntax.js';
import { TOKEN_HASH_SEED, type TokenTable, tokenHashStep } from './token-table.js';

/** Where the scanner sends what it found, in stream order. */
export interface FrameSink {
  /** Bytes that are not part of a frame. */
  output(data: Chunk): void;
  /** An authenticated, well-formed frame. */
  frame(frame: Frame): void;
}

const prefixCodes = Array.from(FRAME_PREFIX, (char) => char.charCodeAt(0));
const SEMICOLON = 0x3b;
const UNDERSCORE = 0x5f;
const BACKSLASH = 0x5c;
const DIGIT_ZERO = 0x30;
const PERCENT = 0x25;
const MAX_DIGITS = 10;

// Results of matching and parsing at an escape byte. Non-negative values are an index: the `;`
// after a known token (matching), or just past the frame or the malformed part of one (parsing).
const NOT_A_FRAME = -1;
const PARTIAL = -2;
const PARTIAL_AUTHENTICATED = -3;

function isTokenCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x5f // _
  );
}

/**
 * Finds frames in PTY output. Plain output costs one native `indexOf` per chunk; every escape byte
 * costs a comparison with the fixed prefix, and a prefix match one probe of the token table by the
 * hash computed while reading the token, so the cost per escape does not grow with the number of
 * registered runs and a look-alike allocates nothing.
 *
 * Only a candidate frame cut off by the end of a chunk is held back. A frame whose token is not
 * known is ordinary output. A frame with a known token but a broken body is removed up to the first
 * byte that does not fit and completes nothing (it can only come from someone holding the secret).
 */
export class FrameScanner {
  readonly #tokens: TokenTable<unknown>;
  readonly #sink: FrameSink;
  #held: Chunk | undefined;
  #heldAuthenticated = false;
  #frame: Frame | undefined;
  #token = '';
  #value = 0;
  #stop = 0;

  constructor(tokens: TokenTable<unknown>, sink: FrameSink) {
    this.#tokens = tokens;
    this.#sink = sink;
  }

  /** True while an unauthenticated partial frame is held (the idle flush may release it). */
  get holdsReleasable(): boolean {
    return this.#held !== undefined && !this.#heldAuthenticated;
  }

  /** True while any partial frame is held. */
  get holds(): boolean {
    return this.#held !== undefined;
  }

  /** Scans one chunk (after whatever partial frame the previous chunk left). */
  push(chunk: Chunk): void {
    let data = chunk;
    if (this.#held !== undefined) {
      data = concatChunks(this.#held, chunk);
      this.#held = undefined;
    }
    // One loop per representation keeps the hot path monomorphic; frames themselves are rare and
    // share the generic code below.
    if (typeof data === 'string') this.#scanString(data);
    else this.#scanBytes(data);
  }

  #scanString(data: string): void {
    const length = data.length;
    let searchFrom = 0;
    let outputFrom = 0;
    for (;;) {
      const escape = data.indexOf('\x1b', searchFrom);
      if (escape === -1) break;
      if (escape + 1 < length && data.charCodeAt(escape + 1) !== UNDERSCORE) {
        searchFrom = escape + 1;
        continue;
      }
      const match = this.#matchString(data, escape);
      if (match === NOT_A_FRAME) {
        searchFrom = escape + 1;
        continue;
      }
      const next = this.#resolve(data, escape, match, outputFrom);
      if (next < 0) return;
      searchFrom = outputFrom = next;
    }
    if (outputFrom < length) this.#sink.output(sliceChunk(data, outputFrom, length));
  }

  #scanBytes(data: Uint8Array): void {
    const length = data.length;
    let searchFrom = 0;
    let outputFrom = 0;
    for (;;) {
      const escape = indexOfCode(data, ESC, '\x1b', searchFrom);
      if (escape === -1) break;
      if (escape + 1 < length && data[escape + 1] !== UNDERSCORE) {
        searchFrom = escape + 1;
        continue;
      }
      const match = this.#matchBytes(data, escape);
      if (match === NOT_A_FRAME) {
        searchFrom = escape + 1;
        continue;
      }
      const next = this.#resolve(data, escape, match, outputFrom);
      if (next < 0) return;
      searchFrom = outputFrom = next;
    }
    if (outputFrom < length) this.#sink.output(sliceChunk(data, outputFrom, length));
  }

  // A candidate at `escape` matched the prefix and a known token (`match` is the index of the `;`
  // after the token) or ran into the end of the chunk (PARTIAL). Emits the output before it and
  // returns where scanning resumes, or -1 when the rest of the chunk is held.
  #resolve(data: Chunk, escape: number, match: number, outputFrom: number): number {
    const result =
      match === PARTIAL ? PARTIAL : this.#parseBody(data, escape, match + 1, this.#token);
    if (escape > outputFrom) this.#sink.output(sliceChunk(data, outputFrom, escape));
    if (result === PARTIAL || result === PARTIAL_AUTHENTICATED) {
      this.#held = copyTail(data, escape);
      this.#heldAuthenticated = result === PARTIAL_AUTHENTICATED;
      return -1;
    }
    const frame = this.#frame;
    this.#frame = undefined;
    if (frame !== undefined) this.#sink.frame(frame);
    return result;
  }

  /** Idle: a held partial frame without a known token turns out to be output after all. */
  releaseUnauthenticated(): void {
    if (this.#held === undefined || this.#heldAuthenticated) return;
    const held = this.#held;
    this.#held = undefined;
    this.#sink.output(held);
  }

  /**
   * End of stream: an unauthenticated partial frame is output; an authenticated one is dropped, so
   * the secret it carries never reaches the output.
   */
  finish(): void {
    if (this.#held === undefined) return;
    const held = this.#held;
    const authenticated = this.#heldAuthenticated;
    this.#held = undefined;
    if (!authenticated) this.#sink.output(held);
  }

  // The prefix and a known token after the escape at `escape`: returns the index of the `;` that
  // ends the token (the token is left in `#token`), NOT_A_FRAME, or PARTIAL.
  #matchString(data: string, escape: number): number {
    const length = data.length;
    let index = escape + 1;
    for (let offset = 1; offset < prefixCodes.length; offset++, index++) {
      if (index >= length) return PARTIAL;
      if (data.charCodeAt(index) !== prefixCodes[offset]) return NOT_A_FRAME;
    }
    const tokenStart = index;
    let hash = TOKEN_HASH_SEED;
    for (;;) {
      if (index >= length) return PARTIAL;
      const code = data.charCodeAt(index);
      if (code === SEMICOLON) break;
      if (!isTokenCode(code) || index - tokenStart >= MAX_TOKEN_LENGTH) return NOT_A_FRAME;
      hash = tokenHashStep(hash, code);
      index++;
    }
    return this.#known(data, tokenStart, index, hash);
  }

  #matchBytes(data: Uint8Array, escape: number): number {
    const length = data.length;
    let index = escape + 1;
    for (let offset = 1; offset < prefixCodes.length; offset++, index++) {
      if (index >= length) return PARTIAL;
      if (data[index] !== prefixCodes[offset]) return NOT_A_FRAME;
    }
    const tokenStart = index;
    let hash = TOKEN_HASH_SEED;
    for (;;) {
      if (index >= length) return PARTIAL;
      const code = data[index] as number;
      if (code === SEMICOLON) break;
      if (!isTokenCode(code) || index - tokenStart >= MAX_TOKEN_LENGTH) return NOT_A_FRAME;
      hash = tokenHashStep(hash, code);
      index++;
    }
    return this.#known(data, tokenStart, index, hash);
  }

  #known(data: Chunk, tokenStart: number, tokenEnd: number, hash: number): number {
    if (tokenEnd === tokenStart) return NOT_A_FRAME;
    const token = this.#tokens.find(data, tokenStart, tokenEnd, hash);
    if (token === undefined) return NOT_A_FRAME;
    this.#token = token;
    return tokenEnd;
  }

  // Everything after `<token>;`. From here on a failure is "malformed" (drop up to it), not
  // "not a frame": only a holder of the token can have printed these bytes.
  #parseBody(data: Chunk, escape: number, start: number, token: string): number {
    if (start >= data.length) return PARTIAL_AUTHENTICATED;
    const kind = String.fromCharCode(codeAt(data, start)) as FrameKind;
    let index = start + 1;
    let counter = -1;
    let status = -1;
    let cwd = '';
    let command: string | undefined;
    let commandCut = false;
    switch (kind) {
      case 'S':
      case 'E': {
        if ((index = this.#separator(data, index)) < 0) return this.#stop;
        if ((index = this.#digits(data, index)) < 0) return this.#stop;
        counter = this.#value;
        // The command line is optional: integrations that do not know it end the frame here.
        if (codeAt(data, index) !== SEMICOLON) {
          if ((index = this.#terminator(data, index)) < 0) return this.#stop;
          break;
        }
        const commandEnd = this.#cwdEnd(data, index + 1, escape);
        if (commandEnd < 0) return this.#stop;
        // A lone % ends a line its integration cut (an encoded % is %25): it goes on.
        commandCut = commandEnd > index + 1 && codeAt(data, commandEnd - 1) === PERCENT;
        const decoded = percentDecodedText(
          data,
          index + 1,
          commandCut ? commandEnd - 1 : commandEnd,
        );
        // A line ends no command: a pasted line's last line end is not part of what it runs.
        command = commandCut
          ? `${decoded.replace(/\uFFFD$/, '')}${CUT_COMMAND_END}`
          : decoded.replace(/[\r\n]+$/, '');
        index = commandEnd + 2;
        break;
      }
      case 'P':
      case 'C':
      case 'I': {
        if ((index = this.#separator(data, index)) < 0) return this.#stop;
        if (kind === 'P') {
          if ((index = this.#digits(data, index)) < 0) return this.#stop;
          counter = this.#value;
          if ((index = this.#separator(data, index)) < 0) return this.#stop;
        }
        if (kind !== 'I') {
          if ((index = this.#digits(data, index)) < 0) return this.#stop;
          status = this.#value;
          if ((index = this.#separator(data, index)) < 0) return this.#stop;
        }
        const cwdEnd = this.#cwdEnd(data, index, escape);
        if (cwdEnd < 0) return this.#stop;
        cwd =
          kind === 'P' ? percentDecodedText(data, index, cwdEnd) : chunkText(data, index, cwdEnd);
        index = cwdEnd + 2;
        break;
      }
      case 'K':
      case 'D':
        if ((index = this.#separator(data, index)) < 0) return this.#stop;
        if ((index = this.#digits(data, index)) < 0) return this.#stop;
        counter = this.#value;
        if ((index = this.#terminator(data, index)) < 0) return this.#stop;
        break;
      case 'R':
        if ((index = this.#terminator(data, index)) < 0) return this.#stop;
        break;
      default:
        return start;
    }
    this.#frame = { kind, token, counter, status, cwd, command };
    if (commandCut) this.#frame.commandCut = true;
    return index;
  }

  // The helpers below return the index after what they read, or -1 with `#stop` set to
  // PARTIAL_AUTHENTICATED (the chunk ended) or to the index of the first byte that does not fit.

  #partial(): number {
    this.#stop = PARTIAL_AUTHENTICATED;
    return -1;
  }

  #malformed(at: number): number {
    this.#stop = at;
    return -1;
  }

  #separator(data: Chunk, index: number): number {
    if (index >= data.length) return this.#partial();
    return codeAt(data, index) === SEMICOLON ? index + 1 : this.#malformed(index);
  }

  #digits(data: Chunk, index: number): number {
    let value = 0;
    let end = index;
    for (; end < data.length && end - index <= MAX_DIGITS; end++) {
      const digit = codeAt(data, end) - DIGIT_ZERO;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (end - index > MAX_DIGITS) return this.#malformed(end);
    if (end >= data.length) return this.#partial();
    if (end === index) return this.#malformed(end);
    this.#value = value;
    return end;
  }

  #terminator(data: Chunk, index: number): number {
    if (index >= data.length) return this.#partial();
    if (codeAt(data, index) !== ESC) return this.#malformed(index);
    if (index + 1 >= data.length) return this.#partial();
    return codeAt(data, index + 1) === BACKSLASH ? index + 2 : this.#malformed(index);
  }

  // The cwd (or a command line) runs to the first ESC \ (an ESC followed by anything else belongs
  // to it).
  #cwdEnd(data: Chunk, index: number, escape: number): number {
    const limit = escape + MAX_FRAME_LENGTH;
    let from = index;
    for (;;) {
      const candidate = indexOfCode(data, ESC, '\x1b', from);
      if (candidate === -1 || candidate + 1 >= limit) {
        return data.length < limit ? this.#partial() : this.#malformed(limit);
      }
      if (candidate + 1 >= data.length) return this.#partial();
      if (codeAt(data, candidate + 1) === BACKSLASH) return candidate;
      from = candidate + 1;
    }
  }
}
