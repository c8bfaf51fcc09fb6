import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { OutputCoalescer, type CoalescerTimers } from './output-coalescer.js';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fakeTimers() {
  const pending = new Map<number, () => void>();
  let nextHandle = 0;
  const timers: CoalescerTimers = {
    setTimeout: (callback) => {
      nextHandle += 1;
      pending.set(nextHandle, callback);
      return nextHandle;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  const fire = () => {
    for (const [handle, callback] of [...pending]) {
      pending.delete(handle);
      callback();
    }
  };
  return { timers, fire, armed: () => pending.size };
}

describe('OutputCoalescer', () => {
  test('merges small chunks until the delay passes', () => {
    const { timers, fire } = fakeTimers();
    const emitted: string[] = [];
    const coalescer = new OutputCoalescer({ emit: (data) => emitted.push(data), timers });
    coalescer.push('a');
    coalescer.push('b');
    expect(emitted).toEqual([]);
    fire();
    expect(emitted).toEqual(['ab']);
  });

  test('emits at once when a chunk reaches the size limit', () => {
    const { timers, armed } = fakeTimers();
    const emitted: string[] = [];
    const coalescer = new OutputCoalescer({
      emit: (data) => emitted.push(data),
      timers,
      maxChunkLength: 4,
    });
    coalescer.push('abcdefghij');
    expect(emitted).toEqual(['abcd', 'efgh']);
    expect(coalescer.pendingSize).toBe(2);
    expect(armed()).toBe(1);
  });

  test('flush empties the buffer so another event can follow in order', () => {
    const { timers, armed } = fakeTimers();
    const emitted: string[] = [];
    const coalescer = new OutputCoalescer({ emit: (data) => emitted.push(data), timers });
    coalescer.push('before');
    coalescer.flush();
    expect(emitted).toEqual(['before']);
    expect(armed()).toBe(0);
    coalescer.flush();
    expect(emitted).toEqual(['before']);
  });

  test('never loses, reorders or splits a character across chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 40 }),
        fc.integer({ min: 2, max: 16 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (chunks, maxChunkLength, fireAfter) => {
          const { timers, fire } = fakeTimers();
          const emitted: string[] = [];
          const coalescer = new OutputCoalescer({
            emit: (data) => emitted.push(data),
            timers,
            maxChunkLength,
          });
          chunks.forEach((chunk, index) => {
            coalescer.push(chunk);
            if (fireAfter[index]) fire();
          });
          coalescer.flush();
          expect(emitted.join('')).toBe(chunks.join(''));
          for (const data of emitted) {
            expect(data.length).toBeGreaterThan(0);
            expect(data.length).toBeLessThanOrEqual(maxChunkLength);
            expect(data).not.toMatch(loneSurrogate);
          }
        },
      ),
      fuzzParameters('output coalescer: lossless, bounded chunks'),
    );
  });
});
