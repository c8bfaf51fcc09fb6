/**
 * The control characters U+0000–U+001F, which a JSON string cannot hold raw. Those terminal output
 * holds (LF, CR, ESC, TAB) come first, so text that has them is recognised after a short scan.
 */
export const controlCharacters: readonly string[] = [
  '\n',
  '\r',
  '\u001b',
  '\t',
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter(
    (character) => !'\n\r\u001b\t'.includes(character),
  ),
];

/**
 * Whether `text` holds any of `characters`: one `includes` scan each, which V8 runs at memory
 * speed on long strings (a regular expression with a character class is several times slower).
 */
export function includesAny(text: string, characters: readonly string[]): boolean {
  for (const character of characters) {
    if (text.includes(character)) return true;
  }
  return false;
}

/**
 * The characters after which a JSON string token is not its own value: the backslash of an
 * escape, and the control characters `JSON.parse` refuses raw.
 */
export const needingDecoding: readonly string[] = ['\\', ...controlCharacters];
const needingDecodingBytes: readonly number[] = needingDecoding.map((character) => character.charCodeAt(0));

/**
 * Whether `bytes[start, end)`, JSON text in UTF-8 (where those bytes only ever stand for
 * themselves), holds any of {@link needingDecoding}: when it does not, every string value in that
 * text is exactly its own characters. One `indexOf` scan per byte value, as in {@link includesAny}.
 */
export function holdsEscapeBytes(bytes: Buffer, start: number, end: number): boolean {
  const region = bytes.subarray(start, end);
  for (const byte of needingDecodingBytes) {
    if (region.includes(byte)) return true;
  }
  return false;
}
