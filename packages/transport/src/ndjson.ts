import { isAscii } from 'node:buffer';
import { TransportError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import { holdsBytesToDecode } from './internal/json-characters.js';
import { checkByteLimit } from './internal/option-checks.js';
import { cutLongStrings, longStringLength, restoreLongString } from './internal/long-strings.js';
import { plainJsonParts, plainShape } from './internal/plain-json.js';
import { frameOverhead, SerializedMessage } from './internal/serialized-message.js';
import type { MalformedFrame } from './transport.js';

/** Default maximum size of one inbound frame: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const newline = 0x0a;
const carriageReturn = 0x0d;
const excerptLength = 80;
/**
 * A partial frame buffer larger than this is released once the frame completes; one up to this
 * size is kept for the next frame, so that a stream of frames of a megabyte or so (whose buffer has
 * grown to 2 MiB) is not copied into fresh memory, a page fault per 4 KiB, for every frame.
 */
const retainedBufferBytes = 2 * 1024 * 1024;
const initialBufferBytes = 64 * 1024;

/** `JSON.stringify` as it really is: `undefined` for `undefined`, a function or a symbol. */
const stringify = JSON.stringify as (value: unknown) => string | undefined;

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * Throws when a function or symbol sits anywhere JSON.stringify would silently drop it (or turn it
 * into `null`). Runs after a successful stringify, so the graph it walks has no cycles; objects with
 * `toJSON` are not entered, as stringify does not enter them either. A walk over the keys is much
 * cheaper than a stringify replacer, which costs V8 its fast path.
 */
function rejectDroppedValues(root: object): void {
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const isArray = Array.isArray(node);
    const keys = isArray ? undefined : Object.keys(node);
    const count = isArray ? (node as unknown[]).length : (keys as string[]).length;
    for (let index = 0; index < count; index += 1) {
      const child: unknown = isArray
        ? (node as unknown[])[index]
        : (node as Record<string, unknown>)[(keys as string[])[index] as string];
      const type = typeof child;
      if (type === 'object') {
        if (child !== null && !hasToJson(child as object)) pending.push(child as object);
      } else if (type === 'function' || type === 'symbol') {
        throw new TypeError(`a ${type} cannot be represented in JSON`);
      }
    }
  }
}

/**
 * Serialises one message to JSON text (no newline).
 * @throws TypeError for a value JSON cannot represent faithfully: a cycle, a BigInt, a function or
 * symbol anywhere in it, or `undefined` at the top level. (`undefined` object properties are
 * omitted, as `JSON.stringify` does.)
 */
export function serializeMessage(message: unknown): string {
  return serializeOnce(message).text;
}

/**
 * Serialises one message for every place it is written to (see {@link SerializedMessage}).
 * @throws TypeError as {@link serializeMessage} does
 */
export function serializeOnce(message: unknown): SerializedMessage {
  const shape = plainShape(message);
  if (shape === 'plain') return new SerializedMessage([JSON.stringify(message)]);
  const parts = shape === 'long-strings' ? plainJsonParts(message) : undefined;
  return new SerializedMessage(parts ?? [serializeAnyMessage(message)]);
}

