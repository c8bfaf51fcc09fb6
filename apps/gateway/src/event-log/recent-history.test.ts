import { expect, test } from 'vitest';
import type { EventPayload } from '@lifeline/protocol';
import { temporaryDirectory } from '../test-utils/temporary-state.js';
import { readEvents } from './event-log-reader.js';
import { EventLogWriter } from './event-log-writer.js';
import { findRecentHistoryStart } from './recent-history.js';

/** Writes `runs` runs of `linesPerRun` lines of output each into a new log (small segments). */
function logOfRuns(
  runs: number,
  linesPerRun: number,
  dir = temporaryDirectory('lifeline-recent-'),
) {
  const log = EventLogWriter.open(dir, { maxSegmentBytes: 64 * 1024, indexEveryEvents: 16 });
  const append = (payload: EventPayload) => log.append(payload);
  append({ type: 'host_start', pid: 1, cwd: '/work', term: 'xterm' });
  append({ type: 'resize', cols: 80, rows: 24 });
  for (let run = 0; run < runs; run += 1) {
    if (run === 2) append({ type: 'resize', cols: 120, rows: 40 });
    const start = append({ type: 'run_start', runId: `r${run}`, command: `print ${run}` });
    for (let line = 0; line < linesPerRun; line += 1)
      // Output that quotes the records' own words is no record.
      append({ type: 'output', data: `run ${run} line ${line} "type":"run_complete"\r\n` });
    append({
      type: 'run_complete',
      runId: `r${run}`,
      startSeq: start.seq,
      exitCode: 0,
      cwd: '/work',
      durationMs: 5,
    });
  }
  log.close();
  return dir;
}

function readAllFrom(dir: string, seq: number) {
  return readEvents(dir, seq, { limit: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER })
    .events;
}

test('a long log is read from the end of the last run before its last stretch, with the shell and size it had', () => {
  const dir = logOfRuns(6, 1000);
  const all = readAllFrom(dir, 0);
  const start = findRecentHistoryStart(dir, 150 * 1024);
  expect(start).toBeDefined();
  if (!start) return;
  // The first event read is a run's end; every run after it is read whole.
  const rest = readAllFrom(dir, start.throughSeq + 1);
  expect(rest[0]?.type).toBe('run_complete');
  const runsRead = rest.filter((event) => event.type === 'run_start').length;
  expect(runsRead).toBeGreaterThanOrEqual(1);
  expect(runsRead).toBeLessThan(6);
  // What is read covers at least the stretch asked for, and says how much is left out.
  const recordBytes = (events: typeof all) =>
    events.reduce((sum, event) => sum + JSON.stringify(event).length + 1, 0);
  expect(recordBytes(rest)).toBeGreaterThanOrEqual(150 * 1024);
  expect(start.bytes).toBe(recordBytes(all.slice(0, start.throughSeq + 1)));
  expect(start.context).toEqual([
    all.find((event) => event.type === 'host_start'),
    all.findLast((event) => event.type === 'resize'),
  ]);
});

test('a log no longer than the stretch, or whose last run reaches back over it, is read whole', () => {
  expect(findRecentHistoryStart(logOfRuns(2, 100), 1024 * 1024)).toBeUndefined();
  // One run longer than the stretch: nothing completed before it but the start of the log.
  expect(findRecentHistoryStart(logOfRuns(1, 3000), 64 * 1024)).toBeUndefined();
  expect(findRecentHistoryStart(temporaryDirectory('lifeline-recent-'), 1024)).toBeUndefined();
});
