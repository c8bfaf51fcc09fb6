import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseJson } from '../ndjson.js';
import { cutLongStrings, longStringLength } from './long-strings.js';

const longLength = longStringLength + 100;
const long = (text: string): string => text.repeat(Math.ceil(longLength / text.length));

/** Strings of any UTF-16 units, often long, sometimes with quotes and backslashes runs. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.nat(2 * longLength))
    .filter(([text, times]) => text.length * times > longLength / 2)
    .map(([text, times]) => text.repeat(times).slice(0, 2 * longLength)),
  fc
    .tuple(fc.constantFrom('\\', '"', '\\"', '\\\\"', 'x'), fc.nat(longLength + 100))
    .map(([text, times]) => `${long('a').slice(0, times)}${text}`),
);

/** JSON values without the keys parseJson drops on purpose. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      anyString.filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key)),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

function outcome(parse: (text: string) => unknown, text: string): unknown {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe('parseJson with long strings', () => {
  test('gives what JSON.parse gives, compact or indented', () => {
    let cut = 0;
    fc.assert(
      fc.property(jsonValue, fc.boolean(), (value, indented) => {
        const text = indented ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        if (cutLongStrings(text) !== undefined) cut += 1;
        expect(parseJson(text)).toEqual(JSON.parse(text));
      }),
      fuzzParameters('parse JSON with long strings'),
    );
    // Long, cleanly cuttable strings are common enough in the input to exercise the fast path.
    expect(cut).toBeGreaterThan(100);
  });

  test('fails exactly when JSON.parse fails, with its error, for damaged text', () => {
    const damaged = fc
      .tuple(jsonValue, fc.nat(), fc.nat(3), fc.string({ unit: 'binary', maxLength: 3 }))
      .map(([value, at, removed, inserted]) => {
        const text = JSON.stringify(value);
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + inserted + text.slice(cut + removed);
      });
    fc.assert(
      fc.property(damaged, (text) => {
        expect(outcome(parseJson, text)).toEqual(outcome(JSON.parse, text));
      }),
      fuzzParameters('parse damaged JSON with long strings'),
    );
  });

  test.each([
    ['a top-level long string', JSON.stringify(long('top '))],
    ['a long key', JSON.stringify({ [long('k')]: long('v') })],
    ['a long string next to a real \\u0000', JSON.stringify({ a: long('x'), b: '\u0000' })],
    ['a long string with an escaped quote at its end', JSON.stringify({ a: `${long('y')}\\` })],
    ['long strings in an array', JSON.stringify([long('p'), 1, long('q'), null])],
    ['a raw control character in a long string', `{"a":"${long('z')}\u0001"}`],
    ['an unterminated long string', `{"a":"${long('u')}`],
  ])('%s parses as JSON.parse parses it', (_, text) => {
    expect(outcome(parseJson, text)).toEqual(outcome(JSON.parse, text));
  });

  test('cuts the clean long strings only, whatever the escaped ones beside them', () => {
    const escaped = long('line\r\n');
    const clean = long('c');
    expect(cutLongStrings(JSON.stringify({ data: escaped }))).toBeUndefined();
    const mixed = JSON.stringify({ a: escaped, b: clean, c: escaped, d: long('d') });
    expect(cutLongStrings(mixed)?.strings).toEqual([clean, long('d')]);
    expect(parseJson(mixed)).toEqual(JSON.parse(mixed));
  });

  test('still drops prototype keys, with long strings beside them', () => {
    const text = `{"__proto__":{"polluted":"${long('p')}"},"constructor":{"prototype":1},"data":"${long('d')}"}`;
    const value = parseJson(text) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['data']);
    expect(value.data).toBe(long('d'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
