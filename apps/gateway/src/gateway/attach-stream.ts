import type { SessionEvent } from '@lifeline/protocol';
import type { IndexEntry } from '../event-log/event-index.js';
import { forwardRecords, type LogRecord } from '../event-log/event-log-reader.js';
import { ReadAhead } from '../event-log/read-ahead.js';
import type { SessionWatcher } from './host-registry.js';
import { HeldEvents } from './held-events.js';
import { OutputWindow } from './output-window.js';

/**
 * Above this many bytes queued for the client, the stream stops sending and asks for a pause.
 * Everything queued is shown late by the time the client reads it, and a key's echo in a flood
 * waits behind all of it (and behind what the socket itself holds): at the 7–10 MB/s a TUI takes
 * a flood in, 32 KiB is 3–5 ms. A larger queue did not move floods any faster.
 */
export const CLIENT_BACKLOG_LIMIT_BYTES = 32 * 1024;

/**
 * While an attach catches up with the log (before it first reaches the live end), the stream
 * keeps up to this much queued for the client instead: what it sends then is history, which no
 * key's echo waits for (live events wait behind the catch-up whatever the queue), and a deeper
 * queue means fewer turns of reading the log per megabyte sent. The stream goes on as soon as the
 * queue has drained (see {@link AttachStreamOptions.onDrain}). Memory stays bounded by it plus
 * one read buffer, whatever the length of the log.
 */
export const CATCH_UP_BACKLOG_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Most bytes of records read from the log in one go, between two looks at the event loop. They go
 * out together at the end of that turn: in smaller pieces, the client is busy with the first while
 * the next are read (a replay streams about a fifth faster than a megabyte at a time).
 */
const LOG_READ_BYTES = 256 * 1024;

/**
 * Live events that arrive while the client is behind are held, up to this much output, and sent
 * from memory once it has room: reading them back from the log would decode each a second time.
 * More than this (a client far behind) is read from the log.
 */
const HELD_LIMIT = 1024 * 1024;
/**
 * A client that is behind while this much is held has its hosts asked to pause, until less than
 * {@link HELD_RESUME_BELOW} is held: a client that takes its output in windows is behind for a
 * moment after every window, and pausing the program each time would cost more than it saves.
 */
export const HELD_PAUSE_ABOVE = 64 * 1024;
const HELD_RESUME_BELOW = 16 * 1024;

/** What an attach stream needs from its surroundings. */
export interface AttachStreamOptions {
  sessionDir: string;
  /** Sends one event to the client; false when the client is gone. */
  send: (event: SessionEvent) => boolean;
  /**
   * Sends one event read from the log as its record on disk (the event's JSON text), so that it
   * is forwarded without being decoded and serialised again; false when the client is gone.
   * @default send(record.event())
   */
  sendRecord?: (record: LogRecord) => boolean;
  /** Bytes queued for the client and not yet written out. */
  backlog: () => number;
  /**
   * Calls `listener` whenever everything queued for the client has been written out (the
   * transport's `onDrain`); returns the function that stops it. A stream waiting for the queue
   * to shrink goes on at once then, instead of at its next look.
   * @default none: the stream looks again every `congestionPollMs`
   */
  onDrain?: (listener: () => void) => () => void;
  /** The client is too far behind (true) or has caught up (false). */
  congested: (congested: boolean) => void;
  /**
   * How long to wait before looking at a congested client again, unless its queue drains (or it
   * reports room in its window) first. @default 5
   */
  congestionPollMs?: number;
  /**
   * The client's `outputWindow`: it reports what it has shown (see {@link AttachStream.consumed}),
   * and no more than this many characters of output are sent past that.
   */
  outputWindow?: number | undefined;
  /**
   * The seq of the session's latest event as the host gave it when the client attached: events up
   * to it that the log on disk does not have yet are asked of the host ({@link unwritten}).
   * @default -1
   */
  lastSeq?: number;
  /**
   * The events after `afterSeq` that the host holds in memory, not yet on disk (its disk is full),
   * in seq order: asked once the log has nothing more and an event after its end is known to exist.
   * @default none: the log on disk has every event
   */
  unwritten?: (afterSeq: number) => Promise<SessionEvent[]>;
  /**
   * The log could not be read (it is damaged: `EventLogDamagedError`); the stream has stopped.
   * @default ignores it
   */
  failed?: (error: Error) => void;
}

