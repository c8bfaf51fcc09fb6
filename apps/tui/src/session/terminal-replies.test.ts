import { expect, test } from 'vitest';
import { terminalReplies } from './terminal-replies.js';

test('questions are answered as a terminal answers them, in order', () => {
  expect(
    terminalReplies(['cursor-position', 'device-attributes', 'status'], { row: 4, column: 0 }),
  ).toBe('\x1b[5;1R\x1b[?1;2c\x1b[0n');
});

test('where the cursor is goes unanswered when it cannot be told', () => {
  expect(terminalReplies(['cursor-position', 'status'], undefined)).toBe('\x1b[0n');
});
