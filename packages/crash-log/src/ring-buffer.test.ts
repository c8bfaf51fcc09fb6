import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { CrashLogError } from './errors.js';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  test('keeps the last N items, oldest first, and counts what it dropped', () => {
    const ring = new RingBuffer<number>(3);
    for (const item of [1, 2, 3, 4, 5]) ring.push(item);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect([...ring]).toEqual([3, 4, 5]);
    expect(ring.last(2)).toEqual([4, 5]);
    expect(ring.last(0)).toEqual([]);
    expect(ring.size).toBe(3);
    expect(ring.dropped).toBe(2);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(ring.dropped).toBe(0);
  });

  test('rejects a capacity that cannot hold anything', () => {
    expect(() => new RingBuffer(0)).toThrow(CrashLogError);
    expect(() => new RingBuffer(1.5)).toThrow(/integer/);
    expect(() => new RingBuffer('3' as unknown as number)).toThrow(
      'RingBuffer capacity must be an integer ≥ 1, got "3"',
    );
  });

  test('always equals the tail of everything pushed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer(), { maxLength: 100 }),
        (capacity, items) => {
          const ring = new RingBuffer<number>(capacity);
          for (const item of items) ring.push(item);
          expect(ring.toArray()).toEqual(items.slice(-capacity));
          expect(ring.dropped).toBe(Math.max(0, items.length - capacity));
        },
      ),
      fuzzParameters('ring buffer: tail of all pushes'),
    );
  });
});
