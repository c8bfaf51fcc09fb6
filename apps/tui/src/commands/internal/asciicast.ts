import type { SessionEvent } from '@lifeline/protocol';

/** Options of {@link AsciicastEncoder}. */
export interface AsciicastOptions {
  /** The header's `title`. */
  title?: string;
  /**
   * The header's `env` (`SHELL`, `TERM`). Without a `TERM` here, the header has the one the log's
   * first `host_start` recorded (the TERM of the terminal the session was opened from), if any.
   */
  env?: Record<string, string>;
  /** Size used when the log has no `resize` among its first events. @default 80×24 */
  fallbackSize?: { cols: number; rows: number };
  /** Events held back while looking for the first `resize`, to size the header. @default 1000 */
  lookahead?: number;
}

/** The asciicast v2 header line (https://docs.asciinema.org/manual/asciicast/v2/). */
export interface AsciicastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix time of the recording's start, in seconds. */
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

/**
 * Turns a session's events, in seq order, into asciicast v2 lines: the header (sized by the
 * first `resize`), then `[seconds, "o", data]` for output and `[seconds, "r", "COLSxROWS"]` for
 * later resizes, seconds counted from the first event and never going backwards. Output is the
 * raw byte stream the terminal received, so a player reproduces full-screen programs faithfully.
 */
export class AsciicastEncoder {
  private readonly options: AsciicastOptions;
  private readonly held: SessionEvent[] = [];
  private header: AsciicastHeader | undefined;
  private firstTime: number | undefined;
  private lastSeconds = 0;
  private sizingResizeSeq: number | undefined;
  private count = 0;

  constructor(options: AsciicastOptions = {}) {
    this.options = options;
  }

  /** Event lines written so far (the header not counted). */
  get events(): number {
    return this.count;
  }

  /** Adds the next event; returns the lines it completes (each without its newline). */
  push(event: SessionEvent): string[] {
    this.firstTime ??= event.time;
    if (this.header) return this.encode(event);
    this.held.push(event);
    if (event.type === 'resize' || this.held.length >= (this.options.lookahead ?? 1000))
      return this.release();
    return [];
  }

  /** No more events: returns what is left (at least the header). */
  end(): string[] {
    return this.header ? [] : this.release();
  }

  private release(): string[] {
    const sizing = this.held.find(
      (event): event is Extract<SessionEvent, { type: 'resize' }> => event.type === 'resize',
    );
    const size = sizing ?? this.options.fallbackSize ?? { cols: 80, rows: 24 };
    this.sizingResizeSeq = sizing?.seq;
    const term = this.held.find(
      (event): event is Extract<SessionEvent, { type: 'host_start' }> =>
        event.type === 'host_start',
    )?.term;
    const env = {
      ...(term === undefined ? {} : { TERM: term }),
      ...this.options.env,
    };
    this.header = {
      version: 2,
      width: size.cols,
      height: size.rows,
      timestamp: Math.floor((this.firstTime ?? Date.now()) / 1000),
      ...(this.options.title === undefined ? {} : { title: this.options.title }),
      ...(Object.keys(env).length === 0 ? {} : { env }),
    };
    const lines = [JSON.stringify(this.header)];
    for (const event of this.held.splice(0)) lines.push(...this.encode(event));
    return lines;
  }

  private encode(event: SessionEvent): string[] {
    let frame: [number, string, string];
    if (event.type === 'output') {
      frame = [this.seconds(event.time), 'o', event.data];
    } else if (event.type === 'resize' && event.seq !== this.sizingResizeSeq) {
      frame = [this.seconds(event.time), 'r', `${event.cols}x${event.rows}`];
    } else {
      return [];
    }
    this.count += 1;
    return [JSON.stringify(frame)];
  }

  /** Seconds since the first event, to the millisecond, never less than the previous frame's. */
  private seconds(time: number): number {
    const seconds = Math.max(this.lastSeconds, Math.round(time - (this.firstTime ?? time)) / 1000);
    this.lastSeconds = seconds;
    return seconds;
  }
}
