import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { expect, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import { sessionIdSchema } from './session-id-schema.js';
import { createSessionId, isSessionId, parseSessionId, type SessionId } from './session-id.js';

test('minted ids are valid, and sort by creation time', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 47 }),
      fc.integer({ min: 1, max: 2 ** 20 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      (time, later, bytes) => {
        const first = createSessionId({ now: () => time, randomBytes: () => bytes });
        const second = createSessionId({ now: () => time + later, randomBytes: () => bytes });
        expect(isSessionId(first)).toBe(true);
        expect(parseSessionId(first)).toBe(first);
        expect(first < second).toBe(true);
      },
    ),
    fuzzParameters('session ids: valid and time-ordered'),
  );
});

test('two ids minted in the same millisecond differ', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => createSessionId({ now: () => 1 })));
  expect(ids.size).toBe(1000);
});

test.each([
  '',
  's_',
  'S_01HZY3K7M2Q9V8C4X6T1B5N0RD',
  's_01hzy3k7m2q9v8c4x6t1b5n0ri',
  's_01hzy3k7m2q9v8c4x6t1b5n0r',
  '12345',
])('a malformed id %j is refused with a message that says what an id looks like', (value) => {
  expect(isSessionId(value)).toBe(false);
  expect(() => parseSessionId(value)).toThrow(
    /expected s_ followed by 26 lowercase letters and digits/,
  );
});

test('a value that is not a string is shown as it is, a string in quotes', () => {
  expect(() => parseSessionId(12345 as unknown as string)).toThrow(
    /^12345 is not a Lifeline session id: expected s_/,
  );
  expect(() => parseSessionId('12345')).toThrow(/^"12345" is not a Lifeline session id/);
});

test('the wire schema yields the same SessionId type that minting and parsing give', () => {
  expectTypeOf<z.infer<typeof sessionIdSchema>>().toEqualTypeOf<SessionId>();
  const minted = createSessionId();
  expect(sessionIdSchema.parse(minted)).toBe(minted);
  expect(sessionIdSchema.safeParse('s_short').success).toBe(false);
});
