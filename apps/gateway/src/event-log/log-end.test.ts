import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { EventLogWriter } from './event-log-writer.js';
import { logEndLooksWhole } from './log-end.js';
import { ACTIVE_SEGMENT_FILE } from './segment-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

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