/**
 * Streams one session to one client with no gap and no duplicate: every event after the
 * client's `afterSeq` is read from the log on disk until the stream has caught up, then live
 * events are forwarded as they come. A live event that does not follow the last one sent (the
 * client fell behind, the host restarted) sends the stream back to the log, which has everything,
 * because an event is on disk before any gateway sees it; but while the host's disk is full, when
 * the events after the log's end are those the host holds in memory (`unwritten`).
 */
export class AttachStream implements SessionWatcher {
  private nextSeq = 0;
  private pumping = false;
  private stopped = false;
  private isCongested = false;
  /** Where `nextSeq` starts in the log, after a page read from it. */
  private logPosition: IndexEntry | undefined;
  private readonly window: OutputWindow | undefined;
  /** Ends the pump's wait for a congested client early, once the client has room again. */
  private wake: (() => void) | undefined;
  /** Live events that came while the client was behind. */
  private readonly held = new HeldEvents(HELD_LIMIT);
  /** The log records of held events the host sent as such. */
  private readonly heldRecords = new WeakMap<SessionEvent, Buffer>();
  /** Events are read from the log (catching up, or more arrived than could be held). */
  private fromLog = true;
  /** The stream has not yet reached the live end of the log since it started. */
  private catchingUp = true;
  /** The read buffer of the pages read from the log, let go once the stream is live. */
  private readonly readAhead = new ReadAhead();
  /** The latest seq the stream knows the session has, from the host or a live event. */
  private latestSeq: number;

  constructor(private readonly options: AttachStreamOptions) {
    this.window =
      options.outputWindow === undefined ? undefined : new OutputWindow(options.outputWindow);
    this.latestSeq = options.lastSeq ?? -1;
  }

  /** Starts after `afterSeq` (-1: from the beginning). */
  start(afterSeq: number): void {
    this.nextSeq = afterSeq + 1;
    this.schedulePump();
  }

  event(event: SessionEvent, record?: Buffer): void {
    this.latestSeq = Math.max(this.latestSeq, event.seq);
    if (this.stopped || event.seq < this.nextSeq) return;
    if (!this.pumping && event.seq === this.nextSeq && !this.isBehind()) {
      this.deliver(event, record);
      return;
    }
    if (!this.held.keep(event, this.nextSeq)) this.fromLog = true;
    else if (record !== undefined) this.heldRecords.set(event, record);
    if (this.isBehind()) this.updateCongestion(true);
    this.schedulePump();
  }

  /** Asks for the hosts to pause while the client is behind and too much waits for it (see {@link HELD_PAUSE_ABOVE}). */
  private updateCongestion(behind: boolean): void {
    if (this.fromLog) this.setCongested(behind);
    else if (this.isCongested) this.setCongested(this.held.size >= HELD_RESUME_BELOW);
    else this.setCongested(behind && this.held.size >= HELD_PAUSE_ABOVE);
  }

  /** Sends held events, from `nextSeq` on, while the client has room; false when it is gone. */
  private sendHeld(): boolean {
    for (
      let event = this.held.next(this.nextSeq);
      event !== undefined && !this.isBehind();
      event = this.held.next(this.nextSeq)
    ) {
      if (!this.deliver(event, this.heldRecords.get(event))) return false;
      this.held.take();
    }
    return true;
  }

  /**
   * The client has shown every event up to `seq` (`session.consumed`), and asks for a window of
   * `outputWindow` from now on when given.
   */
  consumed(seq: number, outputWindow?: number): void {
    if (!this.window) return;
    this.window.consumed(seq);
    if (outputWindow !== undefined) this.window.size = outputWindow;
    if (!this.isBehind()) this.wake?.();
  }

  changed(): void {
    this.schedulePump();
  }

  stop(): void {
    this.stopped = true;
    this.held.clear();
    this.readAhead.release();
    this.setCongested(false);
    this.wake?.();
  }

