import fs from 'node:fs';
import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { isJsonText } from '@lifeline/transport/ndjson';
import { EventLogDamagedError, parseRecord } from './event-log-damaged-error.js';
import { findEntryAtOrBefore, readIndexFile, type IndexEntry } from './event-index.js';
import { scanLines, type SegmentLine } from './line-scanner.js';
import type { ReadAhead } from './read-ahead.js';
import { INDEX_FILE, segmentPath } from './segment-files.js';

/** Bounds of one read. */
export interface ReadEventsOptions {
  /** Most events returned. @default 1000 */
  limit?: number;
  /** Stop after roughly this many bytes of records. @default 1 MiB */
  maxBytes?: number;
  /**
   * Where the requested seq starts, as the previous page's `position` said: the read starts there
   * instead of at the index entry before it, so a reader paging through the log never reads a
   * record twice. Ignored when it is not for the requested seq or no longer points at it.
   */
  position?: IndexEntry;
  /**
   * The reader's read buffer, kept from one page to the next: a page starts on the records the
   * last one read past its end (see {@link ReadAhead}).
   */
  readAhead?: ReadAhead;
}

/** A page of events: consecutive seqs starting at the requested one (or the first that exists). */
export interface EventPage {
  events: SessionEvent[];
  /** Seq to ask for next. */
  nextSeq: number;
  /** Where `nextSeq` starts, when this page read up to it: pass it with the next request. */
  position?: IndexEntry;
}

const seqPrefix = Buffer.from('{"seq":');

/**
 * The seq of a record, read from the `{"seq":` its line starts with (the writer puts it first), so
 * that records before the requested seq are skipped without being decoded; undefined for a line
 * shaped otherwise.
 */
