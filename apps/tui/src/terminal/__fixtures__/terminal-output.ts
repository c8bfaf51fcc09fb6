// Test helpers: an independent re-tokeniser of sanitised output, and fast-check generators of
// what programs (and attackers) print.
import fc from 'fast-check';
import { hostileEscapes } from './hostile-escapes.js';

export interface AllowedSequences {
  hyperlinks?: boolean;
  lineEditing?: boolean;
}

const sgr = String.raw`\x1b\[[0-9:;]*m`;
const lineEditing = String.raw`\x1b\[[0-9]*[CDGK]`;
const hyperlink = String.raw`\x1b\]8;[\x21-\x3a\x3c-\x7e]*;(?:(?:https?|file):[\x21-\x7e]*)?\x07`;
// Anything but ESC, the C0 controls other than BS, HT, LF and CR, DEL and the C1 range.
const safeCharacter = String.raw`[^\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]`;

/**
 * Splits `output` into tokens (runs of safe characters and escape sequences) and returns the
 * first one that is not allowed, or `undefined` when every escape is an allowed sequence.
 */
export function firstForbiddenToken(
  output: string,
  allowed: AllowedSequences = {},
): string | undefined {
  const alternatives = [`${safeCharacter}+`, sgr];
  if (allowed.lineEditing === true) alternatives.push(lineEditing);
  if (allowed.hyperlinks === true) alternatives.push(hyperlink);
  const token = new RegExp(alternatives.join('|'), 'y');
  let index = 0;
  while (index < output.length) {
    token.lastIndex = index;
    if (!token.test(output)) return output.slice(index, index + 24);
    index = token.lastIndex;
  }
  return undefined;
}

/** Every escape sequence in `output`, in order. */
export function escapeSequences(output: string): string[] {
  return output.match(/\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\][^\x07]*\x07)/g) ?? [];
}

/** `input` cut before each of `cuts` (positions, in any order, duplicates allowed). */
export function cutAt(input: string, cuts: readonly number[]): string[] {
  const positions = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const position of positions) {
    chunks.push(input.slice(start, position));
    start = position;
  }
  chunks.push(input.slice(start));
  return chunks;
}

const c0 = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const c1 = fc.integer({ min: 0x80, max: 0x9f }).map((code) => String.fromCharCode(code));
const parameterText = fc.string({ unit: fc.constantFrom(...'0123456789;:?<=>'), maxLength: 12 });
const colourSequence = fc.oneof(
  fc.array(fc.nat(108), { maxLength: 4 }).map((codes) => `\x1b[${codes.join(';')}m`),
  fc
    .tuple(fc.constantFrom('38', '48', '58'), fc.nat(255), fc.nat(255), fc.nat(255))
    .map(([target, red, green, blue]) => `\x1b[${target};2;${red};${green};${blue}m`),
  fc
    .tuple(fc.constantFrom('38', '48'), fc.nat(255), fc.nat(255), fc.nat(255))
    .map(([target, red, green, blue]) => `\x1b[${target}:2::${red}:${green}:${blue}m`),
  fc
    .tuple(fc.constantFrom('38', '48'), fc.nat(300))
    .map(([target, index]) => `\x1b[${target};5;${index}m`),
);
const anyControlSequence = fc
  .tuple(
    fc.constantFrom('\x1b[', '\x9b'),
    parameterText,
    fc.string({ unit: fc.constantFrom(' ', '!', '$', '"'), maxLength: 1 }),
    fc.integer({ min: 0x40, max: 0x7e }).map((code) => String.fromCharCode(code)),
  )
  .map((parts) => parts.join(''));
const alternateScreen = fc
  .tuple(
    fc.constantFrom('1049', '1047', '47', '25', '1049;25', '2004;47'),
    fc.constantFrom('h', 'l'),
  )
  .map(([modes, final]) => `\x1b[?${modes}${final}`);
const controlString = fc
  .tuple(
    fc.constantFrom(
      '\x1b]',
      '\x1bP',
      '\x1b_',
      '\x1b^',
      '\x1bX',
      '\x9d',
      '\x90',
      '\x9f',
      '\x9e',
      '\x98',
    ),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        '52;c;Y3VybA==',
        '0;title',
        '8;;https://example.com/a',
        '8;id=x;file:///tmp/x',
        '8;;',
      ),
    ),
    fc.constantFrom('\x07', '\x1b\\', '\x9c', '', '\x18'),
  )
  .map((parts) => parts.join(''));
const corpusPayload = fc.constantFrom(...hostileEscapes.map((escape) => escape.chunks.join('')));

/** One piece of terminal output: text, controls, sequences valid and broken, hostile payloads. */
export const outputFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 2, arbitrary: fc.constantFrom('\r\n', '\n', '\r', '\t', '\b', ' ') },
  { weight: 1, arbitrary: c0 },
  { weight: 1, arbitrary: c1 },
  { weight: 1, arbitrary: fc.constantFrom('\x1b', '\x7f', '\ud83d', '\ude00', '\ud83d\ude00') },
  { weight: 3, arbitrary: colourSequence },
  { weight: 2, arbitrary: anyControlSequence },
  { weight: 1, arbitrary: alternateScreen },
  { weight: 2, arbitrary: controlString },
  { weight: 1, arbitrary: corpusPayload },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

/** A stream of terminal output, and positions at which to cut it into chunks. */
export const outputAndCuts = fc.tuple(
  fc.array(outputFragment, { maxLength: 40 }).map((fragments) => fragments.join('')),
  fc.array(fc.nat(), { maxLength: 12 }),
);
