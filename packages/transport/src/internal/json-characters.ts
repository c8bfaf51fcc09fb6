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
