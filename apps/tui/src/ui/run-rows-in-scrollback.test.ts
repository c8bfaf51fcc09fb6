import { expect, test } from 'vitest';
import type { TranscriptBlock } from '../session/transcript-fold.js';
import { RunRowsInScrollback, withoutLines } from './run-rows-in-scrollback.js';

let nextId = 10;
function output(lines: string[], hidden = 0, runId = 'run-1'): TranscriptBlock {
  nextId += 1;
  return { id: nextId, kind: 'output', runId, lines, hidden };
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
  );
  expect(
    printed(rows, [output(['\x1b[1mline 1\x1b[22m']), output(['line 2  ', 'line 3'])]),
  ).toEqual(['line 3']);
  expect(rows.done).toBe(true);
});

test('rows above those the frame showed are printed first; lines already gone from the screen are passed over', () => {
  // The frame showed `b`…; the screen scrolled on by one line (`a` went) before the terminal changed.
  const rows = new RunRowsInScrollback('run-1', 10, ['top', 'b', 'c', 'd'], ['a', 'b', 'c']);
  expect(printed(rows, [output(['top', 'b']), output(['c', 'd'])])).toEqual(['top', 'd']);
  // `a` left the screen since the frame was drawn: it waits to be printed, and is in the scrollback.
  expect(rows.leftScreen).toEqual(['a']);
});

test('rows pushed that all left the screen since the frame was drawn are none to leave out, and all in the scrollback', () => {
  // The screen scrolled on past every row pushed before the terminal changed.
  const rows = new RunRowsInScrollback('run-1', 10, ['d', 'e', 'f'], ['a', 'b', 'c']);
  expect(rows.leftScreen).toEqual(['a', 'b', 'c']);
  expect(rows.done).toBe(true);
  expect(printed(rows, [output(['d', 'e'])])).toEqual(['d', 'e']);
});

test('lines waiting to be printed lose the run of lines the scrollback has now, and only that', () => {
  expect(withoutLines('x\n\x1b[1ma\x1b[22m\nb  \ny\n', ['a', 'b'])).toBe('x\ny\n');
  expect(withoutLines('x\na\ny\nb\n', ['a', 'b'])).toBe('x\na\ny\nb\n');
  expect(withoutLines('x\n', [])).toBe('x\n');
});

test('a line other than the one drawn ends the leaving out, so that nothing is lost', () => {
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b', 'c'], ['a', 'b', 'c']);
  expect(printed(rows, [output(['a', 'redrawn', 'b', 'c'])])).toEqual(['redrawn', 'b', 'c']);
  expect(rows.done).toBe(true);
});

test('lines not kept count as they come; the run ending, or blocks from before, end nothing early', () => {
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b', 'c'], ['a', 'b', 'c']);
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
  const rows = new RunRowsInScrollback('run-1', 10, ['a', 'b'], ['lifeline · ● ready']);
  expect(rows.done).toBe(true);
  expect(printed(rows, [output(['lifeline · ● ready'])])).toEqual(['lifeline · ● ready']);
});
