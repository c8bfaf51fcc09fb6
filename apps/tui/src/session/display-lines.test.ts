import { expect, test } from 'vitest';
import { createDisplayLines } from './display-lines.js';

test('shows text and colours, never a hostile sequence', () => {
  const lines = createDisplayLines();
  const shown = lines.push('\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b]52;c;c2VjcmV0\x07 ok\n');
  expect(shown).toHaveLength(1);
  expect(shown[0]).toContain('\x1b[31m');
  expect(shown[0]?.replace(/\x1b\[[0-9;:]*m/g, '')).toBe('red ok');
  expect(shown.join('')).not.toMatch(/\x1b\]|c2VjcmV0|pwned/);
});

test('a progress bar redrawn with carriage returns ends as its last frame', () => {
  const lines = createDisplayLines();
  expect(lines.push('10%\r50%\r100%')).toEqual([]);
  expect(lines.partial).toBe('100%');
  expect(lines.push('\n')).toEqual(['100%']);
});

test('what a full-screen program draws on the alternate screen stays out of the transcript', () => {
  const lines = createDisplayLines();
  const shown = [
    ...lines.push('before\n\x1b[?1049h\x1b[2J\x1b[Hvim screen\nmore vim\n'),
    ...lines.push('\x1b[?1049lafter\n'),
  ];
  expect(shown).toEqual(['before', 'after']);
});

test('the last line without a newline is kept at the end unless it is blank', () => {
  const lines = createDisplayLines();
  lines.push('done');
  expect(lines.end()).toEqual(['done']);
  const blank = createDisplayLines();
  blank.push('x\n   ');
  expect(blank.end()).toEqual([]);
});
