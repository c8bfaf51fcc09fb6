import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { ConsumptionReports } from './consumption-reports.js';

const output = (seq: number, length: number): SessionEvent => ({
  seq,
  time: 0,
  type: 'output',
  data: 'x'.repeat(length),
});

/** Reports every `every` characters: a window of twice that, which the gateway cannot change. */
function reportsWorld(every: number, from = -1) {
  const sent: [string, number][] = [];
  const reports = new ConsumptionReports('s_test', from, 2 * every, undefined, (sid, seq) =>
    sent.push([sid, seq]),
  );
  return { reports, sent };
}

test('reports once enough has been applied since the last report, with the last seq applied', () => {
  const { reports, sent } = reportsWorld(100);
  reports.applied(output(0, 60), 0);
  expect(sent).toEqual([]);
  // An event without output counts as the gateway counts it: 64.
  reports.applied({ seq: 1, time: 0, type: 'run_start', runId: 'r1', command: 'ls' }, 1);
  expect(sent).toEqual([['s_test', 1]]);
  reports.applied(output(2, 50), 2);
  reports.applied(output(3, 49), 3);
  expect(sent).toEqual([['s_test', 1]]);
  reports.applied(output(4, 1), 4);
  expect(sent).toEqual([
    ['s_test', 1],
    ['s_test', 4],
  ]);
});

test('events without output are reported too: a stream of them never fills the window', () => {
  const { reports, sent } = reportsWorld(1000);
  for (let seq = 0; seq < 40; seq += 1)
    reports.applied({ seq, time: 0, type: 'input_wait', runId: `r${seq}` }, seq);
  expect(sent).toEqual([
    ['s_test', 15],
    ['s_test', 31],
  ]);
});

test('never reports a seq the attach began after', () => {
  const { reports, sent } = reportsWorld(10, 7);
  reports.applied(output(6, 20), 6);
  expect(sent).toEqual([]);
  reports.applied(output(8, 1), 8);
  expect(sent).toEqual([['s_test', 8]]);
});

test('a new window goes with the next report, once, and sets how often the reports come', () => {
  const sent: [number, number | undefined][] = [];
  let wanted = 200;
  const reports = new ConsumptionReports(
    's_test',
    -1,
    200,
    () => wanted,
    (_sid, seq, window) => sent.push([seq, window]),
  );
  reports.applied(output(0, 100), 0);
  expect(sent).toEqual([[0, undefined]]);
  wanted = 1000;
  reports.applied(output(1, 100), 1);
  expect(sent).toEqual([
    [0, undefined],
    [1, 1000],
  ]);
  // Half of the new window between two reports now.
  reports.applied(output(2, 400), 2);
  expect(sent).toHaveLength(2);
  reports.applied(output(3, 100), 3);
  expect(sent.at(-1)).toEqual([3, undefined]);
});
