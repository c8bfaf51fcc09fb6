import type { SessionRecord } from '../state/session-record.js';

/** What a {@link RecordKeeper} needs from its surroundings. */
export interface RecordKeeperOptions {
  /** The record as the host starts with it: what its file holds. */
  record: SessionRecord;
  /** Writes the record to disk; returns false when it could not (the file keeps the previous one). */
  persist: (record: SessionRecord) => boolean;
  /** How long changes are gathered before they are written. @default 200 */
  delayMs?: number;
}

/**
 * Keeps a session's record for restarts and listings. Writing it is off the start of a run (a
 * rename per run costs more than starting it): changes are gathered and written a moment later,
 * or at once through {@link flush} when someone may read it from disk next. A record equal to the
 * one on disk is never written again.
 */
export class RecordKeeper {
  readonly #options: RecordKeeperOptions;
  #record: SessionRecord;
  /** The record its file holds. */
  #persisted: SessionRecord;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RecordKeeperOptions) {
    this.#options = options;
    this.#record = options.record;
    this.#persisted = options.record;
  }

  /** The record as it is now (maybe not on disk yet). */
  get current(): SessionRecord {
    return this.#record;
  }

  /** Replaces the record; a change is written a moment later. */
  save(record: SessionRecord): void {
    const changed = !sameRecord(record, this.#record);
    this.#record = record;
    if (!changed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.flush();
    }, this.#options.delayMs ?? 200);
  }

  /** Writes the record now, unless its file holds it already. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const record = this.#record;
    if (sameRecord(record, this.#persisted)) return;
    if (this.#options.persist(record)) this.#persisted = record;
  }
}

/** True when both records hold the same values (`running` compared field by field). */
function sameRecord(a: SessionRecord, b: SessionRecord): boolean {
  const keys = Object.keys(a) as (keyof SessionRecord)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    key === 'running' ? sameRun(a.running, b.running) : a[key] === b[key],
  );
}

function sameRun(a: SessionRecord['running'], b: SessionRecord['running']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.runId === b.runId && a.startSeq === b.startSeq && a.waitsForInput === b.waitsForInput;
}

/** The record without the run its host had going (see {@link SessionRecord}). */
export function withoutRun(record: SessionRecord): SessionRecord {
  const { running, ...rest } = record;
  return running === undefined ? record : rest;
}
