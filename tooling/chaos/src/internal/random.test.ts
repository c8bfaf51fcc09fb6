import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createRandom } from './random.js';

test('the same seed replays the same choices', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
      const first = createRandom(seed);
      const second = createRandom(seed);
      const draws = (random: typeof first) =>
        Array.from({ length: 8 }, () => [
          random.next(),
          random.integer(0, 400),
          random.chance(0.2),
        ]);
      expect(draws(first)).toEqual(draws(second));
    }),
    fuzzParameters('random: replay'),
  );
});

test('integers stay within their bounds and numbers within [0, 1)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff_ffff }),
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 0, max: 100 }),
      (seed, min, span) => {
        const random = createRandom(seed);
        for (let draw = 0; draw < 20; draw += 1) {
          const value = random.integer(min, min + span);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + span);
          const unit = random.next();
          expect(unit >= 0 && unit < 1).toBe(true);
        }
      },
    ),
    fuzzParameters('random: bounds'),
  );
});

test('about one in five draws of chance(0.2) is true', () => {
  const random = createRandom(7);
  const hits = Array.from({ length: 10_000 }, () => random.chance(0.2)).filter(Boolean).length;
  expect(hits).toBeGreaterThan(1800);
  expect(hits).toBeLessThan(2200);
});
