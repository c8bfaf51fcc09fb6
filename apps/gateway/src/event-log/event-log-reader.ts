import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { findEntryAtOrBefore, readIndexFile } from './event-index.js';
import { scanLines } from './line-scanner.js';
import { INDEX_FILE, segmentPath } from './segment-files.js';

/** Bounds of one read. */
export interface ReadEventsOptions {
  /** Most events returned. @default 1000 */
  limit?: number;
  /** Stop after roughly this many bytes of records. @default 1 MiB */
  maxBytes?: number;
}

/** A page of events: consecutive seqs starting at the requested one (or the first that exists). */
export interface EventPage {
  events: SessionEvent[];
  /** Seq to ask for next. */
  nextSeq: number;
}

/**
 * Reads events with `seq >= fromSeq` from a session's log without ever scanning the whole log:
 * the sparse index gives the segment and byte offset to start from. Safe to call while the host
 * appends and rotates: only complete records are returned, and a rotation met mid-read is
 * followed to the next segment.
 */
export function readEvents(dir: string, fromSeq: number, options: ReadEventsOptions = {}): EventPage {
  const limit = options.limit ?? 1000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const events: SessionEvent[] = [];
  let bytes = 0;
  let nextSeq = Math.max(0, fromSeq);
  let entries = readIndexFile(path.join(dir, INDEX_FILE)).entries;
  let rotationRetries = 0;

  while (events.length < limit && bytes < maxBytes) {
    const start = findEntryAtOrBefore(entries, nextSeq) ?? entries[0];
    if (!start) break;
    const seqBefore = nextSeq;
    let expected = start.seq;
    const scan = { rotatedUnderUs: false };
    scanLines(segmentPath(dir, start.segment), start.offset, ({ text }) => {
      const event = JSON.parse(text) as SessionEvent;
      if (event.seq !== expected) {
        // The segment was rotated between the lookup and the open.
        scan.rotatedUnderUs = expected === start.seq;
        return false;
      }
      expected += 1;
      if (event.seq < nextSeq) return true;
      events.push(event);
      bytes += text.length;
      nextSeq = event.seq + 1;
      return events.length < limit && bytes < maxBytes;
    });
    if (scan.rotatedUnderUs && rotationRetries < 3) {
      rotationRetries += 1;
      entries = readIndexFile(path.join(dir, INDEX_FILE)).entries;
      continue;
    }
    // The end of a segment: the next lookup lands in the following one, if it exists.
    if (nextSeq === seqBefore) break;
  }
  return { events, nextSeq };
}

/** The last complete event in the log, if any: read from the last index entry on, never from 0. */
export function readLastEvent(dir: string): SessionEvent | undefined {
  const { entries } = readIndexFile(path.join(dir, INDEX_FILE));
  const last = entries.at(-1);
  if (!last) return undefined;
  let lastEvent: SessionEvent | undefined;
  scanLines(segmentPath(dir, last.segment), last.offset, ({ text }) => {
    lastEvent = JSON.parse(text) as SessionEvent;
    return true;
  });
  return lastEvent;
}

/** Seq of the last complete event in the log; -1 when it is empty. */
export function readLastSeq(dir: string): number {
  return readLastEvent(dir)?.seq ?? -1;
}
