import { expect, test } from 'vitest';
import { describePaste, formatPasteSize } from './paste-policy.js';

test('pastes over 5 KiB or 5 lines ask first', () => {
  expect(describePaste('ls -la').confirm).toBe(false);
  expect(describePaste('1\n2\n3\n4\n5').confirm).toBe(false);
  expect(describePaste('1\n2\n3\n4\n5\n6').confirm).toBe(true);
  expect(describePaste('x'.repeat(5 * 1024 + 1)).confirm).toBe(true);
  expect(describePaste('é'.repeat(2600))).toMatchObject({ bytes: 5200, confirm: true });
});

test('says how big a paste is', () => {
  expect(formatPasteSize(describePaste('a\r\nb'))).toBe('2 lines, 4 B');
  expect(formatPasteSize(describePaste('x'.repeat(6400)))).toBe('1 line, 6.3 KiB');
  // Lines copied with their last line end are as many lines, not one more.
  expect(formatPasteSize(describePaste('1\n2\n3\n4\n5\n6\n7\n8\n'))).toBe('8 lines, 16 B');
  expect(describePaste('1\n2\n3\n4\n5\n').confirm).toBe(false);
  expect(describePaste('one\r\n').lines).toBe(1);
  expect(describePaste('one\n\n').lines).toBe(2);
});
