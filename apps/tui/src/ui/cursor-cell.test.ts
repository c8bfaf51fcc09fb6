import { describe, expect, test } from 'vitest';
import { cutAtCursor } from './cursor-cell.js';

describe('cutAtCursor', () => {
  test('cuts a plain row at the cursor, and pads past its end', () => {
    expect(cutAtCursor('$ echo hi', 2)).toEqual({
      before: '$ \x1b[0m',
      under: 'e',
      after: 'cho hi',
    });
    expect(cutAtCursor('$ ', 4)).toEqual({ before: '$ \x1b[0m  ', under: ' ', after: '' });
  });

  test('counts wide characters as two cells and keeps the style in force after the cursor', () => {
    expect(cutAtCursor('中文x', 2)).toEqual({ before: '中\x1b[0m', under: '文', after: 'x' });
    expect(cutAtCursor('\x1b[32mab\x1b[1mcd\x1b[0m', 3)).toEqual({
      before: '\x1b[32mab\x1b[1mc\x1b[0m',
      under: 'd',
      after: '\x1b[32m\x1b[1m\x1b[0m',
    });
  });

  test('an emoji with its skin tone is one character under the cursor, on either of its parts; cells counted part by part', () => {
    // 👍 and 🏽 take two cells each, as the shell and the emulated screen count them.
    for (const column of [2, 3, 4, 5])
      expect(cutAtCursor('a 👍🏽 b', column), String(column)).toEqual({
        before: 'a \x1b[0m',
        under: '👍🏽',
        after: ' b',
      });
    expect(cutAtCursor('a 👍🏽 b', 7)).toEqual({ before: 'a 👍🏽 \x1b[0m', under: 'b', after: '' });
  });
});
