import { describe, expect, test } from 'vitest';
import { reportedSize } from './reported-size.js';

describe('reportedSize', () => {
  test("a terminal's size, capped at what a session accepts", () => {
    expect(reportedSize({ isTTY: true, columns: 120, rows: 40 })).toEqual({ cols: 120, rows: 40 });
    expect(reportedSize({ isTTY: true, columns: 5000, rows: 40 })).toEqual({
      cols: 1000,
      rows: 40,
    });
  });

  test('none for a pipe, or a terminal that reports 0×0 (nobody sized it): the session default applies', () => {
    expect(reportedSize({ isTTY: false, columns: 80, rows: 24 })).toBeUndefined();
    expect(reportedSize({})).toBeUndefined();
    expect(reportedSize({ isTTY: true, columns: 0, rows: 0 })).toBeUndefined();
    expect(reportedSize({ isTTY: true, columns: 80, rows: 0 })).toBeUndefined();
  });
});
