import fs from 'node:fs';
import path from 'node:path';
import { eventPayloadSchema, type EventPayload, type SessionEvent } from '@lifeline/protocol';
import { NdjsonLineEncoder } from '@lifeline/transport/ndjson';
import { EventLogDamagedError, parseRecord } from './event-log-damaged-error.js';
import { formatIndexEntry, readIndexFile, type IndexEntry } from './event-index.js';
import { intactLength, scanLines } from './line-scanner.js';
import {
  ACTIVE_SEGMENT_FILE,
  archivedSegmentFile,
  INDEX_FILE,
  segmentPath,
} from './segment-files.js';

/** An event as the log recorded it: the event, and its record's bytes when it is on disk. */
export interface RecordedEvent {
  event: SessionEvent;
  /**
   * The record as written: the event's JSON text in UTF-8, without its newline, to send on
   * without serialising the event again; valid until the next append (copy what you keep).
   * Undefined for an event that is not on disk (yet).
   */
  record: Buffer | undefined;
}

/** Options of {@link EventLogWriter.open}. */
export interface EventLogWriterOptions {
  /** Milliseconds since the epoch, stamped on every event. @default Date.now */
  now?: () => number;
  /** A segment is rotated once appending would take it past this size. @default 64 MiB */
  maxSegmentBytes?: number;
  /** An index entry is written after this many events… @default 256 */
  indexEveryEvents?: number;
  /** …or this many bytes, whichever comes first. @default 1 MiB */
  indexEveryBytes?: number;
}

/**
 * The single writer of one session's event log: append-only JSONL segments with contiguous seqs
 * from 0 and a sparse index. `append` returns only once the record is in the file, so an event is
 * on disk before any client can see it. Opening repairs a log torn by a crash: a partial last line
 * is cut off and the index is brought up to date. An append that fails (a full disk) leaves the
 * files as they were before it, so appending carries on once the disk has room again.
 */
export class EventLogWriter {
  readonly dir: string;
  private readonly now: () => number;
  private readonly maxSegmentBytes: number;
  private readonly indexEveryEvents: number;
  private readonly indexEveryBytes: number;
  private readonly indexFd: number;
  /** Encodes each record into memory it reuses: a record is written out before the next. */
  private readonly lines = new NdjsonLineEncoder();
  private activeFd: number | undefined;
  private activeFirstSeq: number;
  private activeBytes: number;
  /** Length of the index file up to its last complete entry. */
  private indexBytes: number;
  /** First seq of an empty active segment whose start is in the index already (a crash came between). */
  private readonly indexedEmptySegment: number | undefined;
  private eventsSinceIndex = 0;
  private bytesSinceIndex = 0;
  private nextSeq: number;
  private lastEventTime: number | undefined;
  private closed = false;

  private constructor(dir: string, options: EventLogWriterOptions, state: RecoveredState) {
    this.dir = dir;
    this.now = options.now ?? Date.now;
    this.maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
    this.indexEveryEvents = options.indexEveryEvents ?? 256;
    this.indexEveryBytes = options.indexEveryBytes ?? 1024 * 1024;
    this.indexFd = fs.openSync(path.join(dir, INDEX_FILE), 'a', 0o600);
    this.nextSeq = state.lastSeq + 1;
    this.activeFirstSeq = state.activeFirstSeq;
    this.activeBytes = state.activeBytes;
    this.lastEventTime = state.lastEventTime;
    this.eventsSinceIndex = state.eventsSinceIndex;
    if (state.activeBytes > 0) {
      this.activeFd = fs.openSync(path.join(dir, ACTIVE_SEGMENT_FILE), 'a', 0o600);
    }
    this.indexedEmptySegment = state.indexedEmptySegment;
    for (const entry of state.missingIndexEntries)
      writeFully(this.indexFd, Buffer.from(formatIndexEntry(entry)));
    this.indexBytes = fs.fstatSync(this.indexFd).size;
  }

  /** Opens (creating or repairing) the log in `dir`. */
  static open(dir: string, options: EventLogWriterOptions = {}): EventLogWriter {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new EventLogWriter(dir, options, recoverState(dir));
  }

  /** Seq of the latest event; -1 while the log is empty. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Time of the latest event, if any. */
  get lastTime(): number | undefined {
    return this.lastEventTime;
  }

