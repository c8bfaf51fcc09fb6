import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { ConsumptionReports } from './consumption-reports.js';

const output = (seq: number, length: number): SessionEvent => ({
  seq,
  time: 0,
  type: 'output',
  data: 'x'.repeat(length),
});

function reportsWorld(every: number, from = -1) {
  const sent: [string, number][] = [];
  const reports = new ConsumptionReports('s_test', from, every, (sid, seq) =>
    sent.push([sid, seq]),
  );
  return { reports, sent };
}

test('reports once enough output has been applied since the last report, with the last seq applied', () => {
  const { reports, sent } = reportsWorld(100);
  reports.applied(output(0, 60), 0);
  expect(sent).toEqual([]);
  reports.applied({ seq: 1, time: 0, type: 'run_start', runId: 'r1', command: 'ls' }, 1);
  reports.applied(output(2, 50), 2);
  expect(sent).toEqual([['s_test', 2]]);
  reports.applied(output(3, 99), 3);
  expect(sent).toEqual([['s_test', 2]]);
  reports.applied(output(4, 1), 4);
  expect(sent).toEqual([
    ['s_test', 2],
    ['s_test', 4],
  ]);
});

test('an explicit report says how far it got, but never the same seq twice, nor one the attach began after', () => {
  const { reports, sent } = reportsWorld(1000, 7);
  reports.report(7);
  reports.applied(output(8, 10), 8);
  reports.report(8);
  reports.report(8);
  expect(sent).toEqual([['s_test', 8]]);
});
