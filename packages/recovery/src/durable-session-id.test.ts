import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  isDurableSessionId,
  parseDurableSessionId,
  type DurableSessionId,
} from './durable-session-id.js';
import { RecoveryError } from './errors.js';

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

describe('DurableSessionId', () => {
  test('accepts s_ + 26 lowercase Crockford base32 characters', () => {
    expect(parseDurableSessionId('s_01hzy3k7m2q9v8c4x6t1b5n0rd')).toBe(
      's_01hzy3k7m2q9v8c4x6t1b5n0rd',
    );
    expect(isDurableSessionId('s_zzzzzzzzzzzzzzzzzzzzzzzzzz')).toBe(true);
  });

  test.each([
    ['s_01HZY3K7M2Q9V8C4X6T1B5N0RD', 'uppercase'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0r', 'too short'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0rdd', 'too long'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0ri', 'i is not Crockford'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0rl', 'l is not Crockford'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0ro', 'o is not Crockford'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0ru', 'u is not Crockford'],
    ['01hzy3k7m2q9v8c4x6t1b5n0rdxx', 'no prefix'],
    ['s_01hzy3k7m2q9v8c4x6t1b5n0rd\n', 'trailing newline'],
    ['12345', 'a pid'],
  ])('rejects %j (%s)', (value) => {
    expect(isDurableSessionId(value)).toBe(false);
    expect(() => parseDurableSessionId(value)).toThrow(RecoveryError);
  });

  test('rejects what is not a string, with a message that says what is expected', () => {
    expect(isDurableSessionId(42)).toBe(false);
    try {
      parseDurableSessionId(42);
      expect.unreachable();
    } catch (error) {
      expect(RecoveryError.isInstance(error)).toBe(true);
      expect((error as RecoveryError).code).toBe('INVALID_SESSION_ID');
      expect((error as Error).message).toMatch(/s_01hzy3k7m2q9v8c4x6t1b5n0rd/);
    }
  });

  test('every id of the format is accepted, any other string is not', () => {
    const wellFormed = fc
      .array(fc.constantFrom(...crockford.split('')), { minLength: 26, maxLength: 26 })
      .map((characters) => `s_${characters.join('')}`);
    fc.assert(
      fc.property(wellFormed, fc.string(), (id, other) => {
        expect(isDurableSessionId(id)).toBe(true);
        expect(isDurableSessionId(other)).toBe(/^s_[0-9a-hjkmnp-tv-z]{26}$/.test(other));
      }),
      fuzzParameters('durable session id format'),
    );
  });

  test('per-process ids do not type-check as durable ones', () => {
    const takesDurable = (id: DurableSessionId): string => id;
    const connectionId = 'c_12';
    const pid = 4242;
    // @ts-expect-error a plain string is not a durable session id
    takesDurable(connectionId);
    // @ts-expect-error neither is a pid
    takesDurable(pid);
    type ProcessId = string & { readonly processIdBrand: true };
    // @ts-expect-error nor another branded id
    takesDurable('p_1' as ProcessId);
    expectTypeOf(
      parseDurableSessionId('s_01hzy3k7m2q9v8c4x6t1b5n0rd'),
    ).toEqualTypeOf<DurableSessionId>();
    expectTypeOf<DurableSessionId>().toExtend<string>();
  });
});
