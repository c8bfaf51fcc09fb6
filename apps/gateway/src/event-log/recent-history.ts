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
 * that completed before that stretch (a run that reaches into it is read whole). A run that began
 * more than twice the stretch before the log's end is not: the log is read from the stretch's
 * first record on, with that run's `run_start` among the context (the run is shown from there). Not
 * so when the part of the run left out set a terminal mode (`CSI ? … h`: the alternate screen, the
 * cursor keys' mode) or turned line wrapping off, which what follows would be shown without: that
 * run is read whole. (Other modes it reset are at their defaults, as the line editor's bracketed
 * paste as a typed command starts; a cursor it hid is shown.) Undefined when the whole log is no
 * longer than the stretch, or nothing can be left out.
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
  const stretch = log.size - maxBytes;
  const { found, lastModeSetAt } = lookBack(log, stretch, [
    'run_complete',
    'run_start',
    ...contextTypes,
  ]);
  const runEnd = found.get('run_complete');
  const runStart = found.get('run_start');
  const longRun =
    runStart !== undefined &&
    runStart.position > (runEnd?.position ?? -1) &&
    runStart.position < log.size - 2 * maxBytes;
  if (longRun) {
    const modeSet = (lastModeSetAt ?? -1) >= runStart.position;
    const inRun = modeSet ? undefined : startInsideRun(log, stretch, runStart, contextOf(found));
    if (inRun !== undefined) return inRun;
  }
  if (runEnd === undefined) return undefined;
  // The context before the stretch is the run end's, unless the shell or the size changed between.
  const changedSince = contextOf(found).some((event) => event.seq > runEnd.event.seq);
  return {
    throughSeq: runEnd.event.seq - 1,
    bytes: runEnd.position,
    context: changedSince
      ? contextOf(lookBack(log, runEnd.position, contextTypes).found)
      : contextOf(found),
  };
}

/**
 * The start of the stretch in the run that `runStart` began, which goes on into it: its first
 * record, with the run's start among the context. Undefined when the stretch has no whole record.
 */
function startInsideRun(
  log: LogBytes,
  stretch: number,
  runStart: FoundRecord,
  contextBefore: SessionEvent[],
): RecentHistoryStart | undefined {
  const first = firstRecordFrom(log, stretch);
  if (first === undefined) return undefined;
  // No record starts between the stretch and its first: the context before the one is the other's.
  const context = [...contextBefore, runStart.event].sort((a, b) => a.seq - b.seq);
  return { throughSeq: first.event.seq - 1, bytes: first.position, context };
}

/** The types of the events the rest of a log is read with: the shell it had, its terminal's size. */
const contextTypes = ['host_start', 'resize'] as const;

/** Of the records found, those of {@link contextTypes}, in seq order. */
function contextOf(found: ReadonlyMap<SessionEvent['type'], FoundRecord>): SessionEvent[] {
  return contextTypes
    .map((type) => found.get(type)?.event)
    .filter((event) => event !== undefined)
    .sort((a, b) => a.seq - b.seq);
}

/**
 * How a record's text (where ESC is escaped) holds `CSI ? … h`, which sets private modes, or
 * `CSI ? 7 l` among others, which turns line wrapping off.
 */
const modeLeftOn = /^\\u001b\[\?(?:[0-9;]{0,32}h|(?:[0-9]{1,5};){0,8}7(?:;[0-9]{1,5}){0,8}l)/;
/** Longer than any text {@link modeLeftOn} matches. */
const MODE_LEFT_ON_MAX = 128;

/** How a record's text (where ESC is escaped) holds the start of `CSI ?`. */
const privateModeStart = Buffer.from('\\u001b[?');

/** The first whole record that starts at `position` or after it, and where it starts. */
function firstRecordFrom(log: LogBytes, position: number): FoundRecord | undefined {
  const start = position === 0 ? 0 : lineEndFrom(log, position - 1);
  if (start === undefined) return undefined;
  const recordStart = position === 0 ? 0 : start + 1;
  const end = lineEndFrom(log, recordStart);
  if (end === undefined) return undefined;
  const event = parseEvent(log.read(recordStart, end - recordStart));
  return event === undefined ? undefined : { event, position: recordStart };
}

/** Where the first newline at `position` or after it is; undefined when none follows. */
function lineEndFrom(log: LogBytes, position: number): number | undefined {
  for (let from = position; from < log.size; from += BACKWARD_CHUNK) {
    const chunk = log.read(from, Math.min(log.size, from + BACKWARD_CHUNK) - from);
    const at = chunk.indexOf(0x0a);
    if (at !== -1) return from + at;
  }
  return undefined;
}

/** A record of the log, and where it starts. */
interface FoundRecord {
  event: SessionEvent;
  position: number;
}

/** What one pass back through a log found. */
interface LookBack {
  /** The last record of each type looked for, of those found. */
  found: Map<SessionEvent['type'], FoundRecord>;
  /** Where the last {@link modeLeftOn} before the position is: a mode set, or wrapping turned off. */
  lastModeSetAt: number | undefined;
}

/**
 * The last record of each of `types` that starts before `position`, found in one pass back through
 * the log (it ends once each is found), and where a terminal mode was set in what it went through.
 */
function lookBack(
  log: LogBytes,
  position: number,
  types: readonly SessionEvent['type'][],
): LookBack {
  const found = new Map<SessionEvent['type'], FoundRecord>();
  let lastModeSetAt: number | undefined;
  const patterns = types.map((type) => ({
    type,
    bytes: Buffer.from(`"type":${JSON.stringify(type)}`),
  }));
  // A little past each chunk's end: what is cut by it is found whole.
  const overlap = Math.max(MODE_LEFT_ON_MAX, ...patterns.map((pattern) => pattern.bytes.length));
  for (let end = position; end > 0 && found.size < types.length; end -= BACKWARD_CHUNK) {
    const start = Math.max(0, end - BACKWARD_CHUNK);
    const chunk = log.read(start, Math.min(log.size, end + overlap) - start);
    for (const { type, bytes } of patterns) {
      if (found.has(type)) continue;
      for (let at = chunk.lastIndexOf(bytes); at !== -1;) {
        const record = recordAround(log, start + at);
        if (record !== undefined && record.position < position && record.event.type === type) {
          found.set(type, record);
          break;
        }
        at = at === 0 ? -1 : chunk.lastIndexOf(bytes, at - 1);
      }
    }
    // Each `CSI ?` is looked at on its own: text without one is passed at memory speed.
    for (let at = chunk.indexOf(privateModeStart); at !== -1 && start + at < position;) {
      const text = chunk.toString('latin1', at, Math.min(chunk.length, at + MODE_LEFT_ON_MAX));
      if (modeLeftOn.test(text)) lastModeSetAt = Math.max(lastModeSetAt ?? -1, start + at);
      at = chunk.indexOf(privateModeStart, at + 1);
    }
  }
  return { found, lastModeSetAt };
}

/** The record whose type was found at `position`, and where it starts. */
function recordAround(log: LogBytes, position: number): FoundRecord | undefined {
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
        const piece = Buffer.allocUnsafe(to - from);
        const descriptor = fs.openSync(segment.file, 'r');
        try {
          const read = fs.readSync(descriptor, piece, 0, piece.length, from - segment.start);
          pieces.push(piece.subarray(0, read));
        } finally {
          fs.closeSync(descriptor);
        }
      }
      return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    },
  };
}
