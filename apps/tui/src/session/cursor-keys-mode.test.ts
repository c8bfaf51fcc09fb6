import { expect, test } from 'vitest';
import { cursorKeysFor } from './cursor-keys-mode.js';

test('unmodified arrows, Home and End are sent as the mode asks; modified ones and other keys as they are', () => {
  expect(cursorKeysFor('\x1b[A\x1b[D\x1b[H\x1b[F', true)).toBe('\x1bOA\x1bOD\x1bOH\x1bOF');
  expect(cursorKeysFor('\x1bOA\x1bOC', false)).toBe('\x1b[A\x1b[C');
  expect(cursorKeysFor('\x1b[1;5A\x1b[3~x', true)).toBe('\x1b[1;5A\x1b[3~x');
  expect(cursorKeysFor('\x1b[A', false)).toBe('\x1b[A');
});
