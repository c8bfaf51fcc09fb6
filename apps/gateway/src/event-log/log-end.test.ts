import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { EventLogWriter } from './event-log-writer.js';
import { LogEndLook } from './log-end.js';
import { ACTIVE_SEGMENT_FILE } from './segment-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A first look at the end of the log in `dir`. */
const logEndLooksWhole = (dir: string) => new LogEndLook().looksWhole(dir);

/** Appends `count` output records from `seq` on to the segment, as a log writer does. */
function appendRecords(segment: string, seq: number, count: number): void {
  let text = '';
  for (let index = seq; index < seq + count; index += 1)
    text += `${JSON.stringify({ seq: index, time: 0, type: 'output', data: `line ${index}` })}\n`;
  fs.appendFileSync(segment, text);
}

/** A session log of `count` output events, and its active segment. */
function logOf(count: number): { dir: string; segment: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-log-end-'));
  dirs.push(dir);
  const log = EventLogWriter.open(dir);
  for (let index = 0; index < count; index += 1)
    log.append({ type: 'output', data: `line ${index} ${'x'.repeat(60)}\r\n` });
  log.close();
  return { dir, segment: path.join(dir, ACTIVE_SEGMENT_FILE) };
}

test('a log whose end holds records, one after another, looks whole, long or short, written or not', () => {
  expect(logEndLooksWhole(logOf(0).dir)).toBe(true);
  expect(logEndLooksWhole(logOf(3).dir)).toBe(true);
  expect(logEndLooksWhole(logOf(1000).dir)).toBe(true);
  // A record still being written is not looked at.
  const { dir, segment } = logOf(1000);
  fs.appendFileSync(segment, '{"seq":1000,"time":0,"type":"out');
  expect(logEndLooksWhole(dir)).toBe(true);
});

test('a line that is not a record, or a seq out of turn, near the end of the log: it does not look whole', () => {
  const garbage = logOf(1000);
  fs.appendFileSync(garbage.segment, 'GARBAGE\n');
  expect(logEndLooksWhole(garbage.dir)).toBe(false);
  // Records written after it since.
  const followed = logOf(1000);
  fs.appendFileSync(
    followed.segment,
    'GARBAGE\n{"seq":1000,"time":0,"type":"output","data":"a"}\n',
  );
  expect(logEndLooksWhole(followed.dir)).toBe(false);
  const skipped = logOf(10);
  fs.appendFileSync(skipped.segment, '{"seq":11,"time":0,"type":"output","data":"a"}\n');
  expect(logEndLooksWhole(skipped.dir)).toBe(false);
});

test('looked at again as records are added, the end of the log is checked to follow on from the last look', () => {
  const { dir, segment } = logOf(1000);
  const look = new LogEndLook();
  expect(look.looksWhole(dir)).toBe(true);
  appendRecords(segment, 1000, 5);
  expect(look.looksWhole(dir)).toBe(true);
  // Half a record, then the rest of it: looked at once it ends.
  fs.appendFileSync(segment, '{"seq":1005,"time":0,"ty');
  expect(look.looksWhole(dir)).toBe(true);
  fs.appendFileSync(segment, 'pe":"output","data":"a"}\n');
  expect(look.looksWhole(dir)).toBe(true);
  expect(look.looksWhole(dir)).toBe(true);
  // A seq that repeats the last one looked at, though the lines since are records.
  appendRecords(segment, 1005, 1);
  expect(look.looksWhole(dir)).toBe(false);
  // Garbage written since the last look.
  const damaged = logOf(20);
  const damagedLook = new LogEndLook();
  expect(damagedLook.looksWhole(damaged.dir)).toBe(true);
  fs.appendFileSync(damaged.segment, 'GARBAGE\n');
  appendRecords(damaged.segment, 21, 2);
  expect(damagedLook.looksWhole(damaged.dir)).toBe(false);
});

test('a log grown past the look, rotated or removed since the last look is looked at afresh', () => {
  const { dir, segment } = logOf(10);
  const look = new LogEndLook();
  expect(look.looksWhole(dir)).toBe(true);
  // Garbage, then more than a look's worth of records: only the end is looked at, as at first.
  fs.appendFileSync(segment, 'GARBAGE\n');
  appendRecords(segment, 11, 200);
  expect(look.looksWhole(dir)).toBe(true);
  // A new active segment (the log rotated), starting at a seq the old one never reached.
  fs.renameSync(segment, `${segment}.old`);
  appendRecords(segment, 5000, 3);
  expect(look.looksWhole(dir)).toBe(true);
  fs.rmSync(segment);
  expect(look.looksWhole(dir)).toBe(true);
  appendRecords(segment, 0, 2);
  fs.appendFileSync(segment, 'GARBAGE\n');
  expect(look.looksWhole(dir)).toBe(false);
});
