import { createSessionId } from '@lifeline/protocol';
import xterm from '@xterm/headless';
import { expect, test } from 'vitest';
import {
  clipCommand,
  clipStyledLine,
  columnsOf,
  formatDuration,
  formatFooter,
  lastRowsOf,
  mostColumnsOf,
  rowsOf,
  rowTextsOf,
  shortSid,
} from './format.js';

// A pasted line of 300,000 characters is a run's command, printed as its header: measured whole,
// it held the TUI for minutes (Intl.Segmenter takes time growing with the square of a text).
test('a line of 260,000 characters with wide and styled ones in it is measured as a terminal draws it', () => {
  const long = `${'a'.repeat(261_000)}日本…`;
  expect(columnsOf(long)).toBe(261_005);
  expect(columnsOf(`\x1b[1m${'日'.repeat(130_000)}\x1b[22m🙂`)).toBe(260_002);
  expect(rowsOf(long, 120)).toBe(Math.ceil(261_005 / 120));
  expect(rowTextsOf(long, 100).at(-1)).toBe(`${'a'.repeat(261_000 % 100)}日本…`);
  expect(clipCommand(long, 10)).toBe('aaaaaaaaa…');
});

test('footers read like ✓ 0 · 1.2s and ✗ 2 · 300ms', () => {
  expect(formatFooter({ kind: 'exit', exitCode: 0, durationMs: 1234 }).text).toBe('✓ 0 · 1.2s');
  expect(formatFooter({ kind: 'exit', exitCode: 2, durationMs: 300 }).text).toBe('✗ 2 · 300ms');
  expect(formatFooter({ kind: 'shell-exited', how: 'code 3' }).text).toBe(
    '⚠ the shell exited (code 3)',
  );
  expect(formatFooter({ kind: 'unfinished' }).text).toBe('⚠ no result recorded');
  expect(formatDuration(125_000)).toBe('2m05s');
});

test('a command the shell stopped (Ctrl+Z) reads as stopped, not failed', () => {
  expect(formatFooter({ kind: 'exit', exitCode: 148, durationMs: 2000 })).toEqual({
    text: '⏸ 148 stopped by SIGTSTP · 2.0s · fg resumes it',
    tone: 'warning',
  });
  expect(formatFooter({ kind: 'exit', exitCode: 147, durationMs: 5 }).text).toMatch(
    /^⏸ 147 stopped by SIGSTOP/,
  );
  // Killed by a signal is over: still a failure.
  expect(formatFooter({ kind: 'exit', exitCode: 130, durationMs: 5 }).tone).toBe('failed');
});

test('a command a signal ended names the signal: ✗ 130 SIGINT, ✗ 137 SIGKILL', () => {
  expect(formatFooter({ kind: 'exit', exitCode: 130, durationMs: 500 })).toEqual({
    text: '✗ 130 SIGINT · 500ms',
    tone: 'failed',
  });
  expect(formatFooter({ kind: 'exit', exitCode: 137, durationMs: 1200 }).text).toBe(
    '✗ 137 SIGKILL · 1.2s',
  );
  expect(formatFooter({ kind: 'exit', exitCode: 143, durationMs: 5 }).text).toBe(
    '✗ 143 SIGTERM · 5ms',
  );
  expect(formatFooter({ kind: 'exit', exitCode: 129, durationMs: 5 }).text).toBe(
    '✗ 129 SIGHUP · 5ms',
  );
  expect(formatFooter({ kind: 'exit', exitCode: 134, durationMs: 5 }).text).toBe(
    '✗ 134 SIGABRT · 5ms',
  );
  expect(formatFooter({ kind: 'exit', exitCode: 159, durationMs: 5 }).text).toBe(
    '✗ 159 SIGSYS · 5ms',
  );
  // Statuses no signal gives keep their number alone.
  for (const exitCode of [1, 127, 128, 160, 255]) {
    expect(formatFooter({ kind: 'exit', exitCode, durationMs: 5 }).text).toBe(
      `✗ ${exitCode} · 5ms`,
    );
  }
});

test('a duration just under a unit reads in the next one: 1.0s, not 1000ms; 1m00s, not 60.0s', () => {
  expect(formatDuration(999.4)).toBe('999ms');
  expect(formatDuration(999.6)).toBe('1.0s');
  expect(formatDuration(59_940)).toBe('59.9s');
  expect(formatDuration(59_960)).toBe('1m00s');
  expect(formatDuration(60_000)).toBe('1m00s');
});

