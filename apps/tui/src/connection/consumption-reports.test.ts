import { type SessionEvent, windowedSize } from '@lifeline/protocol';
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

// The gateway sends while less than a window is unreported; a long output event is applied in
// parts, and a report made between two parts covers only the events before it. The parts applied
// before that report must still count towards the next one, or the client waits for more while
// the gateway waits for a report: the session's view stops (seen after floods: a run never ends).
test('a report made between the parts of an event still counts those parts: the gateway never waits on a client that has applied all it was sent', () => {
  const window = 100_000;
  const reported: number[] = [];
  const reports = new ConsumptionReports('s_test', -1, window, undefined, (_sid, seq) =>
    reported.push(seq),
  );
  // The session's events: a run's start, output of 65,640 and 40,000 characters, the run's end.
  const events: SessionEvent[] = [
    { seq: 0, time: 0, type: 'run_start', runId: 'r', command: 'seq 1 150000' },
    output(1, 65_640),
    output(2, 40_000),
    {
      seq: 3,
      time: 0,
      type: 'run_complete',
      runId: 'r',
      startSeq: 0,
      exitCode: 0,
      cwd: '/',
      durationMs: 1,
    },
  ];
  // The gateway: sends while less than the window is unreported (see its OutputWindow).
  const unreported: SessionEvent[] = [];
  let next = 0;
  const send = () => {
    const inFlight = () => unreported.reduce((sum, event) => sum + windowedSize(event), 0);
    while (next < events.length && inFlight() < window) unreported.push(events[next++]!);
  };
  const consume = () => {
    const seq = reported.at(-1) ?? -1;
    while ((unreported[0]?.seq ?? Infinity) <= seq) unreported.shift();
    send();
  };
  send();
  // The client applies what it was sent, output in parts of 8 KiB, as InboundEvents does.
  for (let applied = 0; applied < events.length; applied += 1) {
    const event = events[applied];
    if (event === undefined || applied >= next) break;
    const parts = event.type === 'output' ? Math.ceil(event.data.length / 8192) : 1;
    for (let part = 0; part < parts; part += 1) {
      const last = part === parts - 1;
      const data = event.type === 'output' ? event.data.slice(part * 8192, (part + 1) * 8192) : '';
      reports.applied(
        event.type === 'output' ? { ...event, data } : event,
        last ? event.seq : event.seq - 1,
      );
      consume();
    }
  }
  // Everything was sent, the run's end included, and applied.
  expect(next).toBe(events.length);
});
