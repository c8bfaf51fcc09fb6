import { expect, test } from 'vitest';
import { lastPrivateModeSwitch, privateModes } from './private-mode-switch.js';

const lastBracketedPasteSwitch = (output: string) =>
  lastPrivateModeSwitch(output, privateModes.bracketedPaste);
const lastCursorKeysSwitch = (output: string) =>
  lastPrivateModeSwitch(output, privateModes.cursorKeys);

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

test('the last switch of the cursor keys says their mode; other private modes are not it', () => {
  expect(lastCursorKeysSwitch('plain output')).toBeUndefined();
  expect(lastCursorKeysSwitch('\x1b[?1049h\x1b[?12h\x1b[?2004h')).toBeUndefined();
  expect(lastCursorKeysSwitch('prompt\x1b[?1h\x1b=')).toBe(true);
  expect(lastCursorKeysSwitch('\x1b[?1h then \x1b[?1l\x1b>')).toBe(false);
  expect(lastCursorKeysSwitch('\x1b[?1l\x1b[?1049;1h')).toBe(true);
});
