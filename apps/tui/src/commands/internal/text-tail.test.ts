import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { leftOutWords, TextTail } from './text-tail.js';

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
        // Lines of at most half the limit: a longer one may be kept as its end (tested below).
        fc.integer({ min: 26, max: 80 }),
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

  test('a last line longer than the limit on its own is kept as its end, and what it lost is counted', () => {
    const tail = new TextTail(10);
    tail.append('first\nsecond\n');
    tail.append('y'.repeat(15));
    tail.append('y'.repeat(15) + 'END\n');
    expect(tail.text()).toBe('yyyyyyEND\n'.slice(-10));
    expect(tail.dropped).toBe(2);
    expect(tail.cut).toBe(30 + 4 - 10);
    // Followed by a short line, its end is still kept, before that line.
    tail.append('ab\n');
    expect(tail.text()).toBe('yyyEND\nab\n');
    expect(tail.cut).toBe(30 + 4 - 10 + 3);
    expect(tail.dropped).toBe(2);
    // Once the lines after it fill half the limit, they are kept whole, and it is dropped.
    tail.append('next\n');
    expect(tail.text()).toBe('ab\nnext\n');
    expect(tail.cut).toBe(0);
    expect(tail.dropped).toBe(3);
  });

  test('a long line followed by a short one (a prompt after a minified file) keeps its end', () => {
    const tail = new TextTail(100);
    tail.append('start\n');
    tail.append(`${'m'.repeat(1000)}END\n`);
    tail.append('$ \n');
    expect(tail.text()).toBe(`${'m'.repeat(93)}END\n$ \n`);
    expect(tail.dropped).toBe(1);
    expect(tail.cut).toBe(1000 - 93);
  });

  test("a line's end kept never starts with half a character", () => {
    const tail = new TextTail(5);
    tail.append('😀😀😀😀');
    expect(tail.text()).toBe('😀😀');
    expect(tail.cut).toBe(4);
  });
});

test('what a tail left out, in words', () => {
  expect(leftOutWords(0, 0)).toBeUndefined();
  expect(leftOutWords(1, 0)).toBe('1 earlier line');
  expect(leftOutWords(3, 0)).toBe('3 earlier lines');
  expect(leftOutWords(0, 500)).toBe('the first 500 characters of the line');
  expect(leftOutWords(2, 500)).toBe('2 earlier lines and the first 500 characters of the next');
});
