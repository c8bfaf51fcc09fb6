import { describe, expect, test } from 'vitest';
import { cancelsHistorySearch, leavesEscapeForInsert, modeKeysIn } from './editor-mode-keys.js';

describe('modeKeysIn', () => {
  test('text, editing keys, cursor keys and Meta letters leave the editor on the command line', () => {
    for (const keys of [
      'echo half',
      'ls -la\x7f\x7f',
      '\x01\x05\x0b\x15\x17\x19\x0c\x03\x07',
      '\x1b[A\x1b[D\x1b[1;5C\x1b[3~\x1bOH\x1bOF',
      '\x1bb\x1bf\x1bd\x1b\x7f',
      '\x1b[200~for i in 1 2; do\techo\x1b[A; done\x1b[201~',
    ])
      expect(modeKeysIn(keys), JSON.stringify(keys)).toBe('none');
  });

  test('searches, completion, prefixes, a bare Escape, counts and cut sequences may leave it in a mode', () => {
    for (const keys of [
      '\x12',
      'ec\x12ho',
      '\x13',
      '\x18',
      '\x16',
      '\x1d',
      '\x1b',
      'echo half\x1b',
      '\x1b\x1b',
      '\x1b3',
      '\x1b-',
      '\x1b[1;',
      '\x1bO',
      '\x1b\x12',
    ])
      expect(modeKeysIn(keys), JSON.stringify(keys)).toBe('other');
  });

  test('a Tab is a completion, unless another mode key comes with it', () => {
    expect(modeKeysIn('ls /usr/bin/\t\t')).toBe('completion');
    expect(modeKeysIn('ls\t\x12')).toBe('other');
    expect(modeKeysIn('\x1b\t')).toBe('other');
  });

  test('a paste that is not ended in the chunk is text; keys after a paste are looked at', () => {
    expect(modeKeysIn('\x1b[200~half a paste\t')).toBe('none');
    expect(modeKeysIn('\x1b[200~x\x1b[201~\x12')).toBe('other');
  });
});

describe('cancelsHistorySearch', () => {
  test('a search opened at the line and cancelled by its last key, Ctrl+G or a lone Escape', () => {
    for (const keys of [
      '\x12ec\x07',
      '\x12ec\x1b',
      'ls \x12\x07',
      '\x12a\x7fb\x12\x13é\x1b',
      '\x13\x07',
    ])
      expect(cancelsHistorySearch(keys), JSON.stringify(keys)).toBe(true);
  });

  test('a search still open, ended by another key, cancelled twice or opened from another mode', () => {
    for (const keys of [
      '',
      'ls\x07',
      '\x1b',
      '\x12ec',
      '\x12',
      '\x12ec\x07x',
      '\x12ec\x1b\x1b',
      '\x12ec\x07\x1b',
      '\x12ec\x1b[A\x07',
      '\x12ec\x01\x07',
      '\x1b\x12ec\x07',
      'ls\t\x12\x07',
    ])
      expect(cancelsHistorySearch(keys), JSON.stringify(keys)).toBe(false);
  });
});

describe('leavesEscapeForInsert', () => {
  test("an Escape, then vi's insert key right after it and only keys that edit the line", () => {
    for (const keys of ['\x1bi', 'echo abc\x1bAdef', '\x1ba', '\x12tr\x1bI', '\x1b[A\x1bi x'])
      expect(leavesEscapeForInsert(keys), JSON.stringify(keys)).toBe(true);
  });

  test('no lone Escape, another key after it, Escape twice, or a mode key after the insert key', () => {
    for (const keys of [
      '',
      'echo i',
      '\x1b',
      '\x1bk',
      '\x1bki',
      '\x1b\x1b[Ai',
      '\x1b3i',
      '\x1b\x1bi',
      '\x1bi\x12',
      '\x1bi\x1b',
      '\x1b[Ai',
      '\x1bOAi',
      '\x1b[200~\x1bi\x1b[201~',
    ])
      expect(leavesEscapeForInsert(keys), JSON.stringify(keys)).toBe(false);
  });
});