  /**
   * Too much is queued for the client, or in flight to it beyond its window. What is queued for a
   * client with a window is in flight too: a window larger than the usual queue allows that much.
   * (The window counts characters, the queue bytes: up to about three bytes a character when the
   * output is escaped JSON or not ASCII.)
   */
  private isBehind(): boolean {
    const limit = this.catchingUp
      ? CATCH_UP_BACKLOG_LIMIT_BYTES
      : Math.max(CLIENT_BACKLOG_LIMIT_BYTES, this.window?.size ?? 0);
    return this.options.backlog() >= limit || (this.window?.isFull ?? false);
  }

  /**
   * Sends `event`, the next one the client needs, as its log record's bytes when the host sent
   * them; a client that is gone stops the stream (false).
   */
  private deliver(event: SessionEvent, record: Buffer | undefined): boolean {
    if (record !== undefined)
      return this.deliverRecord({ seq: event.seq, bytes: record, event: () => event });
    return this.delivered(this.options.send(event), event.seq, () => event);
  }

  /** Sends the event of `record`, read from the log; see {@link deliver}. */
  private deliverRecord(record: LogRecord): boolean {
    const sent = this.options.sendRecord
      ? this.options.sendRecord(record)
      : this.options.send(record.event());
    return this.delivered(sent, record.seq, () => record.event());
  }

  /** After an event went out (`sent`) or could not: counts it in the window, or stops. */
  private delivered(sent: boolean, seq: number, event: () => SessionEvent): boolean {
    if (!sent) {
      this.stop();
      return false;
    }
    // Parsed only for a window to count it in.
    if (this.window) this.window.sent(event());
    this.nextSeq = seq + 1;
    return true;
  }

  /** The stream has reached the live end: from now on it keeps the client's queue short. */
  private goLive(): void {
    this.readAhead.release();
    this.fromLog = false;
    this.catchingUp = false;
    this.updateCongestion(false);
  }

  /** Waits `ms`, or less when the client reports room or its queue drains first. */
  private waitForRoom(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopWatching?.();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      const stopWatching = this.options.onDrain?.(done);
      this.wake = done;
    });
  }

  private schedulePump(): void {
    if (this.stopped) return;
    // A running pump reads the log until it is empty, so it picks this up too.
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    const pollMs = this.options.congestionPollMs ?? 5;
    try {
      for (;;) {
        if (this.stopped) return;
        const behind = this.isBehind();
        this.updateCongestion(behind);
        if (behind) {
          await this.waitForRoom(pollMs);
          continue;
        }
        if (this.held.next(this.nextSeq) !== undefined) {
          if (!this.sendHeld()) return;
          // All held and sent: the stream is live again (later events arrive as they come).
          if (this.held.isEmpty) {
            this.goLive();
            return;
          }
          continue;
        }
        this.held.clear();
        this.fromLog = true;
        // Read synchronously: any live event not yet sent is either in this page or arrives later.
        // Records go out as they are read, until the client is behind (or gone).
        const page = forwardRecords(
          this.options.sessionDir,
          this.nextSeq,
          {
            maxBytes: LOG_READ_BYTES,
            readAhead: this.readAhead,
            ...(this.logPosition ? { position: this.logPosition } : {}),
          },
          (record) => this.deliverRecord(record) && !this.isBehind(),
        );
        // A client gone stopped the stream: the loop ends at its top.
        this.logPosition = page.position;
        if (page.count === 0) {
          if (await this.sendUnwritten()) continue;
          this.goLive();
          return;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.stop();
      this.options.failed?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.pumping = false;
    }
  }

  /**
   * The log has nothing after `nextSeq`, yet the session has later events: the host holds them in
   * memory while its disk is full. Sends those that follow on while the client has room; false
   * when there are none to send (a host that does not answer has none).
   */
  private async sendUnwritten(): Promise<boolean> {
    if (!this.options.unwritten || this.nextSeq > this.latestSeq) return false;
    const events = await this.options.unwritten(this.nextSeq - 1).catch(() => []);
    const follows = events[0]?.seq === this.nextSeq;
    for (const event of events) {
      if (this.stopped || event.seq !== this.nextSeq || this.isBehind()) break;
      if (!this.deliver(event, undefined)) return false;
    }
    return follows;
  }

  private setCongested(congested: boolean): void {
    if (this.isCongested === congested) return;
    this.isCongested = congested;
    this.options.congested(congested);
  }
}
