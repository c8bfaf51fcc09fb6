import { createJsonByteScanner, scanMemoryBytes, scanStepBytes } from './json-byte-scan.js';
import type { JsonByteScanner } from './json-byte-scan.js';

/**
 * Whether text holds the characters that matter to JSON strings, for text long enough that the
 * answer is worth knowing before handing it to `JSON.stringify` or `JSON.parse` (see
 * `plain-json.ts` and `long-strings.ts`). The WebAssembly scan of {@link createJsonByteScanner}
 * answers for all of them in one pass; without it, one `indexOf` pass per character does.
 */
export interface JsonCharacters {
  /**
   * Whether `JSON.stringify` escapes anything in `text` besides lone surrogates: a quote, a
   * backslash or a control character.
   */
  readonly holdsCharactersToEscape: (text: string) => boolean;
  /**
   * Whether the characters of a JSON string token (between its quotes) may differ from its value:
   * it holds a backslash or a control character.
   */
  readonly holdsCharactersToDecode: (text: string) => boolean;
  /**
   * Whether `bytes[start, end)`, JSON text in UTF-8 (where those bytes only ever stand for
   * themselves), holds a backslash or a control character: when it does not, every string value
   * in that text is exactly its own characters.
   */
  readonly holdsBytesToDecode: (bytes: Buffer, start: number, end: number) => boolean;
}

/**
 * The control characters U+0000–U+001F, which a JSON string cannot hold raw. Those terminal output
 * holds (LF, CR, ESC, TAB) come first, so text that has them is recognised after a short scan.
 */
const controlCharacters: readonly string[] = [
  '\n',
  '\r',
  '\u001b',
  '\t',
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter(
    (character) => !'\n\r\u001b\t'.includes(character),
  ),
];
const toEscape: readonly string[] = ['"', '\\', ...controlCharacters];
const toDecode: readonly string[] = ['\\', ...controlCharacters];
const toDecodeBytes: readonly number[] = toDecode.map((character) => character.charCodeAt(0));

const quote = 0x22;
const backslash = 0x5c;
/** Written after the bytes to scan up to a whole step: a byte the scan never looks for. */
const padding = 0x41;
/** Bytes one scan covers, leaving room for the padding. */
const windowBytes = scanMemoryBytes - scanStepBytes;

function includesAny(text: string, characters: readonly string[]): boolean {
  for (const character of characters) {
    if (text.includes(character)) return true;
  }
  return false;
}

/** One `indexOf` pass per character looked for. */
const searchedByIndexOf: JsonCharacters = {
  holdsCharactersToEscape: (text) => includesAny(text, toEscape),
  holdsCharactersToDecode: (text) => includesAny(text, toDecode),
  holdsBytesToDecode: (bytes, start, end) => {
    const region = bytes.subarray(start, end);
    return toDecodeBytes.some((byte) => region.includes(byte));
  },
};

function scannedBy({ memory, holds }: JsonByteScanner): JsonCharacters {
  /** Scans the first `length` bytes of the scanner's memory. */
  const scanned = (length: number, extra: number): boolean => {
    const end = Math.ceil(length / scanStepBytes) * scanStepBytes;
    memory.fill(padding, length, end);
    return holds(end, extra);
  };
  /** Whether `text`, written into the scanner's memory in `encoding`, holds a byte looked for. */
  const scanText = (text: string, extra: number, encoding: 'latin1' | 'utf8'): boolean => {
    // UTF-8 takes up to 3 bytes per UTF-16 unit; a window must fit the memory whole.
    const window = encoding === 'latin1' ? windowBytes : Math.floor(windowBytes / 3);
    for (let from = 0; from < text.length; from += window) {
      const piece = from === 0 && text.length <= window ? text : text.slice(from, from + window);
      if (scanned(memory.write(piece, 0, encoding), extra)) return true;
    }
    return false;
  };
  /**
   * Latin-1 is the quick copy (no encoding work for most strings): it writes every character up
   * to U+00FF as itself, so a character looked for (all below U+0080) is never missed, but writes
   * higher ones as their low byte, which may look like one. A hit is therefore confirmed in UTF-8,
   * where every byte of a multi-byte character is 0x80 or above.
   */
  const textHolds = (text: string, extra: number): boolean =>
    scanText(text, extra, 'latin1') && scanText(text, extra, 'utf8');
  return {
    holdsCharactersToEscape: (text) => textHolds(text, quote),
    holdsCharactersToDecode: (text) => textHolds(text, backslash),
    holdsBytesToDecode: (bytes, start, end) => {
      for (let from = start; from < end; from += windowBytes) {
        const to = Math.min(end, from + windowBytes);
        bytes.copy(memory, 0, from, to);
        if (scanned(to - from, backslash)) return true;
      }
      return false;
    },
  };
}

/** The checks, with `scanner`'s one pass, or with `indexOf` passes when there is none. */
export function jsonCharacters(scanner: JsonByteScanner | undefined): JsonCharacters {
  return scanner === undefined ? searchedByIndexOf : scannedBy(scanner);
}

let processCharacters: JsonCharacters | undefined;

/**
 * The checks of this process, scanned where WebAssembly runs; the scanner is compiled on first use
 * (about half a millisecond), not when the package loads.
 */
function processWide(): JsonCharacters {
  processCharacters ??= jsonCharacters(createJsonByteScanner());
  return processCharacters;
}

/** {@link JsonCharacters.holdsCharactersToEscape} of this process. */
export const holdsCharactersToEscape = (text: string): boolean =>
  processWide().holdsCharactersToEscape(text);
/** {@link JsonCharacters.holdsCharactersToDecode} of this process. */
export const holdsCharactersToDecode = (text: string): boolean =>
  processWide().holdsCharactersToDecode(text);
/** {@link JsonCharacters.holdsBytesToDecode} of this process. */
export const holdsBytesToDecode = (bytes: Buffer, start: number, end: number): boolean =>
  processWide().holdsBytesToDecode(bytes, start, end);
