import type { EventPayload, SessionEvent } from '@lifeline/protocol';
import { eventPayloadSchema } from '@lifeline/protocol';
import { diskFullCodes, errnoCode } from '../errno.js';
import type { RecordedEvent } from './event-log-writer.js';

/** What {@link SpaceWaitingLog} needs of the log on disk (an `EventLogWriter`). */
export interface DiskEventLog {
  readonly dir: string;
  readonly lastSeq: number;
  readonly lastTime: number | undefined;
  appendRecorded(payload: EventPayload): RecordedEvent;
  appendEvent(event: SessionEvent): void;
  close(): void;
}

/** Options of {@link SpaceWaitingLog}. */
export interface SpaceWaitingLogOptions {
  /**
   * Hears each event the log makes up itself (the notes that the disk is full and that it has room
   * again), when it is made, so that it reaches clients in seq order with the others.
   */
  announce: (event: SessionEvent) => void;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Bytes of output held in memory while the disk is full; output beyond is dropped and counted. @default 8 MiB */
  maxHeldBytes?: number;
  /**
   * Told the seq of each event held in memory, so that a log whose host dies before writing them
   * never gives their seqs to other events (see `UnwrittenSeqMark`).
   */
  mark?: { held(seq: number): void };
}

/**
 * The event log of a live session, which a full disk does not stop: when an append fails for lack
 * of space (`ENOSPC`, `EDQUOT`), the log records a `note` with `condition: 'disk_full'` and holds
 * the events that follow in memory, each with its seq, so the session and its clients go on. Every
 * later append, and {@link retry}, tries to write the held events; once they are all on disk a
 * `disk_space_returned` note says how many bytes of output were dropped meanwhile (output beyond
 * `maxHeldBytes` is, and then all of the run's output until it ends, in one gap; each run and
 * prompt may hold 64 KiB more, 8 MiB more in all, so that prompts and short commands still show;
 * other events are never dropped). Any other write failure is thrown, as before.
 */
export class SpaceWaitingLog {
  private readonly held: SessionEvent[] = [];
  private heldOutputBytes = 0;
  private lostBytes = 0;
  /**
   * Output is being dropped: all that follows is, until a run or a prompt starts or ends (or there
   * is room), so that the output kept never resumes in the middle of the gap (a smaller piece let
   * in would be spliced to a line cut short).
   */
  private dropping = false;
  /**
   * Output may be held up to this many bytes: `maxHeldBytes`, and {@link ALLOWANCE_BYTES} more from
   * each run's or prompt's start or end on (those add up to {@link ALLOWANCES_MAX_BYTES} at most),
   * so that prompts and short commands still show while the disk stays full.
   */
  private heldOutputLimit: number;
  /** From the first append the disk refused until the note that it has room again is written. */
  private full = false;
  private readonly now: () => number;
  private readonly maxHeldBytes: number;

  constructor(
    private readonly disk: DiskEventLog,
    private readonly options: SpaceWaitingLogOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxHeldBytes = options.maxHeldBytes ?? 8 * 1024 * 1024;
    this.heldOutputLimit = this.maxHeldBytes;
  }

  /** Seq of the latest event, held or written; -1 while the log is empty. */
  get lastSeq(): number {
    return this.held.at(-1)?.seq ?? this.disk.lastSeq;
  }

  /** Time of the latest event, held or written, if any. */
  get lastTime(): number | undefined {
    return this.held.at(-1)?.time ?? this.disk.lastTime;
  }

  /** True while events wait in memory for room on the disk. */
  get waitingForSpace(): boolean {
    return this.full;
  }

  /** The events after `seq` that wait in memory for room on the disk, in seq order. */
  unwrittenAfter(seq: number): SessionEvent[] {
    return this.held.filter((event) => event.seq > seq);
  }

