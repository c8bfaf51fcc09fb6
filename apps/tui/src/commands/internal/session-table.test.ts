import stringWidth from 'string-width';
import { parseSessionId, type SessionSummary } from '@lifeline/protocol';
import { describe, expect, test } from 'vitest';
import { visible } from '../../ui/format.js';
import { formatSessionTable, PIPED_COMMAND_COLUMNS } from './session-table.js';

const now = Date.parse('2026-01-10T12:00:00.000Z');
const session = (overrides: Partial<SessionSummary>): SessionSummary => ({
  sid: parseSessionId('s_01m80eyhsykbmb761pfe6d0b9j'),
  name: 'api',
  status: 'live',
  cwd: '/home/ada/src/api',
  shell: '/bin/bash',
  createdAt: '2026-01-10T10:00:00.000Z',
  lastActivityAt: '2026-01-10T11:57:00.000Z',
  lastSeq: 10,
  ...overrides,
});

describe('formatSessionTable', () => {
  test('one aligned row per session: status, sid, name, cwd under ~, last command, age', () => {
    const lines = formatSessionTable(
      [
        session({ lastCommand: 'make test' }),
        session({
          sid: parseSessionId('s_01m80ez2m6eq0vx1bp0t1ak2rm'),
          name: 'dev',
          lastCommand: 'npm run dev',
          running: { runId: 'r7', command: 'npm run dev', startSeq: 4 },
        }),
        session({
          sid: parseSessionId('s_01m80ez3m6eq0vx1bp0t1ak2rm'),
          name: 'ask',
          lastCommand: 'npm init',
          running: { runId: 'r8', command: 'npm init', startSeq: 9, waitsForInput: true },
        }),
        session({
          sid: parseSessionId('s_01m80ez146e0weka8xqvkbawf2'),
          name: 'scratch',
          status: 'ended',
          cwd: '/tmp',
          lastActivityAt: '2026-01-08T12:00:00.000Z',
        }),
      ],
      { now, home: '/home/ada' },
    );
    expect(lines).toEqual([
      'STATUS   SID                           NAME     CWD        LAST COMMAND  AGE',
      'live     s_01m80eyhsykbmb761pfe6d0b9j  api      ~/src/api  make test     3m ago',
      'busy     s_01m80ez2m6eq0vx1bp0t1ak2rm  dev      ~/src/api  npm run dev   3m ago',
      'waiting  s_01m80ez3m6eq0vx1bp0t1ak2rm  ask      ~/src/api  npm init      3m ago',
      'ended    s_01m80ez146e0weka8xqvkbawf2  scratch  /tmp                     2d ago',
    ]);
  });

  test('in a narrow terminal the command and the cwd are shortened with an ellipsis', () => {
    const lines = formatSessionTable(
      [session({ lastCommand: 'for i in $(seq 1 100); do curl -s localhost:8080/health; done' })],
      { now, home: undefined, width: 90 },
    );
    expect(lines.map((line) => line.length)).toEqual([87, 90]);
    expect(lines[1]).toBe(
      'live    s_01m80eyhsykbmb761pfe6d0b9j  api   /home/ada/src/api  for i in $(seq 1 1…  3m ago',
    );
  });

  test('wide characters take two columns: the columns after them stay aligned, and are cut to fit', () => {
    const lines = formatSessionTable(
      [
        session({ name: '中文', lastCommand: 'echo 中文🎉' }),
        session({ name: 'ascii', lastCommand: 'ls' }),
      ],
      { now, home: '/home/ada' },
    );
    const ageColumn = (line: string) => stringWidth(line.slice(0, line.indexOf('3m ago')));
    expect(ageColumn(lines[1] ?? '')).toBe(ageColumn(lines[2] ?? ''));
    const narrow = formatSessionTable([session({ lastCommand: `echo ${'中'.repeat(40)}` })], {
      now,
      home: undefined,
      width: 90,
    });
    expect(narrow.map((line) => stringWidth(line))).toEqual([87, 90]);
    expect(narrow[1]).toContain('echo 中中中');
  });

  test('control characters in a command or name are shown escaped, never sent to the terminal', () => {
    const [, row] = formatSessionTable(
      [session({ name: 'x\x1b]0;pwned\x07', lastCommand: "printf 'a\\n'\nls" })],
      { now, home: undefined },
    );
    expect(row).not.toMatch(/[\x00-\x1f]/);
    expect(row).toContain('x\\x1b]0;pwned\\x07');
    expect(visible('a\nb\u2028\x9b')).toBe('a\\nb\\u2028\\x9b');
  });

  test('with no width (a pipe), a long last command is cut at 80 columns, so the other rows stay as narrow as they are', () => {
    const script = Array.from({ length: 300 }, (_, index) => `echo pasted-${index}`).join('\n');
    const lines = formatSessionTable(
      [
        session({ name: 'pasted', lastCommand: script }),
        session({ name: 'short', lastCommand: 'ls' }),
      ],
      { now, home: undefined },
    );
    const commandAt = (lines[0] ?? '').indexOf('LAST COMMAND');
    expect(lines[1]?.slice(commandAt)).toMatch(/^echo pasted-0\\necho pasted-1\\n.*… {2}3m ago$/);
    expect(
      stringWidth((lines[1] ?? '').slice(commandAt, (lines[1] ?? '').lastIndexOf('  3m ago'))),
    ).toBe(PIPED_COMMAND_COLUMNS);
    expect(lines[2]).toMatch(/ ls {80}3m ago$/);
  });
});
