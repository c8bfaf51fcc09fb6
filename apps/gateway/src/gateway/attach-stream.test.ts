import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { EventLogWriter } from '../event-log/event-log-writer.js';
import { ACTIVE_SEGMENT_FILE } from '../event-log/segment-files.js';
import { AttachStream, CATCH_UP_BACKLOG_LIMIT_BYTES, HELD_PAUSE_ABOVE } from './attach-stream.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A session log on disk, a stream of it to a client whose room the test decides, and what it got. */
function streamWorld(
  outputWindow?: number,
  failed: (error: Error) => void = () => undefined,
  { forwardsRecords = false, drains = false } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-attach-'));
  dirs.push(dir);
  const log = EventLogWriter.open(dir, { now: () => 0 });
  const sent: SessionEvent[] = [];
  const congestion: boolean[] = [];
  /** Records forwarded as they are on disk, copied (the stream reuses their memory). */
  const records: Buffer[] = [];
  let backlog = 0;
  const drainListeners = new Set<() => void>();
  const stream = new AttachStream({
    sessionDir: dir,
    send: (event) => {
      sent.push(event);
      return true;
    },
    ...(forwardsRecords
      ? {
          sendRecord: ({ bytes }) => {
            // Like a client's transport: what is sent waits in its queue until written out.
            records.push(Buffer.from(bytes));
            backlog += bytes.length;
            return true;
          },
        }
      : {}),
    backlog: () => backlog,
    ...(drains
      ? {
          onDrain: (listener: () => void) => {
            drainListeners.add(listener);
            return () => drainListeners.delete(listener);
          },
        }
      : {}),
    congested: (congested) => congestion.push(congested),
    // A stream told of drains is never woken by the clock in a test's time.
    congestionPollMs: drains ? 3_600_000 : 1,
    outputWindow,
    failed,
  });
  /** What the host does: on disk first, then to its live subscribers. */
  const output = (characters: number) =>
    stream.event(log.append({ type: 'output', data: 'x'.repeat(characters) }));
  return {
    log,
    stream,
    sent,
    records,
    congestion,
    output,
    setBacklog: (bytes: number) => (backlog = bytes),
    /** The client's transport wrote out everything queued. */
    drain: () => {
      backlog = 0;
      for (const listener of [...drainListeners]) listener();
    },
  };
}

const seqs = (events: readonly SessionEvent[]) => events.map((event) => event.seq);

test('live events for a client that is behind are held and sent in order once it has room', async () => {
  const world = streamWorld(8 * 1024);
  world.stream.start(-1);
  world.output(100);
  await vi.waitFor(() => expect(seqs(world.sent)).toEqual([0]));
  // Fill the window, then keep producing: the rest waits.
  for (let index = 0; index < 20; index += 1) world.output(1024);
  expect(world.sent.length).toBeLessThan(12);
  // The log is gone: whatever is sent from now on comes from memory.
  fs.rmSync(path.join(world.log.dir, ACTIVE_SEGMENT_FILE));
  while (world.sent.length < 21) {
    const count = world.sent.length;
    world.stream.consumed(world.sent.at(-1)?.seq ?? -1);
    await vi.waitFor(() => expect(world.sent.length).toBeGreaterThan(count));
  }
  expect(seqs(world.sent)).toEqual(Array.from({ length: 21 }, (_, seq) => seq));
});

test('a client that grows its window is sent that much more, and one that shrinks it less', async () => {
  const world = streamWorld(8 * 1024);
  world.stream.start(-1);
  for (let index = 0; index < 40; index += 1) world.output(1024);
  await vi.waitFor(() => expect(world.sent).toHaveLength(8));
  // Nothing shown yet, but room for 32 events: 24 more come.
  world.stream.consumed(-1, 32 * 1024);
  await vi.waitFor(() => expect(world.sent).toHaveLength(32));
  // All but the last 4 shown, and the window back to 4: nothing more until those are shown too.
  world.stream.consumed(27, 4 * 1024);
  await new Promise((resolve) => setImmediate(resolve));
  expect(world.sent).toHaveLength(32);
  world.stream.consumed(31);
  await vi.waitFor(() => expect(world.sent).toHaveLength(36));
  expect(seqs(world.sent)).toEqual(Array.from({ length: 36 }, (_, seq) => seq));
});

test('hosts are asked to pause only while more than 64 KiB waits, and to resume once it is sent', async () => {
  const world = streamWorld();
  world.stream.start(-1);
  world.output(10);
  await vi.waitFor(() => expect(world.sent).toHaveLength(1));
  world.setBacklog(1024 * 1024);
  for (let index = 0; index < 4; index += 1) world.output(8 * 1024);
  expect(world.congestion).toEqual([]);
  for (let index = 0; index < HELD_PAUSE_ABOVE / (8 * 1024); index += 1) world.output(8 * 1024);
  expect(world.congestion).toEqual([true]);
  world.setBacklog(0);
  await vi.waitFor(() => expect(world.congestion).toEqual([true, false]));
  expect(seqs(world.sent)).toEqual(Array.from({ length: world.sent.length }, (_, seq) => seq));
  expect(world.sent).toHaveLength(1 + 4 + HELD_PAUSE_ABOVE / (8 * 1024));
});

