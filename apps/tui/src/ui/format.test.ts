import { expect, test } from 'vitest';
import { clipStyledLine, formatDuration, formatFooter } from './format.js';

test('footers read like ✓ 0 · 1.2s and ✗ 2 · 300ms', () => {
  expect(formatFooter({ kind: 'exit', exitCode: 0, durationMs: 1234 }).text).toBe('✓ 0 · 1.2s');
  expect(formatFooter({ kind: 'exit', exitCode: 2, durationMs: 300 }).text).toBe('✗ 2 · 300ms');
  expect(formatFooter({ kind: 'shell-exited', how: 'code 3' }).text).toBe(
    '⚠ the shell exited (code 3)',
  );
  expect(formatFooter({ kind: 'unfinished' }).text).toBe('⚠ no result recorded');
  expect(formatDuration(125_000)).toBe('2m05s');
});

test('clips a styled line to the screen width without cutting a style sequence', () => {
  expect(clipStyledLine('\x1b[31mabcdef\x1b[0m', 3)).toBe('\x1b[31mabc\x1b[0m');
  expect(clipStyledLine('ab', 3)).toBe('ab');
  expect(clipStyledLine('😀😀😀😀', 2)).toBe('😀😀\x1b[0m');
});
