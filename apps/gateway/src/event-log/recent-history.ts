import fs from 'node:fs';
import path from 'node:path';
import { sessionEventSchema, type SessionEvent } from '@lifeline/protocol';
import { readIndexFile } from './event-index.js';
import { INDEX_FILE, segmentPath } from './segment-files.js';

/** Where a client may begin a long log's history to show only its last stretch. */
export interface RecentHistoryStart {
  /** The last seq left out: the client attaches after it, and reads a run's end first. */
  throughSeq: number;
  /** Bytes of the log left out (those before the first record read). */
  bytes: number;
  /**
   * Events left out that the rest is read with: the last `host_start` and the last `resize` before
   * the records read (the shell the session had then and its terminal's size), in seq order.
   */
  context: SessionEvent[];
}

/** Bytes read at a time when looking back for a record. */
const BACKWARD_CHUNK = 4 * 1024 * 1024;
/** A record is read whole from this far before where its type was found. */
const RECORD_LOOKBEHIND = 256;
/** Longest record looked back for (a `host_start` names a directory: its longest path fits). */
const RECORD_MAX = 16 * 1024;

/**
 * Where to begin reading a long log to show its last `maxBytes` at least: at the end of the last run
 * that completed before that stretch (runs that reach into it are read whole). Undefined when the
 * whole log is no longer than that, or no run completed before that stretch.
 *
 * A record's type is found without parsing what lies between records: in a record, a `"` inside a
 * string is escaped, so `"type":"run_complete"` can only be a record's own type.
 * @throws when the log cannot be read so (a client then reads it from the start)
 */
export function findRecentHistoryStart(
  dir: string,
  maxBytes: number,
): RecentHistoryStart | undefined {
  const log = openLog(dir);
  if (log === undefined || log.size <= maxBytes) return undefined;
  const runEnd = lastRecordBefore(log, log.size - maxBytes, 'run_complete');
  if (runEnd === undefined) return undefined;
  const context = (['host_start', 'resize'] as const)
    .map((type) => lastRecordBefore(log, runEnd.position, type)?.event)
    .filter((event) => event !== undefined)
    .sort((a, b) => a.seq - b.seq);
  return { throughSeq: runEnd.event.seq - 1, bytes: runEnd.position, context };
}

/** The last record of `type` that starts before `position`, and where it starts. */
function lastRecordBefore(
  log: LogBytes,
  position: number,
  type: SessionEvent['type'],
): { event: SessionEvent; position: number } | undefined {
  const pattern = Buffer.from(`"type":${JSON.stringify(type)}`);
  for (let end = position; end > 0; end -= BACKWARD_CHUNK) {
    const start = Math.max(0, end - BACKWARD_CHUNK);
    // A little past `end`: a type cut by the chunk's end is found whole.
    const chunk = log.read(start, Math.min(log.size, end + pattern.length) - start);
    let at = chunk.lastIndexOf(pattern);
    while (at !== -1) {
      const record = recordAround(log, start + at);
      if (record !== undefined && record.position < position && record.event.type === type)
        return record;
      at = at === 0 ? -1 : chunk.lastIndexOf(pattern, at - 1);
    }
  }
  return undefined;
}

/** The record whose type was found at `position`, and where it starts. */
function recordAround(
  log: LogBytes,
  position: number,
): { event: SessionEvent; position: number } | undefined {
  const start = Math.max(0, position - RECORD_LOOKBEHIND);
  const window = log.read(start, Math.min(RECORD_MAX, log.size - start));
  const lineStart = window.lastIndexOf(0x0a, position - start) + 1;
  const lineEnd = window.indexOf(0x0a, position - start);
  if (lineEnd === -1) return undefined;
  const event = parseEvent(window.subarray(lineStart, lineEnd));
  return event === undefined ? undefined : { event, position: start + lineStart };
}

function parseEvent(line: Buffer): SessionEvent | undefined {
  try {
    const parsed = sessionEventSchema.safeParse(JSON.parse(line.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Not a whole record (a type's words inside a longer text): looked past.
    return undefined;
  }
}

/** The log's segments read as one run of bytes. */
interface LogBytes {
  size: number;
  read(position: number, length: number): Buffer;
}

function openLog(dir: string): LogBytes | undefined {
  const { entries } = readIndexFile(path.join(dir, INDEX_FILE));
  const segments: { file: string; start: number; size: number }[] = [];
  let size = 0;
  for (const segment of new Set(entries.map((entry) => entry.segment))) {
    const file = segmentPath(dir, segment);
    const bytes = fs.statSync(file).size;
    segments.push({ file, start: size, size: bytes });
    size += bytes;
  }
  if (segments.length === 0) return undefined;
  return {
    size,
    read(position, length) {
      const pieces: Buffer[] = [];
      for (const segment of segments) {
        const from = Math.max(position, segment.start);
        const to = Math.min(position + length, segment.start + segment.size);
        if (from >= to) continue;
        const piece = Buffer.alloc(to - from);
        const descriptor = fs.openSync(segment.file, 'r');
        try {
          const read = fs.readSync(descriptor, piece, 0, piece.length, from - segment.start);
          pieces.push(piece.subarray(0, read));
        } finally {
          fs.closeSync(descriptor);
        }
      }
      return Buffer.concat(pieces);
    },
  };
}
