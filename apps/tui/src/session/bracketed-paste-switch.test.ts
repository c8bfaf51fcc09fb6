import { expect, test } from 'vitest';
import { lastBracketedPasteSwitch } from './bracketed-paste-switch.js';

test('output that does not mention bracketed pastes leaves the mode as it was', () => {
  expect(lastBracketedPasteSwitch('plain text\r\n\x1b[1mbold\x1b[0m')).toBeUndefined();
});

test('a program asking for bracketed pastes turns them on, and asking them off turns them off', () => {
  expect(lastBracketedPasteSwitch('$ \x1b[?2004h')).toBe(true);
  expect(lastBracketedPasteSwitch('\x1b[?2004lls\r\n')).toBe(false);
});

test('of several switches in one piece of output, the last one counts', () => {
  expect(lastBracketedPasteSwitch('\x1b[?2004h$ ls\r\n\x1b[?2004l')).toBe(false);
  expect(lastBracketedPasteSwitch('\x1b[?2004lout\r\n\x1b[?2004h$ ')).toBe(true);
});
