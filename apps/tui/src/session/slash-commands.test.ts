import { expect, test } from 'vitest';
import { parseSlashCommand } from './slash-commands.js';

test('parses every slash command', () => {
  expect(parseSlashCommand('/help')).toEqual({ name: 'help' });
  expect(parseSlashCommand(' /new ')).toEqual({ name: 'new' });
  expect(parseSlashCommand('/logs 5')).toEqual({ name: 'logs', lines: 5 });
  expect(parseSlashCommand('/logs')).toEqual({ name: 'logs', lines: 20 });
  expect(parseSlashCommand('/resume s_01m80d15c72eqxhs3a122mbhfd')).toEqual({
    name: 'resume',
    reference: 's_01m80d15c72eqxhs3a122mbhfd',
  });
  expect(parseSlashCommand('/resume  api server ')).toEqual({
    name: 'resume',
    reference: 'api server',
  });
  expect(parseSlashCommand('/exit')).toEqual({ name: 'quit' });
});

test('bad input gets a one-line hint that says what to do', () => {
  expect(parseSlashCommand('/frobnicate')).toEqual({
    name: 'invalid',
    message: 'unknown command /frobnicate — /help lists the commands',
  });
  expect(parseSlashCommand('/resume')).toMatchObject({
    name: 'invalid',
    message: expect.stringContaining('usage') as unknown,
  });
  expect(parseSlashCommand('/logs lots')).toMatchObject({ name: 'invalid' });
  expect(parseSlashCommand('/quit now')).toEqual({
    name: 'invalid',
    message: '/quit takes no arguments',
  });
});
