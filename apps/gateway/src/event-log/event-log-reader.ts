import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { EventLogDamagedError, parseRecord } from './event-log-damaged-error.js';
import { findEntryAtOrBefore, readIndexFile, type IndexEntry } from './event-index.js';
import { scanLines } from './line-scanner.js';
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
  let nextPosition: IndexEntry | undefined;
  let bytes = 0;
  let nextSeq = Math.max(0, fromSeq);
  let position = options.position?.seq === nextSeq ? options.position : undefined;
  let entries: IndexEntry[] | undefined;
  let rotationRetries = 0;

  while (events.length < limit && bytes < maxBytes) {
    const fromPosition = position !== undefined;
    let start = position;
    position = undefined;
    if (!start) {
      entries ??= readIndexFile(path.join(dir, INDEX_FILE)).entries;
      start = findEntryAtOrBefore(entries, nextSeq) ?? entries[0];
    }
    if (!start) break;
    const { segment, seq: firstSeq } = start;
    const seqBefore = nextSeq;
    let expected = firstSeq;
    const scan = { rotatedUnderUs: false };
    const file = segmentPath(dir, segment);
    try {
      scanLines(file, start.offset, (line) => {
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
        const text = line.text;
        events.push(parseRecord(text, file, seq));
        bytes += text.length;
        nextSeq = seq + 1;
        nextPosition = { seq: nextSeq, segment, offset: line.nextOffset };
        return events.length < limit && bytes < maxBytes;
      });
    } catch (error) {
      // The page ends before the damage; the next one starts at it, and throws.
      if (error instanceof EventLogDamagedError && events.length > 0) break;
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
  return nextPosition ? { events, nextSeq, position: nextPosition } : { events, nextSeq };
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

/** Seq of the last complete event in the log; -1 when it is empty. */
export function readLastSeq(dir: string): number {
  return readLastEvent(dir)?.seq ?? -1;
}
