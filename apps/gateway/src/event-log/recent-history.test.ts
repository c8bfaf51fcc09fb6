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

test('a log no longer than the stretch is read whole', () => {
  expect(findRecentHistoryStart(logOfRuns(2, 100), 1024 * 1024)).toBeUndefined();
  expect(findRecentHistoryStart(temporaryDirectory('lifeline-recent-'), 1024)).toBeUndefined();
});

/** A log of one run `command` that printed `first`, then `lines` lines, and did not end (yet). */
function logOfLongRun(first: string, lines: number, runsBefore = 0) {
  const dir = logOfRuns(runsBefore, 10);
  const log = EventLogWriter.open(dir, { maxSegmentBytes: 64 * 1024, indexEveryEvents: 16 });
  log.append({ type: 'run_start', runId: 'long', command: 'long' });
  log.append({ type: 'output', data: first });
  for (let line = 0; line < lines; line += 1)
    log.append({ type: 'output', data: `long line ${line}\r\n` });
  log.close();
  return dir;
}

test('a run longer than twice the stretch is shown from the stretch on, with its start, not read whole', () => {
  for (const runsBefore of [0, 3]) {
    const dir = logOfLongRun('starting\r\n', 5000, runsBefore);
    const all = readAllFrom(dir, 0);
    const start = findRecentHistoryStart(dir, 40 * 1024);
    expect(start).toBeDefined();
    if (!start) return;
    const rest = readAllFrom(dir, start.throughSeq + 1);
    // The stretch is read from its first record on: the run's last lines, not its first.
    expect(rest[0]?.type).toBe('output');
    expect(rest.at(-1)).toEqual(all.at(-1));
    const recordBytes = (events: typeof all) =>
      events.reduce((sum, event) => sum + JSON.stringify(event).length + 1, 0);
    // The stretch's first whole record on: all of it but the end of a record cut by its start.
    expect(recordBytes(rest)).toBeLessThanOrEqual(40 * 1024);
    expect(recordBytes(rest)).toBeGreaterThan(40 * 1024 - 64);
    expect(start.bytes).toBe(recordBytes(all.slice(0, start.throughSeq + 1)));
    // What follows is shown as that run's: its start comes with the shell and the size.
    expect(start.context).toEqual([
      all.find((event) => event.type === 'host_start'),
      all.findLast((event) => event.type === 'resize'),
      all.find((event) => event.type === 'run_start' && event.runId === 'long'),
    ]);
  }
});

test('a run that set a terminal mode in the part left out is read whole', () => {
  // The alternate screen, or the cursor keys' mode, would be lost with it.
  for (const mode of ['\u001b[?1049h', '\u001b[?1h\u001b=', '\u001b[?25;2004h', '\u001b[?7l']) {
    expect(findRecentHistoryStart(logOfLongRun(mode, 5000), 40 * 1024)).toBeUndefined();
    const dir = logOfLongRun(mode, 5000, 3);
    const start = findRecentHistoryStart(dir, 40 * 1024);
    // From the end of the run before it.
    expect(readAllFrom(dir, (start?.throughSeq ?? -2) + 1)[0]?.type).toBe('run_complete');
    expect(start?.context.map((event) => event.type)).toEqual(['host_start', 'resize']);
  }
});

test('a run that only reset modes in the part left out is not read whole', () => {
  // The line editor turns bracketed paste off as a typed command starts: the mode's default.
  expect(
    findRecentHistoryStart(logOfLongRun('\u001b[?2004l\u001b[?25l\u001b[?1l', 5000), 40 * 1024),
  ).toBeDefined();
});