  /**
   * Validates `payload`, stamps it with the next seq and the time, and appends it.
   * @throws Error when the payload is not a valid event or the log is closed, or the write fails
   * (the log is then as it was before the call)
   */
  append(payload: EventPayload): SessionEvent {
    return this.appendRecorded(payload).event;
  }

  /**
   * {@link append}, which also returns the record's bytes as written.
   * @throws as {@link append}
   */
  appendRecorded(payload: EventPayload): RecordedEvent & { record: Buffer } {
    if (this.closed) throw new Error(`event log ${this.dir} is closed; reopen it to append`);
    const event: SessionEvent = isPlainOutput(payload)
      ? { seq: this.nextSeq, time: this.now(), type: 'output', data: payload.data }
      : { seq: this.nextSeq, time: this.now(), ...eventPayloadSchema.parse(payload) };
    const line = this.writeRecord(event);
    return { event, record: line.subarray(0, line.length - 1) };
  }

  /**
   * Appends an event stamped before (by a log that held it while the disk was full). Its seq must
   * be the next one.
   * @throws Error when the seq is not the next one or the log is closed, or the write fails (the
   * log is then as it was before the call)
   */
  appendEvent(event: SessionEvent): void {
    this.writeRecord(event);
  }

  /** Appends `event`'s line (its seq must be the next one); returns the line as written. */
  private writeRecord(event: SessionEvent): Buffer {
    if (this.closed) throw new Error(`event log ${this.dir} is closed; reopen it to append`);
    if (event.seq !== this.nextSeq) {
      throw new Error(`event log ${this.dir} expects seq ${this.nextSeq} next, not ${event.seq}`);
    }
    const line = this.lines.encode(event);
    if (this.activeBytes > 0 && this.activeBytes + line.length > this.maxSegmentBytes)
      this.rotate();
    const startsSegment = this.activeFd === undefined;
    let indexLine: Buffer | undefined;
    if (startsSegment) {
      if (this.indexedEmptySegment !== event.seq) {
        indexLine = Buffer.from(
          formatIndexEntry({ seq: event.seq, segment: event.seq, offset: 0 }),
        );
      }
    } else if (
      this.eventsSinceIndex >= this.indexEveryEvents ||
      this.bytesSinceIndex >= this.indexEveryBytes
    ) {
      indexLine = Buffer.from(
        formatIndexEntry({
          seq: event.seq,
          segment: this.activeFirstSeq,
          offset: this.activeBytes,
        }),
      );
    }
    try {
      this.activeFd ??= fs.openSync(path.join(this.dir, ACTIVE_SEGMENT_FILE), 'a', 0o600);
      if (indexLine) writeFully(this.indexFd, indexLine);
      writeFully(this.activeFd, line);
    } catch (error) {
      this.discardPartialAppend();
      throw error;
    }
    if (startsSegment) this.activeFirstSeq = event.seq;
    if (indexLine) {
      this.indexBytes += indexLine.length;
      this.eventsSinceIndex = 0;
      this.bytesSinceIndex = 0;
    }
    this.activeBytes += line.length;
    this.eventsSinceIndex += 1;
    this.bytesSinceIndex += line.length;
    this.nextSeq += 1;
    this.lastEventTime = event.time;
    return line;
  }

  /** Closes the files; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.activeFd !== undefined) fs.closeSync(this.activeFd);
    fs.closeSync(this.indexFd);
  }

  private rotate(): void {
    if (this.activeFd !== undefined) fs.closeSync(this.activeFd);
    this.activeFd = undefined;
    fs.renameSync(
      path.join(this.dir, ACTIVE_SEGMENT_FILE),
      path.join(this.dir, archivedSegmentFile(this.activeFirstSeq)),
    );
    this.activeBytes = 0;
  }

  /**
   * Cuts off what a failed append wrote, so that the next one does not land after a fragment. If
   * even that fails, the log is closed: opening it again repairs the torn tail.
   */
  private discardPartialAppend(): void {
    try {
      fs.ftruncateSync(this.indexFd, this.indexBytes);
      if (this.activeFd !== undefined) fs.ftruncateSync(this.activeFd, this.activeBytes);
    } catch {
      this.close();
      return;
    }
    // A segment with no record yet is started afresh, index entry and all, by the next append.
    if (this.activeBytes === 0 && this.activeFd !== undefined) {
      fs.closeSync(this.activeFd);
      this.activeFd = undefined;
    }
  }
}

