import { leftOutWords, TextTail } from '../commands/internal/text-tail.js';

/** How a {@link ProgressPacer} sends and waits. */
export interface ProgressPacerOptions {
  /** Sends one progress message. */
  send: (message: string) => void;
  /** Least time between two messages, in milliseconds. */
  intervalMs: number;
  /** Most characters of one message: the newest lines, after a line counting those left out. */
  maxCharacters: number;
  /** The clock. */
  now: () => number;
  /** Calls `callback` after `ms` milliseconds; returns what cancels it. */
  after: (ms: number, callback: () => void) => () => void;
  /**
   * After this long without a message, one says the call goes on (with how long it has run), so
   * that a client whose timeout progress resets does not give up on a quiet command.
   */
  heartbeatMs: number;
}

/**
 * Paces a call's progress messages so that a flood of output does not become a flood of
 * notifications: text comes out at once when none went for an interval, else gathered until the
 * interval is over, and then only its newest lines (the ones before counted in a first line). What
 * a slow command prints reaches the client line by line, as it comes; a quiet one gets a message
 * now and then saying it still runs.
 */
export class ProgressPacer {
  readonly #options: ProgressPacerOptions;
  #pending: TextTail | undefined;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;
  readonly #startedAt: number;
  #cancelHeartbeat: (() => void) | undefined;

  constructor(options: ProgressPacerOptions) {
    this.#options = options;
    this.#startedAt = options.now();
    this.#armHeartbeat();
  }

  /** Text for the client: sent now, or with what comes before the interval is over. */
  push(text: string): void {
    if (text === '') return;
    this.#pending ??= new TextTail(this.#options.maxCharacters);
    this.#pending.append(text);
    const wait = this.#lastSentAt + this.#options.intervalMs - this.#options.now();
    if (wait <= 0) this.#flush();
    else this.#cancelTimer ??= this.#options.after(wait, () => this.#flush());
  }

  /** Forgets what waits, and sends nothing more (the call was cancelled: it is not answered). */
  drop(): void {
    this.#stop();
    this.#pending = undefined;
  }

  /** Sends what waits, if anything, and nothing after it (the call is about to answer). */
  finish(): void {
    this.#flush();
    this.#stop();
  }

  #stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#cancelHeartbeat?.();
    this.#cancelHeartbeat = undefined;
  }

  #flush(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    const text = pending.text();
    const left = leftOutWords(pending.dropped, pending.cut);
    this.#send(left === undefined ? text : `[${left} left out]\n${text}`);
  }

  #send(message: string): void {
    this.#lastSentAt = this.#options.now();
    this.#options.send(message);
    this.#armHeartbeat();
  }

  #armHeartbeat(): void {
    this.#cancelHeartbeat?.();
    this.#cancelHeartbeat = this.#options.after(this.#options.heartbeatMs, () => {
      const seconds = Math.round((this.#options.now() - this.#startedAt) / 1000);
      this.#send(`still running after ${seconds} s`);
    });
  }
}
