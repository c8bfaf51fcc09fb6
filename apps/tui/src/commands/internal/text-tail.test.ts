import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { TextTail } from './text-tail.js';

describe('TextTail', () => {
  test('keeps everything under the limit', () => {
    const tail = new TextTail(100);
    tail.append('a\n');
    tail.append('b\n');
    expect(tail.text()).toBe('a\nb\n');
    expect(tail.dropped).toBe(0);
  });

  test('over the limit: the newest whole lines, and how many were dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{0,12}\n$/), { maxLength: 60 }),
        fc.integer({ min: 13, max: 80 }),
        (lines, limit) => {
          const tail = new TextTail(limit);
          for (const line of lines) tail.append(line);
          const text = tail.text();
          const whole = lines.join('');
          return (
            text.length <= limit &&
            whole.endsWith(text) &&
            lines.slice(tail.dropped).join('') === text
          );
        },
      ),
      fuzzParameters('text tail keeps the newest whole lines'),
    );
  });
});
