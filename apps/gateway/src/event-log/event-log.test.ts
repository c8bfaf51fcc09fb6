import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { afterEach, describe, expect, test } from 'vitest';
import type { EventPayload } from '@lifeline/protocol';
import { EventLogDamagedError } from './event-log-damaged-error.js';
import { readEvents, readLastEvent, readLastSeq } from './event-log-reader.js';
import { EventLogWriter } from './event-log-writer.js';
import { ReadAhead } from './read-ahead.js';
import { ACTIVE_SEGMENT_FILE, INDEX_FILE, archivedSegmentFile } from './segment-files.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const output = (data: string): EventPayload => ({ type: 'output', data });
let clock = 1_700_000_000_000;
const now = () => (clock += 1);

function readAll(dir: string) {
  return readEvents(dir, 0, { limit: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER })
    .events;
}

/** Each seq read on its own, so that every one is looked up through the index. */
function readEachThroughIndex(dir: string, count: number) {
  return Array.from(
    { length: count },
    (_, seq) => readEvents(dir, seq, { limit: 1 }).events[0]?.seq,
  );
}

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

/**
 * Runs `write` while this process may not write past `bytes` into any file, as on a full disk: a
 * write that crosses the limit is cut short and the next one fails (EFBIG).
 */
function withFileSizeLimit<T>(bytes: number, write: () => T): T {
  const prlimit = (...args: string[]) => {
    const result = spawnSync('prlimit', ['--pid', String(process.pid), ...args], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  const soft = prlimit('--fsize', '--raw', '--noheadings', '--output=SOFT');
  prlimit(`--fsize=${bytes}:`);
  try {
    return write();
  } finally {
    prlimit(`--fsize=${soft}:`);
  }
}

describe('EventLogWriter', () => {
  test('appends records with contiguous seqs from 0 that read back in order', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now });
    log.append({ type: 'run_start', runId: 'r1', command: 'echo hi' });
    log.append(output('hi\r\n'));
    log.append({
      type: 'run_complete',
      runId: 'r1',
      startSeq: 0,
      exitCode: 0,
      cwd: '/tmp',
      durationMs: 3,
    });
    log.close();
    const events = readAll(dir);
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [0, 'run_start'],
      [1, 'output'],
      [2, 'run_complete'],
    ]);
    expect(readLastSeq(dir)).toBe(2);
  });

  test('creates the log files readable by their owner only', () => {
    const dir = path.join(tempDir(), 'session');
    const log = EventLogWriter.open(dir, { now });
    log.append(output('x'));
    log.close();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, ACTIVE_SEGMENT_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, INDEX_FILE)).mode & 0o777).toBe(0o600);
  });

  test('refuses an invalid record and writes nothing', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now });
    expect(() => log.append({ type: 'resize', cols: 0, rows: 10 })).toThrow(/cols/);
    expect(() => log.append({ type: 'bogus' } as unknown as EventPayload)).toThrow();
    expect(() => log.append({ type: 'output', data: 1 } as unknown as EventPayload)).toThrow();
    expect(() =>
      log.append({ type: 'output', data: 'x', extra: 1 } as unknown as EventPayload),
    ).toThrow(/extra/);
    log.append(output('ok'));
    log.close();
    expect(readAll(dir).map((event) => event.seq)).toEqual([0]);
  });

  test('continues the seq after a reopen', () => {
    const dir = tempDir();
    const first = EventLogWriter.open(dir, { now });
    for (let index = 0; index < 5; index += 1) first.append(output(`a${index}`));
    first.close();
    const second = EventLogWriter.open(dir, { now });
    expect(second.lastSeq).toBe(4);
    expect(second.append(output('b')).seq).toBe(5);
    second.close();
    expect(readAll(dir).map((event) => event.seq)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('repairs a record torn by a crash and a torn index line', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, indexEveryEvents: 2 });
    for (let index = 0; index < 5; index += 1) log.append(output(`line ${index}`));
    log.close();
    fs.appendFileSync(path.join(dir, ACTIVE_SEGMENT_FILE), '{"seq":5,"time":1,"type":"outp');
    fs.appendFileSync(path.join(dir, INDEX_FILE), '6 0 9');

    const reopened = EventLogWriter.open(dir, { now });
    expect(reopened.lastSeq).toBe(4);
    expect(reopened.append(output('after crash')).seq).toBe(5);
    reopened.close();
    const events = readAll(dir);
    expect(events.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.at(-1)).toMatchObject({ type: 'output', data: 'after crash' });
  });

  test('rotates by size into archived segments without breaking the seq', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, maxSegmentBytes: 4096, indexEveryEvents: 8 });
    for (let index = 0; index < 300; index += 1) log.append(output(`event ${index} `.repeat(4)));
    log.close();
    const archived = fs.readdirSync(dir).filter((name) => /^events\.\d{12}\.jsonl$/.test(name));
    expect(archived.length).toBeGreaterThan(5);
    expect(readAll(dir).map((event) => event.seq)).toEqual(
      Array.from({ length: 300 }, (_, seq) => seq),
    );
    const reopened = EventLogWriter.open(dir, { now, maxSegmentBytes: 4096 });
    expect(reopened.append(output('next')).seq).toBe(300);
    reopened.close();
  });

  test('resumes after a crash between a rotation and the first record of the new segment', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now });
    for (let index = 0; index < 3; index += 1) log.append(output(`e${index}`));
    log.close();
    fs.renameSync(path.join(dir, ACTIVE_SEGMENT_FILE), path.join(dir, archivedSegmentFile(0)));
    const reopened = EventLogWriter.open(dir, { now });
    expect(reopened.lastSeq).toBe(2);
    expect(reopened.append(output('e3')).seq).toBe(3);
    reopened.close();
    expect(readAll(dir).map((event) => event.seq)).toEqual([0, 1, 2, 3]);
  });

  test.runIf(hasPrlimit)(
    'a write cut short by a full disk leaves the log as it was, and appending carries on once there is room',
    () => {
      const dir = tempDir();
      const log = EventLogWriter.open(dir, { now, indexEveryEvents: 1, maxSegmentBytes: 1200 });
      for (let index = 0; index < 5; index += 1) log.append(output(`before ${index}`));
      const segment = path.join(dir, ACTIVE_SEGMENT_FILE);
      const index = path.join(dir, INDEX_FILE);
      /** Appends `data` while only `room` more bytes fit into `file`. */
      const appendOnFullDisk = (file: string, room: number, data: string) =>
        withFileSizeLimit(fs.statSync(file).size + room, () => log.append(output(data)));
      // The record is cut short, then an index entry, then the first index entry of a new segment.
      expect(() => appendOnFullDisk(segment, 10, 'x'.repeat(100))).toThrow(/EFBIG/);
      expect(() => appendOnFullDisk(index, 3, 'y'.repeat(100))).toThrow(/EFBIG/);
      while (fs.statSync(segment).size + 200 <= 1200) log.append(output('z'.repeat(100)));
      const beforeRotation = log.lastSeq;
      expect(() => appendOnFullDisk(index, 3, 'w'.repeat(200))).toThrow(/EFBIG/);
      expect(fs.readdirSync(dir)).toContain(archivedSegmentFile(0));
      expect(log.lastSeq).toBe(beforeRotation);

      expect(log.append(output('after')).seq).toBe(beforeRotation + 1);
      log.close();
      const count = beforeRotation + 2;
      expect(readAll(dir).map((event) => event.seq)).toEqual(
        Array.from({ length: count }, (_, seq) => seq),
      );
      expect(readAll(dir).at(-1)).toMatchObject({ data: 'after' });
      expect(readEachThroughIndex(dir, count)).toEqual(
        Array.from({ length: count }, (_, seq) => seq),
      );
      const reopened = EventLogWriter.open(dir, { now });
      expect(reopened.append(output('next')).seq).toBe(count);
      reopened.close();
    },
  );

  test('resumes after a crash while writing the first record of a segment, and indexes that segment once', () => {
    const dir = tempDir();
    const options = { now, maxSegmentBytes: 1024, indexEveryEvents: 4 };
    const log = EventLogWriter.open(dir, options);
    for (let index = 0; index < 5; index += 1) log.append(output(`e${index}`));
    log.close();
    // The segment was rotated and the new one's index entry written; its first record was torn.
    fs.renameSync(path.join(dir, ACTIVE_SEGMENT_FILE), path.join(dir, archivedSegmentFile(0)));
    fs.appendFileSync(path.join(dir, INDEX_FILE), '5 5 0\n');
    fs.writeFileSync(path.join(dir, ACTIVE_SEGMENT_FILE), '{"seq":5,"time":17');
    expect(readLastEvent(dir)).toMatchObject({ seq: 4, data: 'e4' });

    const reopened = EventLogWriter.open(dir, options);
    expect(reopened.lastSeq).toBe(4);
    // Enough to rotate again, so that later segments are reachable only through later entries.
    for (let index = 5; index < 100; index += 1) reopened.append(output(`e${index} `.repeat(5)));
    reopened.close();
    const seqs = Array.from({ length: 100 }, (_, seq) => seq);
    expect(readAll(dir).map((event) => event.seq)).toEqual(seqs);
    expect(readEachThroughIndex(dir, 100)).toEqual(seqs);
    expect(readLastSeq(dir)).toBe(99);
    expect(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8').match(/^5 5 0$/gm)).toHaveLength(1);
  });

  test('a log whose index names a segment start twice reads in full, and appending goes on after it', () => {
    const dir = tempDir();
    const options = { now, maxSegmentBytes: 1024, indexEveryEvents: 4 };
    const log = EventLogWriter.open(dir, options);
    for (let index = 0; index < 60; index += 1) log.append(output(`e${index} `.repeat(5)));
    log.close();
    const indexFile = path.join(dir, INDEX_FILE);
    const lines = fs.readFileSync(indexFile, 'utf8').split('\n');
    const segmentStart = lines.findIndex((line, at) => at > 0 && /^(\d+) \1 0$/.test(line));
    expect(segmentStart).toBeGreaterThan(0);
    lines.splice(segmentStart, 0, lines[segmentStart] ?? '');
    fs.writeFileSync(indexFile, lines.join('\n'));

    const seqs = Array.from({ length: 60 }, (_, seq) => seq);
    expect(readEachThroughIndex(dir, 60)).toEqual(seqs);
    expect(readLastSeq(dir)).toBe(59);
    const reopened = EventLogWriter.open(dir, options);
    expect(reopened.append(output('next')).seq).toBe(60);
    reopened.close();
    expect(readEachThroughIndex(dir, 61)).toEqual([...seqs, 60]);
  });

  test('a damaged record is reported as such, with its seq and file, by readers and the writer', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now });
    for (let index = 0; index < 5; index += 1) log.append(output(`e${index}`));
    log.close();
    // A record cut short, with complete records written after it.
    const segment = path.join(dir, ACTIVE_SEGMENT_FILE);
    fs.appendFileSync(segment, '{"seq":5,"time":1,"type":"outp');
    fs.appendFileSync(
      segment,
      '{"seq":5,"time":1,"type":"output","data":"e5"}\n{"seq":6,"time":1,"type":"output","data":"e6"}\n',
    );
    const damaged = new RegExp(`event log damaged at seq 5 in ${segment}`);
    // A page ends before the damage; the page that would start at it says where it is.
    expect(readAll(dir).map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(readEvents(dir, 0, { limit: 5 }).events).toHaveLength(5);
    expect(() => readEvents(dir, 5)).toThrow(EventLogDamagedError);
    expect(() => readEvents(dir, 5)).toThrow(damaged);
    expect(() => readLastEvent(dir)).toThrow(damaged);
    expect(() => EventLogWriter.open(dir, { now })).toThrow(damaged);
    expect(() => EventLogWriter.open(dir, { now })).toThrow(/move the session directory aside/);
  });

  test('a record edited in place to another length: the last event is still found, and reading stops at the damage', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, indexEveryEvents: 4 });
    for (let index = 0; index < 20; index += 1) log.append(output(`e${index}`));
    log.close();
    const segment = path.join(dir, ACTIVE_SEGMENT_FILE);
    // One byte shorter: every record after it, and the index entries there, are a byte off.
    const text = fs.readFileSync(segment, 'utf8');
    fs.writeFileSync(segment, text.replace('"data":"e5"', '"dat#"e5"'));
    expect(readLastEvent(dir)?.seq).toBe(19);
    expect(readLastSeq(dir)).toBe(19);
    expect(readEvents(dir, 0).events.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(() => readEvents(dir, 5)).toThrow(
      new RegExp(`event log damaged at seq 5 in ${segment}`),
    );
    // What comes after the damage is read where it is, not where the index says it was.
    expect(readEvents(dir, 13).events.map((event) => event.seq)).toEqual([
      13, 14, 15, 16, 17, 18, 19,
    ]);
    // The last line itself damaged: said at its seq.
    fs.appendFileSync(segment, '{"seq":20,"ti\n');
    expect(() => readLastEvent(dir)).toThrow(/event log damaged at seq 20 /);
  });

  test('a record missing from the middle of the log is reported at its seq, after the records before it', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now });
    for (let index = 0; index < 10; index += 1) log.append(output(`e${index}`));
    log.close();
    const segment = path.join(dir, ACTIVE_SEGMENT_FILE);
    const lines = fs.readFileSync(segment, 'utf8').split('\n');
    fs.writeFileSync(segment, [...lines.slice(0, 4), ...lines.slice(5)].join('\n'));
    const missing = `event log damaged at seq 4 in ${segment}: the record is missing (seq 5 comes next)`;
    expect(readEvents(dir, 0).events.map((event) => event.seq)).toEqual([0, 1, 2, 3]);
    expect(() => readEvents(dir, 4)).toThrow(missing);
    expect(() => readEvents(dir, 7)).toThrow(missing);
    expect(() => readLastEvent(dir)).toThrow(missing);
    expect(() => EventLogWriter.open(dir, { now })).toThrow(missing);
  });
});