test('a damaged log ends the stream at the damage and reports it, instead of throwing', async () => {
  const failures: Error[] = [];
  const world = streamWorld(undefined, (error) => failures.push(error));
  for (let index = 0; index < 3; index += 1)
    world.log.append({ type: 'output', data: `e${index}` });
  world.log.close();
  const segment = path.join(world.log.dir, ACTIVE_SEGMENT_FILE);
  fs.appendFileSync(
    segment,
    '{"seq":3,"time":0,"type":"outp{"seq":3,"time":0,"type":"output","data":"e3"}\n',
  );
  world.stream.start(-1);
  await vi.waitFor(() => expect(failures).toHaveLength(1));
  expect(failures[0]).toBeInstanceOf(EventLogDamagedError);
  expect(failures[0]?.message).toMatch(`event log damaged at seq 3 in ${segment}`);
  // Everything before the damage is sent; nothing at or past it, not even live events.
  world.stream.changed();
  world.stream.event({ seq: 4, time: 0, type: 'output', data: 'e4' });
  await new Promise((resolve) => setImmediate(resolve));
  expect(seqs(world.sent)).toEqual([0, 1, 2]);
  expect(failures).toHaveLength(1);
});

/** The lines of the log's active segment, without their newlines. */
function segmentLines(dir: string): string[] {
  return fs.readFileSync(path.join(dir, ACTIVE_SEGMENT_FILE), 'utf8').split('\n').slice(0, -1);
}

const texts = (records: readonly Buffer[]) => records.map((record) => record.toString('utf8'));

/**
 * Logs output records of 64 KiB, three times the queue a catch-up may fill: a stream catching up
 * must stop and wait twice.
 */
function logThreeQueues(log: { append: (payload: { type: 'output'; data: string }) => unknown }) {
  const recordBytes = 64 * 1024;
  const count = (3 * CATCH_UP_BACKLOG_LIMIT_BYTES) / recordBytes;
  for (let index = 0; index < count; index += 1)
    log.append({ type: 'output', data: `${index} `.padEnd(recordBytes, 'x') });
  return { count, recordBytes };
}

test('catching up forwards the records as they are on disk, no more than a bounded queue at a time', async () => {
  const world = streamWorld(undefined, undefined, { forwardsRecords: true });
  const { count, recordBytes } = logThreeQueues(world.log);
  world.stream.start(-1);
  await vi.waitFor(() => expect(world.congestion).toEqual([true]));
  const queued = world.records.reduce((sum, record) => sum + record.length, 0);
  expect(queued).toBeGreaterThanOrEqual(CATCH_UP_BACKLOG_LIMIT_BYTES);
  expect(queued).toBeLessThan(CATCH_UP_BACKLOG_LIMIT_BYTES + 2 * recordBytes);
  // The client reads what was queued, again and again: the rest follows, in order, every record once.
  while (world.records.length < count) {
    const forwarded = world.records.length;
    world.setBacklog(0);
    await vi.waitFor(() => expect(world.records.length).toBeGreaterThan(forwarded));
  }
  world.setBacklog(0);
  await vi.waitFor(() => expect(world.congestion.at(-1)).toBe(false));
  expect(texts(world.records)).toEqual(segmentLines(world.log.dir));
  expect(world.sent).toEqual([]);
});

test("a catch-up goes on as soon as the client's queue has drained, every record once and in order", async () => {
  const world = streamWorld(undefined, undefined, { forwardsRecords: true, drains: true });
  const { count } = logThreeQueues(world.log);
  world.stream.start(-1);
  await vi.waitFor(() => expect(world.congestion).toEqual([true]));
  while (world.records.length < count) {
    const forwarded = world.records.length;
    world.drain();
    await vi.waitFor(() => expect(world.records.length).toBeGreaterThan(forwarded));
  }
  world.drain();
  await vi.waitFor(() => expect(world.congestion.at(-1)).toBe(false));
  expect(texts(world.records)).toEqual(segmentLines(world.log.dir));
});

test('a record damaged inside a long output string ends the catch-up before it, and is reported', async () => {
  const failures: Error[] = [];
  const world = streamWorld(undefined, (error) => failures.push(error), {
    forwardsRecords: true,
  });
  for (let index = 0; index < 2; index += 1)
    world.log.append({ type: 'output', data: 'x'.repeat(5000) });
  world.log.close();
  const segment = path.join(world.log.dir, ACTIVE_SEGMENT_FILE);
  // A raw control character where the writer always puts an escape: only the bytes tell.
  fs.appendFileSync(
    segment,
    `{"seq":2,"time":0,"type":"output","data":"${'x'.repeat(2500)}\u0001${'x'.repeat(2500)}"}\n`,
  );
  world.stream.start(-1);
  await vi.waitFor(() => expect(failures).toHaveLength(1));
  expect(failures[0]).toBeInstanceOf(EventLogDamagedError);
  expect(failures[0]?.message).toMatch(`event log damaged at seq 2 in ${segment}`);
  expect(texts(world.records)).toEqual(segmentLines(world.log.dir).slice(0, 2));
});
