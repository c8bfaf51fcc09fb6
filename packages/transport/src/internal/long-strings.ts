/**
 * Parsing JSON text that carries long strings, faster than `JSON.parse` alone on Node 20.
 *
 * V8's parser reads a string value one character at a time (about 600–900 MB/s for large ones). A long string
 * value without backslashes or control characters needs no decoding at all: its characters are
 * the value. {@link cutLongStrings} finds such values with `indexOf` jumps (quotes are rare),
 * replaces each with a short placeholder, and keeps the value as a slice of the text; the caller
 * parses the small skeleton and puts the slices back with {@link restoreLongString}.
 *
 * Every replaced value was a valid JSON string token and is replaced by another, so the skeleton
 * is valid JSON exactly when the text is; callers still parse the text itself when the skeleton
 * fails, so that the error they report is `JSON.parse`'s own.
 */

import { holdsCharactersToDecode } from './json-characters.js';

/**
 * Values shorter than this are left in place. Checking a value for characters that need decoding
 * is one scan of many bytes per step (`json-characters.ts`); on Node 20 cutting it out beats the
 * parser's own copy from about 2 KiB (parsing a 4 KiB message about 20 % faster, 64 KiB 3×).
 */
export const longStringLength = 2 * 1024;

/** Placeholders are `"\u0000<index>"`; only used when the text holds no `\u0000` escape itself. */
const placeholderEscape = '\\u0000';
const placeholderMark = 0;

/** JSON text with its long string values cut out, and those values. */
export interface Skeleton {
  /** The text with each long string value replaced by a placeholder. */
  text: string;
  /** The cut values, by placeholder index. */
  strings: string[];
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Whether the string token ending at `close` is an object key (followed by `:`). */
function isKey(text: string, close: number): boolean {
  let at = close + 1;
  while (at < text.length && isJsonWhitespace(text.charCodeAt(at))) at += 1;
  return text.charCodeAt(at) === 0x3a;
}

/** The position of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (
    let quote = text.indexOf('"', open + 1);
    quote !== -1;
    quote = text.indexOf('"', quote + 1)
  ) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/**
 * Cuts the long string values that need no decoding out of `text`; `undefined` when there are
 * none (or the text is not shaped so that this is safe, e.g. it already contains `\u0000`).
 * `escapeFree`: the caller knows that `text` holds no backslash and no control character at all
 * (a decoder checks the bytes of a long frame while they arrive), so no value needs checking.
 */
export function cutLongStrings(text: string, escapeFree = false): Skeleton | undefined {
  if (text.length < longStringLength) return undefined;
  const strings: string[] = [];
  let skeleton = '';
  let copiedUpTo = 0;
  // The first backslash at or after the string being looked at: a value with one in it needs
  // decoding, found without scanning it (terminal output escapes its line ends at once).
  let backslashAt = -1;
  for (let open = text.indexOf('"'); open !== -1;) {
    const close = closingQuote(text, open);
    if (close === -1) return undefined;
    if (close - open - 1 >= longStringLength && !isKey(text, close)) {
      if (!escapeFree && backslashAt !== Number.POSITIVE_INFINITY && backslashAt <= open) {
        const found = text.indexOf('\\', open + 1);
        backslashAt = found === -1 ? Number.POSITIVE_INFINITY : found;
      }
      const escaped = !escapeFree && backslashAt < close;
      const value = escaped ? '' : text.slice(open + 1, close);
      if (escapeFree || (!escaped && !holdsCharactersToDecode(value))) {
        skeleton += `${text.slice(copiedUpTo, open)}"${placeholderEscape}${strings.length}"`;
        strings.push(value);
        copiedUpTo = close + 1;
      }
    }
    open = text.indexOf('"', close + 1);
  }
  // A placeholder must stand for nothing else: looked for only once there is something cut.
  if (strings.length === 0 || (!escapeFree && text.includes(placeholderEscape))) return undefined;
  return { text: skeleton + text.slice(copiedUpTo), strings };
}

/** The long string a parsed placeholder stands for; any other value unchanged. */
export function restoreLongString(value: unknown, strings: readonly string[]): unknown {
  if (typeof value !== 'string' || value.charCodeAt(0) !== placeholderMark) return value;
  return strings[Number(value.slice(1))];
}
