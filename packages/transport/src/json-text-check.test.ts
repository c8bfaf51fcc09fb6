import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isJsonText } from './json-text-check.js';

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Strings long enough to be checked by a scan rather than parsed; some with escapes. */
const longString = fc.oneof(
  fc.nat(6000).map((extra) => 'x'.repeat(2048 + extra)),
  fc
    .tuple(fc.nat(6000), fc.constantFrom('"', '\\', '\n', '\u001b', 'é', '🙂', '\u0000'))
    .map(([extra, special]) => `${'y'.repeat(2048 + extra)}${special}z`),
);
const record = fc.record({
  seq: fc.nat(),
  time: fc.nat(),
  type: fc.constantFrom('output', 'input', 'note'),
  data: fc.oneof(longString, fc.string()),
});

describe('isJsonText', () => {
  test('says yes to records with long strings, and agrees with JSON.parse on every corruption of one', () => {
    fc.assert(
      fc.property(
        record,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (value, at, byte, cut) => {
          const bytes = Buffer.from(JSON.stringify(value));
          expect(isJsonText(bytes)).toBe(true);
          const position = at % bytes.length;
          const damaged = cut
            ? bytes.subarray(0, position)
            : Buffer.concat([
                bytes.subarray(0, position),
                Buffer.of(byte),
                bytes.subarray(position + 1),
              ]);
          expect(isJsonText(damaged)).toBe(parses(damaged));
        },
      ),
      fuzzParameters('isJsonText corruption'),
    );
  });

  test('a raw control character or a quote inside a long string is not JSON', () => {
    const text = JSON.stringify({ seq: 1, type: 'output', data: 'x'.repeat(5000) });
    for (const intruder of ['\u0000', '\r', '\u001b', '"']) {
      const damaged = Buffer.from(`${text.slice(0, 2500)}${intruder}${text.slice(2501)}`);
      expect(isJsonText(damaged)).toBe(false);
    }
  });
});