function recordSeq(line: Buffer): number | undefined {
  if (line.length <= seqPrefix.length || seqPrefix.compare(line, 0, seqPrefix.length) !== 0)
    return undefined;
  let seq = 0;
  let at = seqPrefix.length;
  for (; at < line.length && at < seqPrefix.length + 16; at += 1) {
    const digit = (line[at] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    seq = seq * 10 + digit;
  }
  return at > seqPrefix.length && line[at] === 0x2c ? seq : undefined;
}

/** One record met by {@link walkRecords}. */
interface WalkedRecord {
  seq: number;
  line: SegmentLine;
  /** The segment holding it. */
  file: string;
  /** Where the record after it starts. */
  next: IndexEntry;
}

/**
 * Visits the records with `seq >= fromSeq`, in order, until `visit` returns false or the log
 * ends: the sparse index (or `position`) gives the segment and byte offset to start from, and a
 * rotation met mid-read is followed to the next segment. A visit that throws
 * `EventLogDamagedError` ends the walk before that record once an earlier one was visited, and
 * is thrown when it was the first.
 * @returns the seq after the last record visited, and where it starts when one was
 */
function walkRecords(
  dir: string,
  fromSeq: number,
  options: Pick<ReadEventsOptions, 'position' | 'readAhead'>,
  visit: (record: WalkedRecord) => boolean,
): { nextSeq: number; position?: IndexEntry } {
  const startPosition = options.position;
  let nextPosition: IndexEntry | undefined;
  let nextSeq = Math.max(0, fromSeq);
  let position = startPosition?.seq === nextSeq ? startPosition : undefined;
  let entries: IndexEntry[] | undefined;
  let rotationRetries = 0;
  const walk = { stopped: false };

  while (!walk.stopped) {
    const fromPosition = position !== undefined;
    let start = position;
    position = undefined;
    if (!start) {
      entries ??= readIndexFile(path.join(dir, INDEX_FILE)).entries;
      start = findEntryAtOrBefore(entries, nextSeq) ?? entries[0];
      if (start && !holdsIndexedRecord(dir, start)) start = recordPosition(dir, start, nextSeq);
    }
    if (!start) break;
    const { segment, seq: firstSeq } = start;
    const seqBefore = nextSeq;
    let expected = firstSeq;
    const scan = { rotatedUnderUs: false };
    const file = segmentPath(dir, segment);
    try {
      scanLines(
        file,
        start.offset,
        (line) => {
          const seq = recordSeq(line.bytes) ?? parseRecord(line.text, file, expected).seq;
          if (seq !== expected) {
            // At the start: the segment was rotated between the lookup and the open. Further on: a
            // record is missing (or not a record), and nothing after it can be trusted.
            if (expected === firstSeq) {
              scan.rotatedUnderUs = true;
              return false;
            }
            throw new EventLogDamagedError(file, expected, { problem: describeMismatch(seq) });
          }
          expected += 1;
          if (seq < nextSeq) return true;
          const next = { seq: seq + 1, segment, offset: line.nextOffset };
          const keepGoing = visit({ seq, line, file, next });
          nextSeq = seq + 1;
          nextPosition = next;
          if (!keepGoing) walk.stopped = true;
          return keepGoing;
        },
        options.readAhead,
      );
    } catch (error) {
      // The walk ends before the damage; the next one starts at it, and throws.
      if (error instanceof EventLogDamagedError && nextPosition !== undefined) break;
      throw error;
    }
    // A position that no longer leads anywhere (its segment ended or was rotated): use the index.
    if (fromPosition && nextSeq === seqBefore) continue;
    if (scan.rotatedUnderUs && rotationRetries < 3) {
      rotationRetries += 1;
      entries = readIndexFile(path.join(dir, INDEX_FILE)).entries;
      continue;
    }
    // The end of a segment: the next lookup lands in the following one, if it exists.
    if (nextSeq === seqBefore) break;
  }
  return nextPosition ? { nextSeq, position: nextPosition } : { nextSeq };
}

/**
 * Reads events with `seq >= fromSeq` from a session's log without ever scanning the whole log:
 * the sparse index gives the segment and byte offset to start from. Safe to call while the host
 * appends and rotates: only complete records are returned, and a rotation met mid-read is
 * followed to the next segment. A page that meets a record that cannot be decoded ends before it.
 * @throws EventLogDamagedError when the first record of the page cannot be decoded
 */
export function readEvents(
  dir: string,
  fromSeq: number,
  options: ReadEventsOptions = {},
): EventPage {
  const limit = options.limit ?? 1000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const events: SessionEvent[] = [];
  let bytes = 0;
  const end = walkRecords(dir, fromSeq, options, ({ seq, line, file }) => {
    const text = line.text;
    events.push(parseRecord(text, file, seq));
    bytes += text.length;
    return events.length < limit && bytes < maxBytes;
  });
  return { events, ...end };
}

/** One record handed on by {@link forwardRecords}. */
export interface LogRecord {
  seq: number;
  /** The record as it is on disk: the event's JSON text, UTF-8, no newline. A view valid only during the call. */
  bytes: Buffer;
  /** The event, decoded when first asked for (during the call only). */
  event(): SessionEvent;
}

/** Where {@link forwardRecords} ended. */
export interface ForwardedPage {
  /** Records forwarded. */
  count: number;
  /** Seq to ask for next. */
  nextSeq: number;
  /** Where `nextSeq` starts, when this page read up to it: pass it with the next request. */
  position?: IndexEntry;
}

/**
 * {@link readEvents} for a caller that passes records on rather than reading them: each record is
 * checked to be JSON (a damaged one is reported as by `readEvents`) and handed to `forward` as its
 * bytes on disk, to send without decoding and serialising it again. Forwarding stops after roughly
 * `maxBytes` of records, or when `forward` returns false (that record counts as forwarded).
 * @throws EventLogDamagedError when the first record cannot be decoded
 */
export function forwardRecords(
  dir: string,
  fromSeq: number,
  options: Omit<ReadEventsOptions, 'limit'>,
  forward: (record: LogRecord) => boolean,
): ForwardedPage {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  let count = 0;
  let bytes = 0;
  const end = walkRecords(dir, fromSeq, options, ({ seq, line, file }) => {
    // Throws the damage, with the parser's own error as its cause.
    if (!isJsonText(line.bytes)) parseRecord(line.text, file, seq);
    let event: SessionEvent | undefined;
    count += 1;
    bytes += line.bytes.length;
    const record = {
      seq,
      bytes: line.bytes,
      event: () => (event ??= parseRecord(line.text, file, seq)),
    };
    return forward(record) && bytes < maxBytes;
  });
  return { count, ...end };
}

function describeMismatch(found: unknown): string {
  return typeof found === 'number'
    ? `the record is missing (seq ${found} comes next)`
    : 'the line there is not an event';
}

/**
 * The last complete event in the log, if any: read from the last index entry on, never from 0.
 * @throws EventLogDamagedError at a record that cannot be decoded
 */
export function readLastEvent(dir: string): SessionEvent | undefined {
  const { entries } = readIndexFile(path.join(dir, INDEX_FILE));
  const last = entries.at(-1);
  if (!last) return undefined;
  // Bytes added or taken away before it (a record edited in place) move every record after them:
  // the segment is read from its start instead.
  if (!holdsIndexedRecord(dir, last)) return lastEventOfSegment(dir, last.segment);
  // A segment can be indexed and still empty (a crash came before its first record): then the
  // segment before it ends the log.
  return (
    lastEventFrom(dir, last) ??
    lastEventFrom(
      dir,
      entries.findLast((entry) => entry.segment < last.segment),
    )
  );
}

function lastEventFrom(dir: string, start: IndexEntry | undefined): SessionEvent | undefined {
  if (!start) return undefined;
  let lastEvent: SessionEvent | undefined;
  const file = segmentPath(dir, start.segment);
  scanLines(file, start.offset, ({ text }) => {
    const expected = lastEvent === undefined ? start.seq : lastEvent.seq + 1;
    const event = parseRecord(text, file, expected);
    if (event.seq !== expected)
      throw new EventLogDamagedError(file, expected, { problem: describeMismatch(event.seq) });
    lastEvent = event;
    return true;
  });
  return lastEvent;
}

/**
 * Whether the record `entry` names starts where it says, at the start of a line, with its seq (or
 * nothing is written there yet: a segment begun just before a crash). Reads a few bytes.
 */
function holdsIndexedRecord(dir: string, entry: IndexEntry): boolean {
  const file = segmentPath(dir, entry.segment);
  const probe = Buffer.alloc(seqPrefix.length + 24);
  let read: number;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    // From the byte before it, the line end of the line before (none at the segment's start).
    read = fs.readSync(fd, probe, 0, probe.length, Math.max(0, entry.offset - 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const start = entry.offset === 0 ? 0 : 1;
  if (start === 1 && read > 0 && probe[0] !== 0x0a) return false;
  if (read <= start) return true;
  const seq = recordSeq(probe.subarray(start, read));
  if (seq !== undefined) return seq === entry.seq;
  // A record whose seq is not its first field: read it whole.
  let holds = true;
  scanLines(file, entry.offset, (line) => {
    holds = seqOf(line) === entry.seq;
    return false;
  });
  return holds;
}

/**
 * Where the record `seq` starts in the segment of `entry`, found by reading the segment from its
 * start (its index entries are off: see {@link holdsIndexedRecord}); `entry` when it is not there.
 */
function recordPosition(dir: string, entry: IndexEntry, seq: number): IndexEntry {
  let found = entry;
  scanLines(segmentPath(dir, entry.segment), 0, (line) => {
    if (recordSeq(line.bytes) !== seq) return true;
    found = { seq, segment: entry.segment, offset: line.offset };
    return false;
  });
  return found;
}

/** The seq of a line's record; undefined when it is not one. */
function seqOf(line: SegmentLine): number | undefined {
  const seq = recordSeq(line.bytes);
  if (seq !== undefined) return seq;
  try {
    const record: unknown = JSON.parse(line.text);
    const value = (record as { seq?: unknown } | null)?.seq;
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The last event of a segment read from its start, past records that cannot be decoded: the log's
 * last event when the damage lies further back.
 * @throws EventLogDamagedError when the segment's last line is not an event
 */
function lastEventOfSegment(dir: string, segment: number): SessionEvent | undefined {
  const file = segmentPath(dir, segment);
  const read: { lastEvent?: SessionEvent; lastLineIsEvent: boolean } = { lastLineIsEvent: true };
  scanLines(file, 0, (line) => {
    const expected = (read.lastEvent?.seq ?? -1) + 1;
    try {
      read.lastEvent = parseRecord(line.text, file, seqOf(line) ?? expected);
      read.lastLineIsEvent = true;
    } catch (error) {
      if (!(error instanceof EventLogDamagedError)) throw error;
      read.lastLineIsEvent = false;
    }
    return true;
  });
  if (!read.lastLineIsEvent) throw new EventLogDamagedError(file, (read.lastEvent?.seq ?? -1) + 1);
  return read.lastEvent;
}

/** Seq of the last complete event in the log; -1 when it is empty. */
export function readLastSeq(dir: string): number {
  return readLastEvent(dir)?.seq ?? -1;
}
