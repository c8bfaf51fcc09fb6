import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { OutputCoalescer, type CoalescerTimers } from './output-coalescer.js';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fakeTimers() {
  const pending = new Map<number, { callback: () => void; at: number }>();
  let nextHandle = 0;
  let clock = 0;
  const timers: CoalescerTimers = {
    setTimeout: (callback, ms) => {
      nextHandle += 1;
      pending.set(nextHandle, { callback, at: clock + ms });
      return nextHandle;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
    now: () => clock,
  };
  /** Moves the clock on by `ms` and runs the timers due by then, in order. */
  const advance = (ms: number) => {
    const until = clock + ms;
    for (;;) {
      const due = [...pending]
        .filter(([, timer]) => timer.at <= until)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      const [handle, timer] = due;
      pending.delete(handle);
      clock = Math.max(clock, timer.at);
      timer.callback();
    }
    clock = until;
  };
  /** Lets every delay pass. */
  const fire = () => {
    advance(1000);
  };
  return { timers, fire, advance, armed: () => pending.size };
}

/** A coalescer with a delay of 16 ms on fake timers, and what it emitted. */
function coalescingBy16Ms() {
  const clock = fakeTimers();
  const emitted: string[] = [];
  const coalescer = new OutputCoalescer({
    emit: (data) => emitted.push(data),
    timers: clock.timers,
    maxDelayMs: 16,
  });
  return { ...clock, coalescer, emitted };
}

describe('OutputCoalescer', () => {
  test('output after a quiet spell leaves at once; what follows it soon is merged until the delay passes', () => {
    const { coalescer, emitted, fire, advance } = coalescingBy16Ms();
    // A key's echo is not held back.
    coalescer.push('e');
    expect(emitted).toEqual(['e']);
    advance(1);
    coalescer.push('a');
    coalescer.push('b');
    expect(emitted).toEqual(['e']);
    fire();
    expect(emitted).toEqual(['e', 'ab']);
    // Quiet again for the delay: the next leaves at once too.
    advance(16);
    coalescer.push('c');
    expect(emitted).toEqual(['e', 'ab', 'c']);
    // Within the delay of the last emit, even with nothing pending, it waits.
    advance(15);
    coalescer.push('d');
    expect(emitted).toEqual(['e', 'ab', 'c']);
    fire();
    expect(emitted).toEqual(['e', 'ab', 'c', 'd']);
  });

  test('within 50 ms of keys typed, small output leaves at once (the echo of each of two keys typed together); larger output is merged as before', () => {
    const { coalescer, emitted, fire, advance } = coalescingBy16Ms();
    coalescer.keysTyped();
    coalescer.push('a');
    advance(1);
    coalescer.push('b');
    expect(emitted).toEqual(['a', 'b']);
    // A command's output that follows its line's echo: merged once it is large.
    coalescer.push('x'.repeat(300));
    coalescer.push('y');
    expect(emitted).toEqual(['a', 'b']);
    fire();
    expect(emitted).toEqual(['a', 'b', `${'x'.repeat(300)}y`]);
    // Long after the keys, output that follows other output waits as before.
    advance(100);
    coalescer.push('c');
    advance(1);
    coalescer.push('d');
    expect(emitted.slice(3)).toEqual(['c']);
    fire();
    expect(emitted.slice(3)).toEqual(['c', 'd']);
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
    const { timers, fire, armed } = fakeTimers();
    const emitted: string[] = [];
    const coalescer = new OutputCoalescer({ emit: (data) => emitted.push(data), timers });
    coalescer.push('before');
    coalescer.flush();
    expect(emitted).toEqual(['before']);
    coalescer.flush();
    fire();
    expect(emitted).toEqual(['before']);
    expect(armed()).toBe(0);
  });

  test('output pushed after a flush waits its own delay, on the timer already armed', () => {
    const { coalescer, emitted, advance, armed } = coalescingBy16Ms();
    coalescer.push('a');
    advance(10);
    coalescer.flush();
    coalescer.push('b');
    expect(armed()).toBe(1);
    advance(6);
    expect(emitted).toEqual(['a']);
    advance(9);
    expect(emitted).toEqual(['a']);
    advance(1);
    expect(emitted).toEqual(['a', 'b']);
    expect(armed()).toBe(0);
  });

  test('stop leaves no timer and keeps what is pending for a flush', () => {
    const { timers, fire, armed } = fakeTimers();
    const emitted: string[] = [];
    const coalescer = new OutputCoalescer({ emit: (data) => emitted.push(data), timers });
    coalescer.push('first');
    coalescer.push('x');
    coalescer.stop();
    expect(armed()).toBe(0);
    fire();
    expect(emitted).toEqual(['first']);
    coalescer.flush();
    expect(emitted).toEqual(['first', 'x']);
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
