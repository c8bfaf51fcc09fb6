import { describe, expect, test } from 'vitest';
import { commandHeader, HEADER_LINE_COLUMNS } from './command-header.js';
import { columnsOf } from './format.js';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const sid = 's_01m80d15c72eqxhs3a122mbhfd';

describe('commandHeader', () => {
  test('a command of a usual length is shown whole, each of its lines as typed', () => {
    expect(plain(commandHeader('ls -la', false, sid))).toBe('$ ls -la');
    expect(plain(commandHeader('cat <<EOF\nAAA\nEOF', false, sid))).toBe('$ cat <<EOF\nAAA\nEOF');
    expect(plain(commandHeader('ls', true, sid))).toBe('$ ls  ⚙ run by a program');
  });

  test('a line as wide as the limit is shown whole; one character more is cut, and says so', () => {
    const fits = 'a'.repeat(HEADER_LINE_COLUMNS);
    expect(plain(commandHeader(fits, false, sid))).toBe(`$ ${fits}`);
    expect(plain(commandHeader(`${fits}b`, false, sid))).toBe(
      `$ ${fits}… 1 more character recorded — lifeline replay ${sid} shows them`,
    );
  });

  test('a pasted line of 300,000 characters shows its first 1,024 columns and how many are left', () => {
    const line = `echo ${'y'.repeat(300_000)} | wc -c`;
    const shown = plain(commandHeader(line, false, sid));
    expect(shown).toBe(
      `$ ${line.slice(0, HEADER_LINE_COLUMNS)}… ${(line.length - HEADER_LINE_COLUMNS).toLocaleString('en-US')} more characters recorded — lifeline replay ${sid} shows them`,
    );
  });

  test('wide characters are counted in columns and never split; an emoji is one character', () => {
    const line = `${'日'.repeat(600)}${'🙂'.repeat(10)}`;
    const [first] = plain(commandHeader(line, false, sid)).split('…');
    expect(first).toBe(`$ ${'日'.repeat(HEADER_LINE_COLUMNS / 2)}`);
    expect(plain(commandHeader(line, false, sid))).toContain('… 98 more characters recorded —');
    // A wide character that would end one column past the limit is left out whole.
    const odd = `a${'日'.repeat(600)}`;
    const kept = plain(commandHeader(odd, false, sid))
      .split('…')[0]!
      .slice(2);
    expect(columnsOf(kept)).toBe(HEADER_LINE_COLUMNS - 1);
    expect(kept).toBe(`a${'日'.repeat(HEADER_LINE_COLUMNS / 2 - 1)}`);
  });

  test('in a command of several lines only the long one is cut; the mark follows the last line', () => {
    const long = 'x'.repeat(5_000);
    const shown = plain(commandHeader(`cat <<EOF\n${long}\nEOF`, true, sid)).split('\n');
    expect(shown).toEqual([
      '$ cat <<EOF',
      `${'x'.repeat(HEADER_LINE_COLUMNS)}… 3,976 more characters recorded — lifeline replay ${sid} shows them`,
      'EOF  ⚙ run by a program',
    ]);
  });
});