/**
 * An `output` payload with nothing but its string data: valid as it is, so the schema (whose
 * check costs more than the rest of an append of a short chunk) need not look at it. Most events
 * are output; any other payload, or an output payload with anything else in it, goes through the
 * schema, which reports what is wrong.
 */
function isPlainOutput(
  payload: EventPayload,
): payload is Extract<EventPayload, { type: 'output' }> {
  if (payload.type !== 'output' || typeof payload.data !== 'string') return false;
  // Only `type` and `data`: an extra key is the schema's to refuse.
  let keys = 0;
  for (const key in payload) {
    if (!Object.hasOwn(payload, key)) return false;
    keys += 1;
  }
  return keys === 2;
}

function writeFully(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += fs.writeSync(fd, data, written);
}

interface RecoveredState {
  lastSeq: number;
  lastEventTime: number | undefined;
  activeFirstSeq: number;
  activeBytes: number;
  eventsSinceIndex: number;
  missingIndexEntries: IndexEntry[];
  indexedEmptySegment: number | undefined;
}

/** Repairs a torn tail and works out where appending resumes. */
function recoverState(dir: string): RecoveredState {
  const indexFile = path.join(dir, INDEX_FILE);
  const { entries, validBytes } = readIndexFile(indexFile);
  if (fs.existsSync(indexFile) && fs.statSync(indexFile).size !== validBytes) {
    fs.truncateSync(indexFile, validBytes);
  }
  const activeFile = path.join(dir, ACTIVE_SEGMENT_FILE);
  if (fs.existsSync(activeFile)) {
    const keep = intactLength(activeFile);
    if (keep !== fs.statSync(activeFile).size) fs.truncateSync(activeFile, keep);
  }
  const activeBytes = fs.existsSync(activeFile) ? fs.statSync(activeFile).size : 0;
  const missingIndexEntries: IndexEntry[] = [];

  let scanFile: string | undefined;
  let scanFrom: IndexEntry | undefined;
  let activeFirstSeq = 0;
  if (activeBytes > 0) {
    activeFirstSeq = firstSeqOf(activeFile);
    const inSegment = entries.filter((entry) => entry.segment === activeFirstSeq);
    scanFrom = inSegment.at(-1);
    if (!scanFrom) {
      // The segment's start entry was lost with a torn index line: put it back.
      scanFrom = { seq: activeFirstSeq, segment: activeFirstSeq, offset: 0 };
      missingIndexEntries.push(scanFrom);
    }
    scanFile = activeFile;
  } else if (entries.length > 0) {
    // The active segment is empty or was just rotated away: the newest archived one ends the log.
    scanFrom = entries.at(-1);
    if (scanFrom) scanFile = segmentPath(dir, scanFrom.segment);
  }

  let lastSeq = -1;
  let lastEventTime: number | undefined;
  let eventsSinceIndex = 0;
  if (scanFile && scanFrom) {
    lastSeq = scanFrom.seq - 1;
    scanLines(scanFile, scanFrom.offset, ({ text }) => {
      const event = parseRecord(text, scanFile, lastSeq + 1);
      if (event.seq !== lastSeq + 1) {
        throw new EventLogDamagedError(scanFile, lastSeq + 1, {
          problem: `the record is missing (seq ${event.seq} comes next)`,
        });
      }
      lastSeq = event.seq;
      lastEventTime = event.time;
      eventsSinceIndex += 1;
      return true;
    });
  }
  if (activeBytes === 0) activeFirstSeq = lastSeq + 1;
  // A crash right after a rotation wrote the new segment's index entry, before its first record.
  const indexedEmptySegment =
    activeBytes === 0 && entries.at(-1)?.segment === activeFirstSeq ? activeFirstSeq : undefined;
  return {
    lastSeq,
    lastEventTime,
    activeFirstSeq,
    activeBytes,
    eventsSinceIndex,
    missingIndexEntries,
    indexedEmptySegment,
  };
}

function firstSeqOf(file: string): number {
  let first: number | undefined;
  scanLines(file, 0, ({ text }) => {
    first = parseRecord(text, file, undefined).seq;
    return false;
  });
  if (first === undefined) throw new Error(`event log segment ${file} has no complete record`);
  return first;
}