function serializeAnyMessage(message: unknown): string {
  let text: string | undefined;
  try {
    text = stringify(message);
    if (
      text !== undefined &&
      typeof message === 'object' &&
      message !== null &&
      !hasToJson(message)
    ) {
      rejectDroppedValues(message);
    }
  } catch (error) {
    throw new TypeError(
      `Cannot send a message that JSON cannot represent (${error instanceof Error ? error.message : String(error)}); nothing was written. Convert it to plain JSON data first.`,
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new TypeError(
      `Cannot send ${typeof message === 'undefined' ? 'undefined' : `a ${typeof message}`} as a message: JSON cannot represent it; nothing was written.`,
    );
  }
  return text;
}

/**
 * Encodes one message as one NDJSON line (JSON text followed by `\n`). JSON text never contains a
 * raw newline, so one message is always exactly one line.
 * @throws TypeError when the message is not serialisable (see {@link serializeMessage}).
 */
export function encodeMessage(message: unknown): string {
  return `${serializeMessage(message)}\n`;
}

/** Lines up to this size are encoded into memory the encoder keeps; longer ones get their own. */
const retainedLineBytes = 1024 * 1024;

/**
 * Encodes messages as NDJSON lines in UTF-8 bytes, into memory it reuses: each line is exactly
 * `Buffer.from(encodeMessage(message))`, made without building it as one string first (a long
 * string in the message is checked by a scan and copied in as it is, where it needs no escaping),
 * and without new memory per line. For a writer that keeps the line (a log) and may also send it
 * on (see `sendJsonText`), so that the message is serialised once.
 */
export class NdjsonLineEncoder {
  #buffer = Buffer.allocUnsafe(0);

  /**
   * The message's line, `\n` included: valid until the next call (copy what you keep).
   * @throws TypeError when the message is not serialisable (see {@link serializeMessage}).
   */
  encode(message: unknown): Buffer {
    const serialized = serializeOnce(message);
    const { least, most } = serialized.textBytes;
    if (least + frameOverhead > retainedLineBytes) return serialized.toFrame('ndjson');
    // Grown (up to the size kept) when the line may not fit; then written once, if it does.
    if (most + frameOverhead > this.#buffer.length && this.#buffer.length < retainedLineBytes) {
      this.#buffer = Buffer.allocUnsafe(
        Math.min(retainedLineBytes, Math.max(most + frameOverhead, 64 * 1024)),
      );
    }
    const fitted = serialized.tryWriteFrame(this.#buffer, 0, 'ndjson');
    return fitted === undefined
      ? serialized.toFrame('ndjson')
      : this.#buffer.subarray(fitted.start, fitted.end);
  }
}

/**
 * Deletes, in place, every key that a naive deep merge could follow into a prototype: `__proto__`
 * (JSON.parse makes it an own property), and `constructor` or `prototype` holding an object or
 * array. Iterative, so deeply nested input cannot overflow the stack. The walk costs one step per
 * object key or array element; a scan of the text would cost one per byte, which for messages
 * carrying large strings is as much as parsing them. With `strings`, placeholders left by
 * {@link cutLongStrings} are replaced by their values on the way.
 */
function dropPrototypeKeys(root: object, strings: readonly string[] | undefined): void {
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (Array.isArray(node)) {
      const array = node as unknown[];
      for (let index = 0; index < array.length; index += 1) {
        const child = array[index];
        if (typeof child === 'object' && child !== null) pending.push(child);
        else if (strings !== undefined) array[index] = restoreLongString(child, strings);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      const isObject = typeof child === 'object' && child !== null;
      if (key === '__proto__' || (isObject && (key === 'constructor' || key === 'prototype'))) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing exactly these keys is the point
        delete record[key];
      } else if (isObject) {
        pending.push(child);
      } else if (strings !== undefined) {
        record[key] = restoreLongString(child, strings);
      }
    }
  }
}

/** `JSON.parse` plus {@link dropPrototypeKeys}. */
function parseWhole(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) dropPrototypeKeys(value, undefined);
  return value;
}

/**
 * `JSON.parse` that cannot be used for prototype pollution: `__proto__` keys are dropped, and so
 * are `constructor` and `prototype` keys whose value is an object or array. A string value of 2 KiB
 * or more may share memory with `text` (it is a slice of it), so keeping it keeps `text` too.
 * @throws SyntaxError when `text` is not JSON.
 */
export function parseJson(text: string): unknown {
  return parseFrameText(text, false);
}

/** {@link parseJson}, told whether `text` is known to hold no backslash or control character. */
function parseFrameText(text: string, escapeFree: boolean): unknown {
  const skeleton = cutLongStrings(text, escapeFree);
  if (skeleton === undefined) return parseWhole(text);
  let value: unknown;
  try {
    value = JSON.parse(skeleton.text);
  } catch {
    // Not JSON: parse the text itself so that the error is the one it deserves.
    return parseWhole(text);
  }
  if (typeof value !== 'object' || value === null)
    return restoreLongString(value, skeleton.strings);
  dropPrototypeKeys(value, skeleton.strings);
  return value;
}

