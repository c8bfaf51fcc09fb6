import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { readEvents } from './event-log-reader.js';
import { EventLogWriter } from './event-log-writer.js';
import { SpaceWaitingLog, type DiskEventLog } from './space-waiting-log.js';
import { lostSeqNotes, UNWRITTEN_SEQ_FILE, UnwrittenSeqMark } from './unwritten-seq-mark.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real log on disk whose writes fail with ENOSPC while `full` is set. */
function diskThatFills(): { disk: DiskEventLog; dir: string; setFull: (full: boolean) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-space-'));
  dirs.push(dir);
  const writer = EventLogWriter.open(dir, { now: () => 1000 });
  let full = false;
  const refuse = () => {
    if (full)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  const disk: DiskEventLog = {
    dir,
    get lastSeq() {
      return writer.lastSeq;
    },
    get lastTime() {
      return writer.lastTime;
    },
    appendRecorded: (payload) => (refuse(), writer.appendRecorded(payload)),
    appendEvent: (event) => (refuse(), writer.appendEvent(event)),
    close: () => writer.close(),
  };
  return { disk, dir, setFull: (value) => (full = value) };
}

test('output beyond what may be held is dropped, counted, and the count recorded once there is room', () => {
  const { disk, dir, setFull } = diskThatFills();
  const announced: SessionEvent[] = [];
  const log = new SpaceWaitingLog(disk, {
    announce: (event) => announced.push(event),
    now: () => 2000,
    maxHeldBytes: 10,
  });
  log.appendRecorded({ type: 'output', data: 'before' });
  setFull(true);
  const returned = [
    log.appendRecorded({ type: 'output', data: 'held-1' }).event,
    log.appendRecorded({ type: 'output', data: 'dropped!' }).event,
  ];
  expect(announced.map((event) => event.type === 'note' && event.condition)).toEqual(['disk_full']);
  expect(returned.map((event) => event.seq)).toEqual([2, 3]);
  expect(returned[1]).toMatchObject({
    type: 'note',
    text: '8 bytes of output were dropped: the disk was full',
    condition: 'output_dropped',
    lostBytes: 8,
  });
  log.retry();
  expect(log.waitingForSpace).toBe(true);

  setFull(false);
  log.retry();
  expect(log.waitingForSpace).toBe(false);
  expect(announced.at(-1)).toMatchObject({
    seq: 4,
    condition: 'disk_space_returned',
    lostBytes: 8,
  });
  const onDisk = readEvents(dir, 0).events;
  expect(onDisk.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
  expect(onDisk.map((event) => (event.type === 'output' ? event.data : event.type))).toEqual([
    'before',
    'note',
    'held-1',
    'note',
    'note',
  ]);
  log.appendRecorded({ type: 'output', data: 'after' });
  expect(readEvents(dir, 5).events).toMatchObject([{ seq: 5, data: 'after' }]);
});

test('once output was dropped, the rest of the run’s is dropped too: the output kept never resumes in the middle of the gap, and the prompt after it shows', () => {
  const { disk, dir, setFull } = diskThatFills();
  const log = new SpaceWaitingLog(disk, { announce: () => undefined, maxHeldBytes: 10 });
  setFull(true);
  // 8 bytes held; the next piece does not fit; the last, of 2, would, but a line was cut before it.
  const dropped = ['ine-2\nline-3\nli', 'e\n'];
  for (const data of ['line-1\nl', ...dropped]) log.appendRecorded({ type: 'output', data });
  // The run ends: the prompt after it is held, beyond the limit, so the shell still shows one.
  log.appendRecorded({
    type: 'run_complete',
    runId: 'r1',
    startSeq: 0,
    exitCode: 0,
    cwd: '/',
    durationMs: 5,
  });
  log.appendRecorded({ type: 'prompt_start' });
  log.appendRecorded({ type: 'output', data: 'root@host:/# ' });
  setFull(false);
  log.retry();
  // Written again, the session goes on with all it prints.
  log.appendRecorded({ type: 'output', data: 'line-6\n' });
  const onDisk = readEvents(dir, 0).events;
  expect(onDisk.flatMap((event) => (event.type === 'output' ? [event.data] : []))).toEqual([
    'line-1\nl',
    'root@host:/# ',
    'line-6\n',
  ]);
  expect(onDisk.at(-2)).toMatchObject({
    condition: 'disk_space_returned',
    lostBytes: dropped.join('').length,
  });
});

test('while the disk stays full, each prompt and short command after a gap still shows, however many came before', () => {
  const { disk, dir, setFull } = diskThatFills();
  const log = new SpaceWaitingLog(disk, { announce: () => undefined, maxHeldBytes: 1000 });
  setFull(true);
  const big = 'x'.repeat(70 * 1024);
  for (let round = 1; round <= 20; round += 1) {
    log.appendRecorded({ type: 'prompt_start' });
    log.appendRecorded({ type: 'output', data: `prompt-${round}$ ` });
    log.appendRecorded({ type: 'run_start', runId: `r${round}`, command: 'flood' });
    log.appendRecorded({ type: 'output', data: `short-${round}\n` });
    // More than a run may hold: dropped, and what follows in the run with it.
    log.appendRecorded({ type: 'output', data: big });
    log.appendRecorded({ type: 'output', data: `after-${round}\n` });
    log.appendRecorded({
      type: 'run_complete',
      runId: `r${round}`,
      startSeq: 0,
      exitCode: 0,
      cwd: '/',
      durationMs: 5,
    });
  }
  setFull(false);
  log.retry();
  const output = readEvents(dir, 0).events.flatMap((event) =>
    event.type === 'output' ? [event.data] : [],
  );
  expect(output).toEqual(
    Array.from({ length: 20 }, (_, index) => [
      `prompt-${index + 1}$ `,
      `short-${index + 1}\n`,
    ]).flat(),
  );
});

test('a write failure other than a full disk is thrown, not held', () => {
  const { disk } = diskThatFills();
  const log = new SpaceWaitingLog(
    {
      ...disk,
      appendRecorded: () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      },
    },
    { announce: () => undefined },
  );
  expect(() => log.appendRecorded({ type: 'output', data: 'x' })).toThrow('EIO');
  expect(log.waitingForSpace).toBe(false);
});

test('what a log held when its host died keeps its seqs: the next host takes them up with notes before anything else', () => {
  const { disk, dir, setFull } = diskThatFills();
  const mark = UnwrittenSeqMark.open(dir);
  const log = new SpaceWaitingLog(disk, { announce: () => undefined, mark });
  log.appendRecorded({ type: 'output', data: 'written' });
  setFull(true);
  const held = [
    log.appendRecorded({ type: 'output', data: 'held-1' }).event,
    log.appendRecorded({ type: 'output', data: 'held-2' }).event,
  ];
  // Clients saw seqs 1 (the note that the disk is full) to 3; the host dies with them in memory.
  expect(held.map((event) => event.seq)).toEqual([2, 3]);
  mark.close();
  disk.close();

  const reopened = EventLogWriter.open(dir, { now: () => 3000 });
  expect(reopened.lastSeq).toBe(0);
  for (const payload of lostSeqNotes(reopened.lastSeq, UnwrittenSeqMark.read(dir)))
    reopened.append(payload);
  const next = reopened.appendRecorded({ type: 'output', data: 'after' }).event;
  reopened.close();
  expect(next.seq).toBe(4);
  const events = readEvents(dir, 0).events;
  expect(events.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
  expect(events[1]).toMatchObject({
    type: 'note',
    text: '3 events of this session were lost: its session host died while the disk was full, before it could write what it held in memory',
  });
  expect(events.slice(2, 4)).toMatchObject([
    { type: 'note', text: '' },
    { type: 'note', text: '' },
  ]);
  // Taken up once: the log has every seq up to the mark now.
  expect(lostSeqNotes(4, UnwrittenSeqMark.read(dir))).toEqual([]);
});

test('the mark of unwritten seqs keeps its size when it is rewritten, and reads -1 where there is none', () => {
  const { dir } = diskThatFills();
  expect(UnwrittenSeqMark.read(dir)).toBe(-1);
  const mark = UnwrittenSeqMark.open(dir);
  const size = fs.statSync(path.join(dir, UNWRITTEN_SEQ_FILE)).size;
  mark.held(7);
  mark.held(123_456_789_012);
  mark.close();
  expect(fs.statSync(path.join(dir, UNWRITTEN_SEQ_FILE)).size).toBe(size);
  expect(UnwrittenSeqMark.read(dir)).toBe(123_456_789_012);
  expect(lostSeqNotes(5, -1)).toEqual([]);
});
