import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createJsonByteScanner, scanMemoryBytes } from './json-byte-scan.js';
import { jsonCharacters } from './json-characters.js';

const codes = (text: string): number[] =>
  Array.from({ length: text.length }, (_, at) => text.charCodeAt(at));
const naiveEscape = (text: string): boolean =>
  codes(text).some((code) => code === 0x22 || code === 0x5c || code < 0x20);
const naiveDecode = (text: string): boolean =>
  codes(text).some((code) => code === 0x5c || code < 0x20);
const naiveBytes = (bytes: Buffer, start: number, end: number): boolean =>
  [...bytes.subarray(start, end)].some((byte) => byte === 0x5c || byte < 0x20);

/** Plain text, often long, with now and then one character anywhere (first and last included). */
const probe = fc
  .tuple(
    fc.constantFrom('plain text ', '漢字のテキスト', 'Ģ Ȝ Ĝ ĝ ', 'emoji 🙂 ', 'ASCII~!#$%&'),
    fc.nat(4000),
    fc.option(
      fc.constantFrom('"', '\\', '\u0000', '\n', '\u001b', '\u001f', ' ', '\u00e9', '\ud83d'),
      {
        nil: undefined,
      },
    ),
    fc.nat(),
  )
  .map(([unit, times, inserted, at]) => {
    const text = unit.repeat(times);
    if (inserted === undefined) return text;
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + inserted + text.slice(cut);
  });
const anyText = fc.oneof(probe, fc.string({ unit: 'binary', maxLength: 300 }));

const scanner = createJsonByteScanner();

describe.each([
  ['the WebAssembly scan', jsonCharacters(scanner)],
  ['indexOf passes (no WebAssembly)', jsonCharacters(undefined)],
])('JSON characters by %s', (_, characters) => {
  test('finds exactly the characters JSON.stringify escapes and JSON.parse decodes', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(characters.holdsCharactersToEscape(text)).toBe(naiveEscape(text));
        expect(characters.holdsCharactersToDecode(text)).toBe(naiveDecode(text));
      }),
      fuzzParameters('JSON characters in text'),
    );
  });

  test('finds exactly the bytes JSON.parse decodes, in any range of a buffer', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
        const bytes = Buffer.from(text);
        const start = a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        expect(characters.holdsBytesToDecode(bytes, start, end)).toBe(
          naiveBytes(bytes, start, end),
        );
      }),
      fuzzParameters('JSON characters in bytes'),
    );
  });

  test.each([
    ['at the very end of the first scan window', scanMemoryBytes - 64 - 1],
    ['at the start of the second scan window', scanMemoryBytes - 64],
    ['deep inside a later window', 5 * scanMemoryBytes + 17],
  ])('finds a character %s of a long text', (_, at) => {
    const text = 'x'.repeat(6 * scanMemoryBytes);
    const withQuote = `${text.slice(0, at)}"${text.slice(at + 1)}`;
    const withNewline = `${text.slice(0, at)}\n${text.slice(at + 1)}`;
    expect(characters.holdsCharactersToEscape(text)).toBe(false);
    expect(characters.holdsCharactersToEscape(withQuote)).toBe(true);
    expect(characters.holdsCharactersToDecode(withQuote)).toBe(false);
    expect(characters.holdsCharactersToDecode(withNewline)).toBe(true);
    const bytes = Buffer.from(withNewline);
    expect(characters.holdsBytesToDecode(bytes, 0, bytes.length)).toBe(true);
    expect(characters.holdsBytesToDecode(bytes, at + 1, bytes.length)).toBe(false);
  });
});

test('the WebAssembly scan compiles and runs on this Node', () => {
  expect(scanner).toBeDefined();
});
