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
}

/**
 * Paces a call's progress messages so that a flood of output does not become a flood of
 * notifications: text comes out at once when none went for an interval, else gathered until the
 * interval is over, and then only its newest lines (the ones before counted in a first line). What
 * a slow command prints reaches the client line by line, as it comes.
 */
export class ProgressPacer {
  readonly #options: ProgressPacerOptions;
  #pending: TextTail | undefined;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;

  constructor(options: ProgressPacerOptions) {
    this.#options = options;
  }

  /** Text for the client: sent now, or with what comes before the interval is over. */
  push(text: string): void {
    if (text === '') return;
    this.#pending ??= new TextTail(this.#options.maxCharacters);
    this.#pending.append(text);
    const wait = this.#lastSentAt + this.#options.intervalMs - this.#options.now();
    if (wait <= 0) this.flush();
    else this.#cancelTimer ??= this.#options.after(wait, () => this.flush());
  }

  /** Forgets what waits (the call was cancelled: it is not answered, nor its progress sent). */
  drop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#pending = undefined;
  }

  /** Sends what waits, if anything (the call is about to answer). */
  flush(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    const text = pending.text();
    const left = leftOutWords(pending.dropped, pending.cut);
    this.#lastSentAt = this.#options.now();
    this.#options.send(left === undefined ? text : `[${left} left out]\n${text}`);
  }
}
