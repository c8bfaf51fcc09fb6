import { describe, expect, test } from 'vitest';
import { columnsOf } from './format.js';
import { fitsRunRow, runningHints, runStatusLayout } from './run-status-line.js';

/** The row as the view draws it: spinner, command, time, state, hint. */
function rowOf(columns: number, command: string, state: string | null = '● running'): string {
  const time = ' · 3.0s';
  const laid = runStatusLayout({
    columns,
    command,
    time,
    state: state ?? undefined,
    hints: state === null ? [] : runningHints,
  });
  return `⠋ ${laid.command}${time}${state === null ? '' : ` · ${state}`}${
    laid.hint === undefined ? '' : ` · ${laid.hint}`
  }`;
}

describe('the row under a running command', () => {
  test('says the command, its time, the state and the longest hint that fits, a column to spare', () => {
    expect(rowOf(120, 'make test')).toBe(
      '⠋ make test · 3.0s · ● running · keys go to the command · Ctrl+C interrupts · Ctrl+] Lifeline’s commands',
    );
    for (const columns of [40, 60, 80, 100, 120, 200])
      expect(columnsOf(rowOf(columns, 'make test')), `${columns}`).toBeLessThan(columns);
  });

  test('a long command keeps its first columns beside the hint, and is cut with …', () => {
    const command = `cargo build --release ${'--features x '.repeat(10)}`;
    const row = rowOf(80, command, '● waiting for input');
    expect(row).toMatch(
      /^⠋ cargo build --release --fea… · 3\.0s · ● waiting for input · Ctrl\+C interrupts$/,
    );
    expect(columnsOf(row)).toBeLessThan(80);
  });

  test('a short command is never cut for a hint: the hint gives way first, then goes', () => {
    expect(rowOf(70, 'sleep 30')).toBe(
      '⠋ sleep 30 · 3.0s · ● running · Ctrl+C interrupts · Ctrl+] commands',
    );
    expect(rowOf(32, 'sleep 30')).toBe('⠋ sleep 30 · 3.0s · ● running');
  });

  test('the state stays whole where the command has to be cut short', () => {
    const state = 'gateway exited (SIGKILL) — recovering session… attempt 1/3';
    const row = rowOf(80, 'npm run build', state);
    expect(row).toContain(state);
    expect(row).toMatch(/^⠋ npm run … · 3\.0s · gateway/);
    expect(columnsOf(row)).toBeLessThan(80);
  });

  test('without a state (the header says it), nothing but the command and its time', () => {
    expect(rowOf(120, 'make test', null)).toBe('⠋ make test · 3.0s');
  });

  test('a multi-line command shows its lines joined by ⏎, cut to fit', () => {
    expect(rowOf(120, 'for i in 1 2\ndo echo $i\ndone')).toContain(
      'for i in 1 2 ⏎ do echo $i ⏎ done · 3.0s',
    );
  });

  test('a message said on the row is whole, after the state, in place of the hints: the command gives way to it, all of it if need be', () => {
    const note = 'gateway exited (SIGKILL) — recovered in 85 ms, nothing lost';
    const command = 'for i in $(seq 1 600); do echo line-$i; sleep 0.01; done';
    const laid = (columns: number) =>
      runStatusLayout({
        columns,
        command,
        time: ' · 3.0s',
        state: '● running',
        hints: runningHints,
        note,
      });
    expect(laid(100)).toEqual({ command: 'for i in $(seq …', hint: note });
    expect(columnsOf(`⠋ ${laid(100).command} · 3.0s · ● running · ${note}`)).toBeLessThan(100);
    expect(laid(84)).toEqual({ command: '', hint: note });
    // It goes on the row where it fits there beside the state and the time of a run of up to 99
    // minutes.
    expect(fitsRunRow(note, '● running', 86)).toBe(true);
    expect(fitsRunRow(note, '● running', 85)).toBe(false);
    expect(fitsRunRow(note, undefined, 74)).toBe(true);
  });
});
