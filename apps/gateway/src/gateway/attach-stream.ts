import type { SessionEvent } from '@lifeline/protocol';
import type { IndexEntry } from '../event-log/event-index.js';
import { readEvents } from '../event-log/event-log-reader.js';
import type { SessionWatcher } from './host-registry.js';

/**
 * Above this many bytes queued for the client, the stream stops sending and asks for a pause.
 * Everything queued is shown late by the time the client reads it, and a key's echo in a flood
 * waits behind all of it (and behind what the socket itself holds): at the 7–10 MB/s a TUI takes
 * a flood in, 32 KiB is 3–5 ms. A larger queue did not move floods any faster.
 */
export const CLIENT_BACKLOG_LIMIT_BYTES = 32 * 1024;

/** What an attach stream needs from its surroundings. */
export interface AttachStreamOptions {
  sessionDir: string;
  /** Sends one event to the client; false when the client is gone. */
  send: (event: SessionEvent) => boolean;
  /** Bytes queued for the client and not yet written out. */
  backlog: () => number;
  /** The client is too far behind (true) or has caught up (false). */
  congested: (congested: boolean) => void;
  /** How long to wait before looking at a congested client again. @default 5 */
  congestionPollMs?: number;
}

/**
 * Streams one session to one client with no gap and no duplicate: every event after the
 * client's `afterSeq` is read from the log on disk until the stream has caught up, then live
 * events are forwarded as they come. A live event that does not follow the last one sent (the
 * client fell behind, the host restarted) sends the stream back to the log, which has everything,
 * because an event is on disk before any gateway sees it.
 */
export class AttachStream implements SessionWatcher {
  private nextSeq = 0;
  private pumping = false;
  private stopped = false;
  private isCongested = false;
  /** Where `nextSeq` starts in the log, after a page read from it. */
  private logPosition: IndexEntry | undefined;

  constructor(private readonly options: AttachStreamOptions) {}

  /** Starts after `afterSeq` (-1: from the beginning). */
  start(afterSeq: number): void {
    this.nextSeq = afterSeq + 1;
    this.schedulePump();
  }

  event(event: SessionEvent): void {
    if (this.stopped || event.seq < this.nextSeq) return;
    if (!this.pumping && event.seq === this.nextSeq && this.options.backlog() < CLIENT_BACKLOG_LIMIT_BYTES) {
      if (this.options.send(event)) this.nextSeq += 1;
      else this.stop();
      return;
    }
    this.schedulePump();
  }

  changed(): void {
    this.schedulePump();
  }

  stop(): void {
    this.stopped = true;
    this.setCongested(false);
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
        if (this.options.backlog() >= CLIENT_BACKLOG_LIMIT_BYTES) {
          this.setCongested(true);
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          continue;
        }
        this.setCongested(false);
        // Read synchronously: any live event not yet sent is either in this page or arrives later.
        const page = readEvents(this.options.sessionDir, this.nextSeq, {
          limit: 512,
          maxBytes: 512 * 1024,
          ...(this.logPosition ? { position: this.logPosition } : {}),
        });
        for (const event of page.events) {
          if (!this.options.send(event)) {
            this.stop();
            return;
          }
          this.nextSeq = event.seq + 1;
        }
        this.logPosition = page.position;
        if (page.events.length === 0) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
    }
  }

  private setCongested(congested: boolean): void {
    if (this.isCongested === congested) return;
    this.isCongested = congested;
    this.options.congested(congested);
  }
}
