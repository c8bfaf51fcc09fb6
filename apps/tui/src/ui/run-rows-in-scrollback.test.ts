import { expect, test } from 'vitest';
import type { TranscriptBlock } from '../session/transcript-fold.js';
import { RunRowsInScrollback, withoutLines } from './run-rows-in-scrollback.js';

let nextId = 10;
function output(lines: string[], hidden = 0, runId = 'run-1'): TranscriptBlock {
  nextId += 1;
  return { id: nextId, kind: 'output', runId, lines, hidden };
}

/** Rows of a run whose screen was 10 columns wide, as in the tests of lines longer than that. */
function rowsOfNarrowScreen(screen: string[], pushed: string[]): RunRowsInScrollback {
  return new RunRowsInScrollback('run-1', 10, screen, pushed, 10);
}

/** The lines of the run that would be printed from `blocks`. */
function printed(rows: RunRowsInScrollback, blocks: TranscriptBlock[]): string[] {
  return rows
    .filter(blocks)
    .flatMap((block) => (block.kind === 'output' ? block.lines : [`<${block.kind}>`]));
}

test('the rows pushed are not printed again as they leave the screen; those under them are', () => {
  const rows = new RunRowsInScrollback(
    'run-1',
    10,
    ['line 1', 'line 2', 'line 3'],
    ['line 1', 'line 2', '⠋ seq 1 3 · 1s'],
    80,
  );
  expect(
    printed(rows, [output(['\x1b[1mline 1\x1b[22m']), output(['line 2  ', 'line 3'])]),
  ).toEqual(['line 3']);
  expect(rows.done).toBe(true);
});

test('rows above those the frame showed are printed first; lines already gone from the screen are passed over', () => {
  // The frame showed `b`…; the screen scrolled on by one line (`a` went) before the terminal changed.
  const rows = new RunRowsInScrollback('run-1', 10, ['top', 'b', 'c', 'd'], ['a', 'b', 'c'], 80);
  expect(printed(rows, [output(['top', 'b']), output(['c', 'd'])])).toEqual(['top', 'd']);
  // `a` left the screen since the frame was drawn: it waits to be printed, and is in the scrollback.
  expect(rows.leftScreen).toEqual(['a']);
});

test('empty rows between lines: the rows pushed are found where they are on the screen, not at the first empty row', () => {
  // The command prints a line and an empty one, over and over; the frame showed its screen from
  // the empty row under `line 3`, and the terminal pushed that row and the next three.
  const screen = ['line 2', '', 'line 3', '', 'line 4', '', 'line 5', ''];
  const rows = new RunRowsInScrollback('run-1', 10, screen, ['', 'line 4', '', 'line 5'], 80);
  expect(rows.leftScreen).toEqual([]);
  expect(
    printed(rows, [output(['line 2', '', 'line 3', '', 'line 4', '', 'line 5', '', 'line 6'])]),
  ).toEqual(['line 2', '', 'line 3', '', 'line 6']);
});

test('empty rows pushed that all left the screen: the frame’s rows under them say so, an empty row still on the screen notwithstanding', () => {
  // The frame showed `line 2` and what followed; the screen scrolled on by four rows since, and the
  // terminal pushed the frame's first four rows, all gone from the screen.
  const screen = ['line 4', '', 'line 5', ''];
  const rows = new RunRowsInScrollback('run-1', 10, screen, ['line 2', '', 'line 3', ''], 80, [
    'line 4',
    '',
    'line 5',
    '',
    '⠋ loop · 1s',
  ]);
  expect(rows.leftScreen).toEqual(['line 2', '', 'line 3', '']);
  expect(rows.done).toBe(true);
  const startingEmpty = new RunRowsInScrollback('run-1', 10, screen, ['', 'line 3'], 80, [
    '',
    'line 4',
    '',
    'line 5',
  ]);
  expect(startingEmpty.leftScreen).toEqual(['', 'line 3']);
});

test('rows pushed that all left the screen since the frame was drawn are none to leave out, and all in the scrollback', () => {
  // The screen scrolled on past every row pushed before the terminal changed.
  const rows = new RunRowsInScrollback('run-1', 10, ['d', 'e', 'f'], ['a', 'b', 'c'], 80);
  expect(rows.leftScreen).toEqual(['a', 'b', 'c']);
  expect(rows.done).toBe(true);
  expect(printed(rows, [output(['d', 'e'])])).toEqual(['d', 'e']);
});

test('lines waiting to be printed lose the run of lines the scrollback has now, and only that', () => {
  expect(withoutLines('x\n\x1b[1ma\x1b[22m\nb  \ny\n', ['a', 'b'], 80)).toBe('x\ny\n');
  expect(withoutLines('x\na\ny\nb\n', ['a', 'b'], 80)).toBe('x\na\ny\nb\n');
  expect(withoutLines('x\n', [], 80)).toBe('x\n');
  // A line longer than the screen is wide is there as its rows.
  expect(withoutLines('x\n0123456789abc\nd\ny\n', ['0123456789', 'abc', 'd'], 10)).toBe('x\ny\n');
  // Only its first rows: it stays, whole.
  expect(withoutLines('x\n0123456789abc\ny\n', ['0123456789'], 10)).toBe('x\n0123456789abc\ny\n');
});