/** The start of a frame, safe to print: at most 80 characters, control characters escaped. */
export function frameExcerpt(text: string): string {
  const head = text.length > excerptLength ? text.slice(0, excerptLength) : text;
  const escaped = head.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > excerptLength ? `${escaped}…` : escaped;
}

/** Parses one frame of JSON text, or describes why it is not JSON. */
export function decodeFrame(
  text: string,
): { ok: true; value: unknown } | { ok: false; malformed: MalformedFrame } {
  try {
    return { ok: true, value: parseJson(text) };
  } catch (error) {
    return {
      ok: false,
      malformed: {
        excerpt: frameExcerpt(text),
        error: error instanceof Error ? error : new SyntaxError(String(error)),
      },
    };
  }
}

/** Where an {@link NdjsonDecoder} delivers what it decodes. */
export interface NdjsonDecoderHandlers {
  /** One decoded JSON value, in order. */
  message(value: unknown): void;
  /** A line that is not JSON (or, without an `oversize` handler, a frame over the limit). */
  malformed?(frame: MalformedFrame): void;
  /**
   * A frame over `maxFrameBytes`. Its bytes were never accumulated: the decoder skips to the next
   * newline and carries on. Transports close with reason `oversize` here.
   */
  oversize?(error: TransportError): void;
  /**
   * A frame whose text starts with `undecodedPrefix`, as its UTF-8 bytes (without its line end),
   * not decoded: valid only during the call (copy what you keep). Called in order with the others.
   */
  undecoded?(frame: Buffer): void;
}

/** Options of {@link NdjsonDecoder}. */
export interface NdjsonDecoderOptions {
  /**
   * Largest accepted frame in bytes, not counting the `\n` or `\r\n` that ends it.
   * @default 16 MiB (16_777_216)
   */
  maxFrameBytes?: number;
  /**
   * Frames whose text starts with this (ASCII, at least one character) go to the `undecoded`
   * handler as bytes instead of being decoded: for a receiver that passes some messages on
   * without needing their value. The limit and line ends apply to them as to any frame.
   * @default none
   */
  undecodedPrefix?: string | undefined;
}

/**
 * Validates {@link NdjsonDecoderOptions.undecodedPrefix}.
 * @throws TransportError `INVALID_OPTION`
 */
export function checkUndecodedPrefix(prefix: unknown): string | undefined {
  if (prefix === undefined) return undefined;
  if (typeof prefix !== 'string' || !/^[\x20-\x7e]+$/.test(prefix)) {
    throw new TransportError(
      'INVALID_OPTION',
      `undecodedPrefix must be a non-empty string of printable ASCII characters, got ${describeValue(prefix)}.`,
    );
  }
  return prefix;
}

/** Regions at least this long are checked for ASCII first (the check costs more on short ones). */
const asciiCheckBytes = 256;

/**
 * `bytes.toString('utf8', start, end)`, faster for ASCII text: Latin-1 decoding of ASCII gives the
 * same string without UTF-8 validation (on Node 20 about 4 times faster for large frames).
 */
function utf8Text(bytes: Buffer, start: number, end: number): string {
  return bytes.toString(isAsciiRegion(bytes, start, end) ? 'latin1' : 'utf8', start, end);
}

