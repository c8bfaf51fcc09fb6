import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { plainJsonParts, plainShape } from './plain-json.js';

/** The fast path's text, when it is taken. */
const plainJsonText = (value: unknown): string | undefined =>
  plainShape(value) === 'long-strings' ? plainJsonParts(value)?.join('') : undefined;

const long = (text: string): string => text.repeat(Math.ceil(600 / text.length));

/** Strings from any UTF-16 units (lone surrogates, controls, quotes), often long enough to count. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.nat({ max: 700 }))
    .map(([text, times]) => text.repeat(times)),
  fc
    .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 600, maxLength: 900 }), fc.nat(900))
    .map(([text, at]) => text.slice(0, at) + text.slice(at)),
);

const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(tie('value'), fc.constant(undefined)), {
      maxKeys: 4,
    }),
  ),
})).value;

describe('plainJsonParts', () => {
  test('is exactly JSON.stringify for any plain data holding a long string', () => {
    let produced = 0;
    fc.assert(
      fc.property(plainValue, (value) => {
        const text = plainJsonText(value);
        if (text === undefined) return;
        produced += 1;
        expect(text).toBe(JSON.stringify(value));
      }),
      fuzzParameters('plain JSON text'),
    );
    // The generator makes long strings often enough that the fast path is really exercised.
    expect(produced).toBeGreaterThan(100);
  });

  test.each([
    ['plain text', long('build finished. ')],
    ['quotes', long('say "hi" ')],
    ['backslashes', long('C:\\dir ')],
    ['terminal output', long('\u001b[32mok\u001b[0m\r\n')],
    ['a NUL byte', `${long('a')}\u0000`],
    ['a lone high surrogate', `${long('a')}\ud83d`],
    ['a lone low surrogate', `\ude00${long('a')}`],
    ['a surrogate pair', long('🙂 ')],
    ['U+2028 and DEL', long('\u2028\u007f ')],
  ])('a long string with %s comes out as JSON.stringify writes it', (_, data) => {
    const message = { jsonrpc: '2.0', method: 'session.output', params: { seq: -0, data } };
    expect(plainJsonText(message)).toBe(JSON.stringify(message));
  });

  test('keeps object key order, omits undefined properties and writes undefined elements as null', () => {
    const value = { b: long('x'), 2: [undefined, Number.NaN, -0, Infinity], a: undefined, 1: true };
    expect(plainJsonText(value)).toBe(JSON.stringify(value));
    expect(plainJsonText(value)).toContain('"2":[null,null,0,null]');
  });

  test('keeps every long string in its place, in objects and arrays, however many there are', () => {
    const strings = Array.from({ length: 12 }, (_, index) => long(`s${index} `));
    const value = {
      list: strings.slice(0, 11),
      nested: { deeper: [{ last: strings[11] }] },
      short: 'a',
    };
    const parts = plainJsonParts(value);
    expect(parts?.join('')).toBe(JSON.stringify(value));
    for (const text of strings) expect(parts).toContain(text);
  });

  test('handles objects without a prototype', () => {
    const value = Object.assign(Object.create(null) as object, { data: long('y') });
    expect(plainJsonText(value)).toBe(JSON.stringify(value));
  });

  test('tells plain data without long strings, which JSON.stringify serialises as it is', () => {
    expect(
      plainShape({ jsonrpc: '2.0', id: 1, result: ['short', undefined], error: undefined }),
    ).toBe('plain');
    expect(plainShape('text')).toBe('plain');
    expect(plainShape(undefined)).toBe('other');
  });

  test.each([
    ['toJSON', { data: long('z'), at: new Date(0) }],
    ['a class instance', { data: long('z'), url: new URL('https://example.com') }],
    ['a BigInt', { data: long('z'), size: 1n }],
    ['a function', { data: long('z'), call: () => 1 }],
    ['a symbol', [long('z'), Symbol('s')]],
    ['a boxed string', { data: long('z'), boxed: Object('s') as unknown }],
  ])('leaves data with %s to JSON.stringify', (_, value) => {
    expect(plainJsonText(value)).toBeUndefined();
  });

  test('leaves cycles and deep nesting to JSON.stringify', () => {
    const cyclic: Record<string, unknown> = { data: long('c') };
    cyclic.self = cyclic;
    expect(plainJsonText(cyclic)).toBeUndefined();
    let deep: unknown = long('d');
    for (let level = 0; level < 100; level += 1) deep = [deep];
    expect(plainJsonText(deep)).toBeUndefined();
  });
});