describe('readEvents', () => {
  test('finds a range through the index, not by reading the log from the start', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, maxSegmentBytes: 2048, indexEveryEvents: 4 });
    for (let index = 0; index < 200; index += 1) log.append(output(`payload ${index}`));
    log.close();
    // Remove the oldest segment: a reader that scanned from seq 0 would now fail or return nothing.
    fs.rmSync(path.join(dir, archivedSegmentFile(0)));
    const page = readEvents(dir, 150, { limit: 10 });
    expect(page.events.map((event) => event.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => 150 + i),
    );
    expect(page.nextSeq).toBe(160);
  });

  test('any range of any log returns exactly the events after the requested seq', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 256, max: 4096 }),
        fc.integer({ min: 1, max: 16 }),
        fc.nat({ max: 130 }),
        fc.integer({ min: 1, max: 50 }),
        (texts, maxSegmentBytes, indexEveryEvents, fromSeq, limit) => {
          const dir = tempDir();
          const log = EventLogWriter.open(dir, { now, maxSegmentBytes, indexEveryEvents });
          for (const text of texts) log.append(output(text));
          log.close();
          const page = readEvents(dir, fromSeq, { limit });
          const expected = texts
            .map((data, seq) => ({ seq, data }))
            .filter(({ seq }) => seq >= fromSeq)
            .slice(0, limit);
          expect(
            page.events.map((event) => ({
              seq: event.seq,
              data: event.type === 'output' ? event.data : '',
            })),
          ).toEqual(expected);
          expect(readLastSeq(dir)).toBe(texts.length - 1);
          fs.rmSync(dir, { recursive: true, force: true });
        },
      ),
      fuzzParameters('event log: any range of any log', { numRuns: 200 }),
    );
  });

  test("paging with each page's position returns every event once, while the log grows and rotates, with or without a read-ahead", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.array(fc.string({ maxLength: 200 }), { maxLength: 12 }),
            fc.integer({ min: 1, max: 9 }),
          ),
          {
            maxLength: 25,
          },
        ),
        fc.integer({ min: 256, max: 2048 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        (rounds, maxSegmentBytes, indexEveryEvents, withReadAhead) => {
          const dir = tempDir();
          const log = EventLogWriter.open(dir, { now, maxSegmentBytes, indexEveryEvents });
          const written: string[] = [];
          const read: string[] = [];
          let nextSeq = 0;
          let position: ReturnType<typeof readEvents>['position'];
          const readAhead = withReadAhead ? { readAhead: new ReadAhead() } : {};
          const readPage = (limit: number) => {
            const page = readEvents(dir, nextSeq, {
              limit,
              ...readAhead,
              ...(position ? { position } : {}),
            });
            for (const event of page.events) read.push(event.type === 'output' ? event.data : '');
            nextSeq = page.nextSeq;
            position = page.position;
            return page.events.length;
          };
          for (const [texts, limit] of rounds) {
            for (const text of texts) {
              log.append(output(text));
              written.push(text);
            }
            readPage(limit);
          }
          while (readPage(50) > 0);
          log.close();
          expect(read).toEqual(written);
          fs.rmSync(dir, { recursive: true, force: true });
        },
      ),
      fuzzParameters('event log: paging with positions', { numRuns: 200 }),
    );
  });

  test('a page read from a position starts there, not at the index entry before it', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, indexEveryEvents: 1000 });
    for (let index = 0; index < 20; index += 1) log.append(output(`payload ${index}`));
    log.close();
    const first = readEvents(dir, 0, { limit: 10 });
    expect(first.position).toMatchObject({ seq: 10 });
    // Damage the records already read: a reader going back to the index entry at seq 0 would fail.
    const file = path.join(dir, ACTIVE_SEGMENT_FILE);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x7e, 0, first.position?.offset);
    fs.writeFileSync(file, bytes);
    const second = readEvents(dir, 10, {
      limit: 10,
      ...(first.position ? { position: first.position } : {}),
    });
    expect(second.events.map((event) => event.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => 10 + i),
    );
    expect(() => readEvents(dir, 10, { limit: 10 })).toThrow(EventLogDamagedError);
  });

  test('reads records whose seq is not their first field', () => {
    const dir = tempDir();
    const log = EventLogWriter.open(dir, { now, indexEveryEvents: 4 });
    for (let index = 0; index < 10; index += 1) log.append(output(`payload ${index}`));
    log.close();
    const file = path.join(dir, ACTIVE_SEGMENT_FILE);
    // Same records, same lengths, keys in another order: byte offsets in the index stay right.
    const reordered = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((line) =>
        line === ''
          ? line
          : JSON.stringify(
              Object.fromEntries(Object.entries(JSON.parse(line) as object).reverse()),
            ),
      )
      .join('\n');
    fs.writeFileSync(file, reordered);
    expect(readEvents(dir, 5, { limit: 3 }).events.map((event) => event.seq)).toEqual([5, 6, 7]);
  });

  test('an empty or missing log reads as empty', () => {
    const dir = tempDir();
    expect(readEvents(dir, 0).events).toEqual([]);
    expect(readLastSeq(dir)).toBe(-1);
  });
});