  /**
   * Appends an event (to the disk, or to the held ones while the disk is full) and returns it with
   * its seq, and the record's bytes when it went to the disk (an event held in memory has none).
   * An output event dropped for want of memory is returned too, so the session goes on; its bytes
   * are counted in the `disk_space_returned` note.
   * @throws Error when the payload is not a valid event, or the write fails for a reason other
   * than a full disk
   */
  appendRecorded(payload: EventPayload): RecordedEvent {
    if (this.full) this.retry();
    if (!this.full) {
      try {
        return this.disk.appendRecorded(payload);
      } catch (error) {
        if (!isDiskFull(error)) throw error;
        this.full = true;
        this.hold(
          this.stamp({
            type: 'note',
            text: `the disk is full: ${describe(error)} in ${this.disk.dir}; free some space there: output is held in memory until there is room`,
            condition: 'disk_full',
          }),
          true,
        );
      }
    }
    const event = this.stamp(eventPayloadSchema.parse(payload));
    if (allowanceStarts.has(event.type)) {
      this.dropping = false;
      this.heldOutputLimit = Math.min(
        this.maxHeldBytes + ALLOWANCES_MAX_BYTES,
        Math.max(this.heldOutputLimit, this.heldOutputBytes + ALLOWANCE_BYTES),
      );
    }
    if (event.type === 'output') {
      const bytes = Buffer.byteLength(event.data);
      if (this.dropping || this.heldOutputBytes + bytes > this.heldOutputLimit) {
        this.dropping = true;
        this.lostBytes += bytes;
        // The seq is kept, so readers see no gap: the record says what was dropped.
        const dropped = this.stamp({
          type: 'note',
          text: `${bytes} bytes of output were dropped: the disk was full`,
          condition: 'output_dropped',
          lostBytes: bytes,
        });
        this.hold(dropped, false);
        return { event: dropped, record: undefined };
      }
      this.heldOutputBytes += bytes;
    }
    this.hold(event, false);
    return { event, record: undefined };
  }

  /**
   * Writes as many held events as the disk takes now; when the last is written, records that the
   * disk has room again. Called by every append; call it on a timer too, for a quiet session.
   * @throws Error when a write fails for a reason other than a full disk
   */
  retry(): void {
    if (!this.full) return;
    while (this.held.length > 0) {
      const next = this.held[0] as SessionEvent;
      try {
        this.disk.appendEvent(next);
      } catch (error) {
        if (isDiskFull(error)) return;
        throw error;
      }
      this.held.shift();
      if (next.type === 'output') this.heldOutputBytes -= Buffer.byteLength(next.data);
    }
    const lostBytes = this.lostBytes;
    const text =
      lostBytes === 0
        ? 'the disk has room again: no output was lost'
        : `the disk has room again: ${lostBytes} bytes of output were lost while it was full`;
    let event: SessionEvent;
    try {
      event = this.disk.appendRecorded({
        type: 'note',
        text,
        condition: 'disk_space_returned',
        lostBytes,
      }).event;
    } catch (error) {
      if (isDiskFull(error)) return;
      throw error;
    }
    this.full = false;
    this.dropping = false;
    this.heldOutputLimit = this.maxHeldBytes;
    this.lostBytes = 0;
    this.heldOutputBytes = 0;
    this.options.announce(event);
  }

  /** Writes what it can of the held events, then closes the log on disk. */
  close(): void {
    this.retry();
    this.disk.close();
  }

  private stamp(payload: EventPayload): SessionEvent {
    return { seq: this.lastSeq + 1, time: this.now(), ...payload };
  }

  private hold(event: SessionEvent, announce: boolean): void {
    this.held.push(event);
    this.options.mark?.held(event.seq);
    if (announce) this.options.announce(event);
  }
}

/**
 * Events from which a little more output may be held (see `heldOutputLimit`), and that end a gap:
 * the output that follows is a new run's, or a prompt.
 */
const allowanceStarts: ReadonlySet<SessionEvent['type']> = new Set([
  'run_start',
  'run_complete',
  'prompt_start',
]);

/** Bytes of output held from each run's or prompt's start or end on, beyond `maxHeldBytes`. */
const ALLOWANCE_BYTES = 64 * 1024;

/** What the allowances add up to at most, however many commands run while the disk is full. */
const ALLOWANCES_MAX_BYTES = 8 * 1024 * 1024;

function isDiskFull(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && diskFullCodes.includes(code);
}

function describe(error: unknown): string {
  return errnoCode(error) ?? 'no space';
}