test('clips a styled line to the screen width without cutting a style sequence', () => {
  expect(clipStyledLine('\x1b[31mabcdef\x1b[0m', 3)).toBe('\x1b[31mabc\x1b[0m');
  expect(clipStyledLine('ab', 3)).toBe('ab');
  expect(clipStyledLine('😀😀😀😀', 2)).toBe('😀😀\x1b[0m');
});

test('a running command is cut to one row as the widest terminal draws it, emoji sequences part by part', () => {
  const command = `echo ${'👍🏽 👨‍👩‍👧 '.repeat(16)}; sleep 2`;
  for (const columns of [20, 57, 80, 119]) {
    const clipped = clipCommand(command, columns);
    expect(clipped.endsWith('…')).toBe(true);
    expect(mostColumnsOf(clipped)).toBeLessThanOrEqual(columns);
    // Cut between characters: what is kept is the command's own start.
    expect(command.startsWith(clipped.slice(0, -1))).toBe(true);
  }
  // The family is three wide emoji in a terminal that does not join them.
  expect(mostColumnsOf('👨‍👩‍👧')).toBe(6);
  expect(clipCommand('make test', 80)).toBe('make test');
  expect(clipCommand('echo a\necho b', 80)).toBe('echo a ⏎ echo b');
});

test('sessions started in the same millisecond have short ids of their own, each the start of its id', () => {
  let seed = 0;
  const randomBytes = (bytes: Uint8Array) => bytes.map(() => (seed = (seed * 31 + 7) % 251));
  const ids = Array.from({ length: 20 }, () =>
    createSessionId({ now: () => 1_795_000_000_000, randomBytes }),
  );
  const short = ids.map(shortSid);
  expect(new Set(short).size).toBe(ids.length);
  for (const [index, id] of ids.entries())
    expect(id.startsWith(short[index]!.slice(0, -1))).toBe(true);
});

test.each([7, 10, 20, 59, 60])(
  'a line takes the rows a terminal %i columns wide wraps it into, and holds in its last ones what the terminal shows there: a wide character that does not fit in the last column starts the next row, a tab never wraps',
  async (columns) => {
    const lines = [
      '',
      'x'.repeat(columns),
      'x'.repeat(columns + 1),
      `a${'中'.repeat(59)}b`,
      `中文字符 ${'中'.repeat(30)} end`,
      `\x1b[1m\x1b[36m$\x1b[39m echo "${'中'.repeat(40)}"\x1b[22m`,
      `${'한국어'.repeat(9)}x${'ｆｕｌｌ'.repeat(5)}`,
      `${'e\u0301'.repeat(columns)}中`,
      `x${'中x'.repeat(35)}`,
      'name\tage\tcity\tcountry\tzip\tphone\tmail',
      `${'x'.repeat(columns - 2)}\t\tyz`,
      `${'\t'.repeat(12)}end\tof line`,
      // Lines of characters that stand alone are measured without segmenting them.
      `${'é'.repeat(columns + 3)}日${'ŁÆ'.repeat(20)}`,
      `résumé naïve café — 日本語のテキスト ${'ア'.repeat(columns)} 한국어`,
      // A kana and its combining voiced mark are one character, two columns.
      `${'か\u3099'.repeat(columns / 2 + 1)}x`,
    ];
    for (const line of lines) {
      const terminal = new xterm.Terminal({ cols: columns, rows: 50, allowProposedApi: true });
      await new Promise<void>((resolve) => terminal.write(`${line}\r\n`, resolve));
      // The cursor rests on the row under the line's last.
      const rows = terminal.buffer.active.cursorY;
      expect(rowsOf(line, columns), JSON.stringify(line)).toBe(rows);
      // And what its last two rows hold (a tab is drawn as the blanks it moves over).
      if (!line.includes('\t')) {
        const shown = [rows - 2, rows - 1]
          .filter((row) => row >= 0)
          .map((row) => terminal.buffer.active.getLine(row)?.translateToString(true) ?? '');
        expect(lastRowsOf(line, columns, 2), JSON.stringify(line)).toBe(shown.join(''));
        // And each of its rows, as the terminal shows them (without trailing blanks).
        const everyRow = Array.from({ length: rows }, (_, row) =>
          (terminal.buffer.active.getLine(row)?.translateToString(true) ?? '').trimEnd(),
        );
        expect(rowTextsOf(line, columns), JSON.stringify(line)).toEqual(everyRow);
      }
      terminal.dispose();
    }
  },
);
