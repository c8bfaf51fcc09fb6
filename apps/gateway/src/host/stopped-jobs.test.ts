import { expect, test } from 'vitest';
import type { ProcReader } from './proc-reader.js';
import { statusWithStop, stoppedChildren } from './stopped-jobs.js';

/** A `/proc` of a shell (pid 1) whose children have these `stat` lines. */
function procOf(stats: Record<number, string>): ProcReader {
  return {
    stat: (pid) => stats[pid],
    syscall: () => undefined,
    fdTarget: () => undefined,
    fdInfo: () => undefined,
    memory: () => undefined,
    children: (pid) => (pid === 1 ? Object.keys(stats).map(Number) : []),
  };
}

test('the children stopped by job control are those whose state is T, whatever their name holds', () => {
  const proc = procOf({
    10: '10 (sleep) T 1 10 10 34816 1 …',
    11: '11 (vim) S 1 11 11 34816 1 …',
    // A name with a space, a parenthesis and a state-like letter of its own.
    12: '12 (a) T (b) R 1 12 12 34816 1 …',
    13: '13 (cat) t 1 13 13 34816 1 …',
  });
  expect([...stoppedChildren(proc, 1)]).toEqual([10]);
  // A child gone between the listing and its stat is not stopped.
  expect([...stoppedChildren({ ...proc, stat: () => undefined }, 1)]).toEqual([]);
});

test('a run is stopped when a child of the shell is stopped now that was not as it started', () => {
  expect(statusWithStop(0, new Set(), new Set([10]))).toBe(148);
  expect(statusWithStop(130, new Set([10]), new Set([10, 11]))).toBe(148);
  // A job stopped before the run started says nothing of the run.
  expect(statusWithStop(1, new Set([10]), new Set([10]))).toBe(1);
  expect(statusWithStop(0, new Set(), new Set())).toBe(0);
});
