import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { mostInAnyWindow } from './spawn-window.js';

test('counts the spawns of a crash loop that gives up after the default budget as 4 in a minute', () => {
  expect(mostInAnyWindow([1000, 1010, 1270, 1780], 60_000)).toBe(4);
  expect(mostInAnyWindow([0, 30_000, 60_000, 90_000], 60_000)).toBe(2);
  expect(mostInAnyWindow([], 60_000)).toBe(0);
});

test('equals the largest count over every window that starts at a spawn, in any order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 40 }),
      fc.integer({ min: 1, max: 100_000 }),
      (times, windowMs) => {
        const bruteForce = Math.max(
          0,
          ...times.map(
            (start) => times.filter((time) => time >= start && time < start + windowMs).length,
          ),
        );
        expect(mostInAnyWindow(times, windowMs)).toBe(bruteForce);
      },
    ),
    fuzzParameters('spawn window'),
  );
});
