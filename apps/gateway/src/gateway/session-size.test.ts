import { describe, expect, test } from 'vitest';
import { newSessionArguments, parseSessionSize } from './session-size.js';

describe('session sizes', () => {
  test('newSessionArguments passes the terminal size only when a session can have it (1–1000 each way)', () => {
    expect(newSessionArguments({ cols: 120, rows: 40 })).toEqual([
      '--new-session',
      '--size',
      '120x40',
    ]);
    expect(newSessionArguments({ cols: 1000, rows: 1 })).toEqual([
      '--new-session',
      '--size',
      '1000x1',
    ]);
    for (const [cols, rows] of [
      [0, 24],
      [80, 0],
      [1001, 24],
      [Number.NaN, 24],
      [80.5, 24],
    ]) {
      expect(
        newSessionArguments({ cols: cols ?? 0, rows: rows ?? 0 }),
        `${String(cols)}x${String(rows)}`,
      ).toEqual(['--new-session']);
    }
  });

  test('parseSessionSize reads COLSxROWS within the same limits', () => {
    expect(parseSessionSize('120x40')).toEqual({ cols: 120, rows: 40 });
    expect(parseSessionSize('1000x1')).toEqual({ cols: 1000, rows: 1 });
    for (const text of ['0x10', '1001x24', '80x', 'x24', '80 x 24', '-1x5', '80x24x2'])
      expect(parseSessionSize(text), text).toBeUndefined();
  });
});
