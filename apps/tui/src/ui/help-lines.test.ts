import { expect, test } from 'vitest';
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