test('a line other than the one drawn ends the leaving out, so that nothing is lost', () => {
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b', 'c'], ['a', 'b', 'c'], 80);
  expect(printed(rows, [output(['a', 'redrawn', 'b', 'c'])])).toEqual(['redrawn', 'b', 'c']);
  expect(rows.done).toBe(true);
});

test('lines not kept count as they come; the run ending, or blocks from before, end nothing early', () => {
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b', 'c'], ['a', 'b', 'c'], 80);
  const before: TranscriptBlock = {
    id: 5,
    kind: 'output',
    runId: 'run-1',
    lines: ['x'],
    hidden: 0,
  };
  expect(printed(rows, [before, output(['b'], 1)])).toEqual(['x']);
  const footer: TranscriptBlock = {
    id: 50,
    kind: 'footer',
    runId: 'run-1',
    outcome: { kind: 'exit', exitCode: 0, durationMs: 1 },
  };
  expect(printed(rows, [footer, output(['c'])])).toEqual(['<footer>', 'c']);
});

test('rows that are not the screen’s (the frame’s own lines) are never looked for', () => {
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b'], ['lifeline · ● ready'], 80);
  expect(rows.done).toBe(true);
  expect(printed(rows, [output(['lifeline · ● ready'])])).toEqual(['lifeline · ● ready']);
});

test('a line longer than the screen was wide: left out when all its rows were pushed, printed from the first that was not', () => {
  // A screen 10 wide: each line took two rows; the frame showed from the second row of `a`.
  const a = 'a'.repeat(10) + 'A end';
  const b = 'b'.repeat(10) + 'B end';
  const c = 'c'.repeat(10) + 'C end';
  const d = 'd'.repeat(10) + 'D end';
  const screen = ['a'.repeat(10), 'A end', 'b'.repeat(10), 'B end', 'c'.repeat(10), 'C end', 'd'];
  const rows = new RunRowsInScrollback(
    'run-1',
    10,
    screen,
    ['A end', 'b'.repeat(10), 'B end', 'c'.repeat(10)],
    10,
  );
  // `a` had a row above those shown: printed whole. `b` is all in the scrollback; of `c`, what
  // follows its first row.
  expect(printed(rows, [output([a, b]), output([c, d])])).toEqual([a, 'C end', d]);
  expect(rows.done).toBe(true);
});

test('a long line whose later rows differ from those drawn: printed from the first that differs, and every line after it whole', () => {
  const rows = rowsOfNarrowScreen(['x'.repeat(10), 'y end', 'z'], ['x'.repeat(10), 'y end']);
  expect(printed(rows, [output(['x'.repeat(10) + 'Y END', 'z', 'y end'])])).toEqual([
    'Y END',
    'z',
    'y end',
  ]);
});

test('a screen that began with the last rows of a long line: that line is printed whole, the rows pushed after it are not', () => {
  const a = 'a'.repeat(10) + 'A end';
  const b = 'b'.repeat(10) + 'B end';
  const rows = rowsOfNarrowScreen(
    ['A end', 'b'.repeat(10), 'B end', 'c'],
    ['A end', 'b'.repeat(10), 'B end'],
  );
  expect(printed(rows, [output([a, b, 'c'])])).toEqual([a, 'c']);
});

test('only the first line may have begun above the screen: a later one whose first row differs ends the leaving out', () => {
  const rows = rowsOfNarrowScreen(
    ['k', 'x'.repeat(10), 'y end', 'z'],
    ['k', 'x'.repeat(10), 'y end'],
  );
  // The second line comes as something else drawn over the rows, ending in the same last row.
  expect(printed(rows, [output(['k', 'w'.repeat(10) + 'x'.repeat(10), 'y end', 'z'])])).toEqual([
    'w'.repeat(10) + 'x'.repeat(10),
    'y end',
    'z',
  ]);
});

/** The frame's rows `a`…`d` pushed, of a command's screen of `a`…`f`. */
function aToDPushedOfAToF(): RunRowsInScrollback {
  return new RunRowsInScrollback(
    'run-1',
    10,
    ['a', 'b', 'c', 'd', 'e', 'f'],
    ['a', 'b', 'c', 'd'],
    80,
  );
}

test('taken back above the frame, a screen that begins further down the rows pushed (those above left it without coming as lines): the rest pushed are still left out', () => {
  // Made lower, the terminal pushed the frame's rows `a`…`d`, and took them back made taller; the
  // screen, lower and taller again too, let `a`…`c` go without handing them out, and begins with `d`.
  const rows = aToDPushedOfAToF();
  expect(rows.takenBackAboveFrame('run-1')).toEqual(['a', 'b', 'c', 'd']);
  expect(printed(rows, [output(['d', 'e', 'f'])])).toEqual(['e', 'f']);
  expect(rows.done).toBe(true);
});

test('not taken back, a screen that begins further down the rows pushed prints every line (the rows pushed may have been drawn over)', () => {
  const rows = aToDPushedOfAToF();
  expect(printed(rows, [output(['d', 'e', 'f'])])).toEqual(['d', 'e', 'f']);
  expect(rows.done).toBe(true);
});