/** Whether `bytes[start, end)` is checked and found to be ASCII (short regions are not checked). */
function isAsciiRegion(bytes: Buffer, start: number, end: number): boolean {
  return end - start >= asciiCheckBytes && isAscii(bytes.subarray(start, end));
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Streaming NDJSON decoder: bytes in (chunks split anywhere, even inside a UTF-8 sequence or
 * between `\r` and `\n`), JSON values out. Blank lines are skipped; a line that is not JSON is
 * reported to `malformed` and decoding continues; a frame longer than `maxFrameBytes` is rejected
 * before its bytes are accumulated. Never throws because of its input; if a handler throws, the
 * remaining frames of the chunk are still decoded and the first handler error is rethrown at the
 * end of `push`.
 */
export class NdjsonDecoder {
  readonly #handlers: NdjsonDecoderHandlers;
  readonly #maxFrameBytes: number;
  /** Bytes of the unfinished frame, copied out of the chunks (callers may reuse their buffers). */
  #partial: Buffer | undefined;
  #partialLength = 0;
  /**
   * How much of the unfinished frame was checked for backslashes and control characters, and
   * whether none were found. A frame long enough to carry long strings is checked chunk by chunk
   * while the rest of it is still on its way, so that its strings need no check once it is complete.
   */
  #checkedBytes = 0;
  #escapeFree = true;
  /** Skipping the rest of an oversize frame, up to the next newline. */
  #discarding = false;
  #sawFirstFrame = false;
  #handlerError: { error: unknown } | undefined;
  readonly #undecodedPrefix: string | undefined;
  readonly #undecodedPrefixBytes: Buffer | undefined;

  constructor(handlers: NdjsonDecoderHandlers, options: NdjsonDecoderOptions = {}) {
    this.#handlers = handlers;
    this.#maxFrameBytes = checkByteLimit(
      'maxFrameBytes',
      options.maxFrameBytes,
      DEFAULT_MAX_FRAME_BYTES,
    );
    this.#undecodedPrefix = checkUndecodedPrefix(options.undecodedPrefix);
    this.#undecodedPrefixBytes =
      this.#undecodedPrefix === undefined
        ? undefined
        : Buffer.from(this.#undecodedPrefix, 'latin1');
  }

  /** The frame size limit in bytes. */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  /** Bytes held for the unfinished frame (never more than `maxFrameBytes + 1`). */
  get bufferedBytes(): number {
    return this.#partialLength;
  }

  /** Decodes one chunk of bytes. */
  push(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const length = bytes.length;
    let start = 0;
    let end = bytes.indexOf(newline);
    if (this.#discarding) {
      if (end === -1) return;
      this.#discarding = false;
      start = end + 1;
      end = bytes.indexOf(newline, start);
    } else if (this.#partialLength > 0 && end !== -1) {
      this.#finishPartial(bytes, end);
      start = end + 1;
      end = bytes.indexOf(newline, start);
    }
    if (end !== -1) {
      const last = bytes.lastIndexOf(newline);
      this.#completeLines(bytes, start, last);
      start = last + 1;
    }
    if (start < length) this.#keepPartial(bytes, start, length);
    this.#rethrowHandlerError();
  }

  /** Ends the stream: a last line without a trailing newline is decoded like any other. */
  end(): void {
    if (this.#partialLength > 0 && this.#partial !== undefined) {
      const partial = this.#partial;
      const partialLength = this.#partialLength;
      this.#resetPartial();
      this.#frame(partial, 0, partialLength);
    } else {
      this.#resetPartial();
    }
    this.#discarding = false;
    this.#rethrowHandlerError();
  }

  #finishPartial(bytes: Buffer, end: number): void {
    const total = this.#partialLength + end;
    if (total > this.#maxFrameBytes + 1) {
      // The head was within the limit; the rest of the line in this chunk is not.
      if (this.#partial !== undefined) this.#reportOversize(this.#partial, 0, this.#partialLength);
      this.#resetPartial();
      return;
    }
    const partial = this.#append(bytes, 0, end);
    let escapeFree = false;
    if (this.#checkedBytes > 0) {
      this.#checkPartial(partial[total - 1] === carriageReturn ? total - 1 : total);
      escapeFree = this.#escapeFree;
    }
    this.#resetPartial();
    this.#frame(partial, 0, total, escapeFree);
  }

  /** Checks the unfinished frame up to `end` for bytes that strings would need decoded. */
  #checkPartial(end: number): void {
    if (
      this.#escapeFree &&
      this.#partial !== undefined &&
      holdsBytesToDecode(this.#partial, this.#checkedBytes, end)
    ) {
      this.#escapeFree = false;
    }
    this.#checkedBytes = end;
  }

  #keepPartial(bytes: Buffer, start: number, end: number): void {
    const tail = end - start;
    // `+ 1` leaves room for the `\r` of a `\r\n` split across chunks.
    if (this.#partialLength + tail > this.#maxFrameBytes + 1) {
      if (this.#partialLength > 0 && this.#partial !== undefined) {
        this.#reportOversize(this.#partial, 0, this.#partialLength);
      } else {
        this.#reportOversize(bytes, start, end);
      }
      this.#resetPartial();
      this.#discarding = true;
      return;
    }
    this.#append(bytes, start, end);
    if (this.#partialLength >= longStringLength) this.#checkPartial(this.#partialLength);
  }

  /** Copies bytes onto the partial frame, growing its buffer geometrically, and returns it. */
  #append(bytes: Buffer, start: number, end: number): Buffer {
    const needed = this.#partialLength + (end - start);
    let partial = this.#partial;
    if (partial === undefined || partial.length < needed) {
      let capacity = Math.max(partial?.length ?? 0, initialBufferBytes);
      while (capacity < needed) capacity *= 2;
      capacity = Math.min(capacity, Math.max(needed, this.#maxFrameBytes + 1));
      const grown = Buffer.allocUnsafe(capacity);
      if (partial !== undefined && this.#partialLength > 0)
        partial.copy(grown, 0, 0, this.#partialLength);
      partial = grown;
      this.#partial = grown;
    }
    bytes.copy(partial, this.#partialLength, start, end);
    this.#partialLength = needed;
    return partial;
  }

  #resetPartial(): void {
    this.#partialLength = 0;
    this.#checkedBytes = 0;
    this.#escapeFree = true;
    if (this.#partial !== undefined && this.#partial.length > retainedBufferBytes)
      this.#partial = undefined;
  }

  /**
   * Decodes the complete lines in `bytes[start, end)` (`end` is the position of a newline). Runs
   * of short lines are decoded as one string each ({@link #shortLines}), instead of crossing into
   * C++ twice per line. A line long enough to carry a long string is decoded into a string of its
   * own: a long string cut out of it is a slice of that string (see `long-strings.ts`), and a
   * slice keeps the whole string it was cut from alive, for as long as the message is kept. Cut
   * from a string of many lines, one kept message of 4 KiB would keep the 64 KiB of its chunk.
   */
  #completeLines(bytes: Buffer, start: number, end: number): void {
    // Checked once for all of them: then each run and line is decoded without another check.
    const encoding = isAsciiRegion(bytes, start, end) ? 'latin1' : 'utf8';
    let runStart = start;
    let at = start;
    let lastWasLong = false;
    while (at < end) {
      // After a long line, the next is likely long too: its end, found first, tells.
      const lineEnd: number = lastWasLong ? bytes.indexOf(newline, at) : -1;
      lastWasLong = lineEnd - at >= longStringLength;
      if (!lastWasLong) {
        // A newline within the next `longStringLength` bytes ends a short line: every line up to
        // the last such newline is short, found with one call however many there are.
        const shortEnd = bytes.lastIndexOf(newline, Math.min(at + longStringLength - 1, end));
        if (shortEnd >= at) {
          at = shortEnd + 1;
          continue;
        }
        lastWasLong = true;
      }
      if (at > runStart) this.#shortLines(bytes, runStart, at - 1, encoding);
      const longEnd = lineEnd >= at ? lineEnd : bytes.indexOf(newline, at + longStringLength);
      this.#frame(bytes, at, longEnd, false, encoding);
      at = longEnd + 1;
      runStart = at;
    }
    if (end > runStart) this.#shortLines(bytes, runStart, end, encoding);
  }

  /** Decodes the lines in `bytes[start, end)` (`end` is the position of a newline) as one string. */
  #shortLines(bytes: Buffer, start: number, end: number, encoding: 'latin1' | 'utf8'): void {
    const text = bytes.toString(encoding, start, end);
    // A region within the limit cannot hold an oversize line; otherwise lines long enough to be
    // over it (in UTF-8 a character takes at most 3 bytes per UTF-16 unit) are measured.
    const mayHoldOversize = end - start > this.#maxFrameBytes;
    const suspiciousLength = Math.floor(this.#maxFrameBytes / 3);
    let lineStart = 0;
    for (;;) {
      const at = text.indexOf('\n', lineStart);
      const lineEnd = at === -1 ? text.length : at;
      let line = text.slice(lineStart, lineEnd);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (
        mayHoldOversize &&
        line.length > suspiciousLength &&
        Buffer.byteLength(line) > this.#maxFrameBytes
      ) {
        this.#reportOversizeText(line);
      } else if (this.#undecodedPrefix !== undefined && line.startsWith(this.#undecodedPrefix)) {
        // An ASCII region's characters are its bytes: the line is handed over as they are.
        this.#passUndecoded(
          encoding === 'latin1'
            ? bytes.subarray(start + lineStart, start + lineStart + line.length)
            : Buffer.from(line, 'utf8'),
        );
      } else if (line.length > 0) {
        this.#decodeText(line);
      }
      if (at === -1) return;
      lineStart = at + 1;
    }
  }

  /**
   * `escapeFree`: the frame's bytes are known to hold no backslash or control character.
   * `encoding`: how to decode them, when their region was already checked for ASCII.
   */
  #frame(
    bytes: Buffer,
    start: number,
    end: number,
    escapeFree = false,
    encoding?: 'latin1' | 'utf8',
  ): void {
    if (end > start && bytes[end - 1] === carriageReturn) end -= 1;
    if (end === start) return;
    if (end - start > this.#maxFrameBytes) {
      this.#reportOversize(bytes, start, end);
      return;
    }
    const prefix = this.#undecodedPrefixBytes;
    if (
      prefix !== undefined &&
      end - start >= prefix.length &&
      prefix.compare(bytes, start, start + prefix.length) === 0
    ) {
      this.#passUndecoded(bytes.subarray(start, end));
      return;
    }
    const text =
      encoding === undefined ? utf8Text(bytes, start, end) : bytes.toString(encoding, start, end);
    this.#decodeText(text, escapeFree);
  }

  #decodeText(frameText: string, escapeFree = false): void {
    let text = frameText;
    if (!this.#sawFirstFrame) {
      this.#sawFirstFrame = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let value: unknown;
    try {
      value = parseFrameText(text, escapeFree);
    } catch (error) {
      if (isBlank(text)) return;
      this.#callHandler('malformed', {
        excerpt: frameExcerpt(text),
        error: error instanceof Error ? error : new SyntaxError(String(error)),
      });
      return;
    }
    try {
      this.#handlers.message(value);
    } catch (error) {
      this.#handlerError ??= { error };
    }
  }

  #passUndecoded(frame: Buffer): void {
    try {
      this.#handlers.undecoded?.(frame);
    } catch (error) {
      this.#handlerError ??= { error };
    }
  }

  #reportOversizeText(line: string): void {
    const head = Buffer.from(line.slice(0, excerptLength * 4));
    this.#reportOversize(head, 0, head.length);
  }

  #reportOversize(bytes: Buffer, start: number, end: number): void {
    const error = new TransportError(
      'FRAME_TOO_LARGE',
      `An inbound frame is larger than the ${this.#maxFrameBytes}-byte limit; it was dropped without being buffered. Raise maxFrameBytes on the receiving side if frames this large are legitimate.`,
      { limitBytes: this.#maxFrameBytes },
    );
    if (this.#handlers.oversize) {
      this.#callHandler('oversize', error);
    } else {
      const head = bytes.toString('utf8', start, Math.min(end, start + excerptLength * 4));
      this.#callHandler('malformed', { excerpt: frameExcerpt(head), error });
    }
  }

  #callHandler(kind: 'malformed', frame: MalformedFrame): void;
  #callHandler(kind: 'oversize', error: TransportError): void;
  #callHandler(kind: 'malformed' | 'oversize', argument: MalformedFrame | TransportError): void {
    try {
      if (kind === 'malformed') this.#handlers.malformed?.(argument as MalformedFrame);
      else this.#handlers.oversize?.(argument as TransportError);
    } catch (error) {
      this.#handlerError ??= { error };
    }
  }

  #rethrowHandlerError(): void {
    const pending = this.#handlerError;
    if (pending === undefined) return;
    this.#handlerError = undefined;
    throw pending.error;
  }
}
