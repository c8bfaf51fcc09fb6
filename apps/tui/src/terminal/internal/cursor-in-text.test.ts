import { expect, test } from 'vitest';
import { cursorAt, cursorInText, type WrappedRows } from './cursor-in-text.js';

/** Rows of which those listed in `wrapped` continue the row above. */
function rows(count: number, wrapped: number[] = []): WrappedRows {
  return {
    length: count,
    getLine: (row) => (row < count ? { isWrapped: wrapped.includes(row) } : undefined),
  };
}

test('the cursor on the second row of a wrapped line is that many cells into it, the lines above it counted', () => {
  expect(cursorInText(rows(5, [2]), 2, 3, 10)).toEqual({ line: 1, cells: 13 });
  expect(cursorAt(rows(6, [2, 3]), { line: 1, cells: 13 }, 5)).toEqual({ row: 3, column: 3 });
});

test('a place on a line no longer there, or past the rows its line has, is not made up', () => {
  expect(cursorAt(rows(2), { line: 5, cells: 0 }, 10)).toBeUndefined();
  expect(cursorAt(rows(3), { line: 0, cells: 25 }, 10)).toBeUndefined();
});
