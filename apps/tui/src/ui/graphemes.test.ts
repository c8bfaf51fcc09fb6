import { describe, expect, test } from 'vitest';
import { graphemesOf } from './graphemes.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const whole = (text: string) =>
  Array.from(segmenter.segment(text), ({ segment, index }) => ({ segment, index }));

describe('graphemesOf', () => {
  test('finds the characters Intl.Segmenter finds, wherever its windows end', () => {
    const family = '👨‍👩‍👧‍👦';
    const flags = '🇯🇵🇫🇷🇩🇪';
    const pieces = ['a', 'é', 'e\u0301', '日本', family, flags, '🙂🏽', '\t', '\r\n', ' '];
    // Every character in turn lands across the end of the first windows.
    for (let shift = 0; shift < 12; shift++) {
      let text = 'x'.repeat(1000 + shift);
      for (let index = 0; text.length < 5000; index++) text += pieces[index % pieces.length] ?? '';
      expect(Array.from(graphemesOf(text)), String(shift)).toEqual(whole(text));
    }
  });

  test('a character longer than a window (a letter with thousands of marks) is one', () => {
    const text = `ab${'\u0301'.repeat(3000)}c`;
    expect(Array.from(graphemesOf(text))).toEqual(whole(text));
    expect(Array.from(graphemesOf(text))).toHaveLength(3);
  });

  test('an empty text has none', () => {
    expect(Array.from(graphemesOf(''))).toEqual([]);
  });
});
