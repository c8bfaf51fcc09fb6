import { expect, test } from 'vitest';
import { columnsOf } from './format.js';
import { helpLines } from './help-lines.js';

test('/help lists every command with what it does, one a line', () => {
  const lines = helpLines(false);
  expect(lines[0]).toBe('commands:');
  for (const command of [
    '/help',
    '/new',
    '/sessions',
    '/resume',
    '/recover',
    '/logs',
    '/clear',
    '/quit',
  ])
    expect(lines.some((line) => line.trimStart().startsWith(`${command} `))).toBe(true);
});

test('with Lifeline editing the line, /help lists its keys', () => {
  const lines = helpLines(false);
  expect(lines).toContain('keys:');
  expect(lines).toContain('  Ctrl+D: quit (on an empty line)');
  expect(lines.join('\n')).not.toContain('go to your shell');
});

test('with the shell editing its own lines, /help says its keys are the shell’s and how to reach Lifeline', () => {
  const lines = helpLines(true);
  expect(lines).not.toContain('keys:');
  expect(lines.join('\n')).toContain('keys at the prompt go to your shell');
  expect(lines.join('\n')).toContain('Ctrl+]: open Lifeline’s command line');
});

test('/help wraps between words to the terminal’s width, each text going on under itself', () => {
  for (const shellEditsLines of [false, true]) {
    const wide = helpLines(shellEditsLines);
    for (const columns of [40, 60, 80]) {
      const lines = helpLines(shellEditsLines, columns);
      for (const line of lines) expect(columnsOf(line)).toBeLessThanOrEqual(columns);
      // No word is cut: the words are those of the unwrapped help, in order.
      const words = (text: string[]) => text.join(' ').split(/\s+/).filter(Boolean);
      expect(words(lines)).toEqual(words(wide));
    }
  }
  const lines = helpLines(false, 60);
  const quit = lines.findIndex((line) => line.startsWith('  /quit '));
  // `leave; the session keeps running (`lifeline -c` comes back)` goes on under its own start.
  const textColumn = (lines[quit] ?? '').indexOf('leave;');
  expect(lines[quit + 1]).toMatch(new RegExp(`^ {${textColumn}}\\S`));
});
