import type { SessionRecord } from '../state/session-record.js';

/** What a {@link RecordKeeper} needs from its surroundings. */
export interface RecordKeeperOptions {
  /** The record as the host starts with it. */
  record: SessionRecord;
  /** Writes the record to disk. */
  persist: (record: SessionRecord) => void;
  /** How long changes are gathered before they are written. @default 200 */
  delayMs?: number;
}

/**
 * Keeps a session's record for restarts and listings. Writing it is off the start of a run (a
 * rename per run costs more than starting it): changes are gathered and written a moment later,
 * or at once through {@link flush} when someone may read it from disk next.
 */
export class RecordKeeper {
  readonly #options: RecordKeeperOptions;
  #record: SessionRecord;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RecordKeeperOptions) {
    this.#options = options;
    this.#record = options.record;
  }

  /** The record as it is now (maybe not on disk yet). */
  get current(): SessionRecord {
    return this.#record;
  }

  /** Replaces the record; a change is written a moment later. */
  save(record: SessionRecord): void {
    const keys = new Set([
      ...Object.keys(record),
      ...Object.keys(this.#record),
    ] as (keyof SessionRecord)[]);
    const changed = [...keys].some((key) => record[key] !== this.#record[key]);
    this.#record = record;
    if (!changed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.flush();
    }, this.#options.delayMs ?? 200);
  }

  /** Writes a pending change now. */
  flush(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#options.persist(this.#record);
  }
}

/** The record without the run its host had going (see {@link SessionRecord}). */
export function withoutRun(record: SessionRecord): SessionRecord {
  const { running, ...rest } = record;
  return running === undefined ? record : rest;
}
