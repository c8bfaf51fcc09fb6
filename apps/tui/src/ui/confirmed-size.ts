import { EventEmitter } from 'node:events';
import type { CursorRowAnswer } from './cursor-row-probe.js';

/** How long a terminal that answered with another width than it told of has to tell of it. */
const defaultOtherWidthWaitMs = 500;

/** What a {@link ConfirmedSize} needs of its surroundings. */
export interface ConfirmedSizeOptions {
  /** The terminal's stream: its size as last told (a `resize` event each time it is told anew). */
  stream: Pick<NodeJS.WriteStream, 'columns' | 'rows' | 'on'>;
  /** Asks the terminal how wide it is now; `answer` gets undefined when it does not say (in time). */
  askWidth: (answer: (answer: CursorRowAnswer | undefined) => void) => void;
  /** Whether a new width waits for the terminal to confirm it (no program has the whole terminal). */
  confirms: () => boolean;
  /**
   * Called as a new width starts to wait, with the longest the wait may take (`answerWaitMs`, then
   * `otherWidthWaitMs`): nothing is drawn at either width meanwhile. Drawn before it ends, a frame
   * laid out for the old width would be drawn at the new one.
   */
  waiting: (longestMs: number) => void;
  /** The longest `askWidth` waits for the terminal's answer before it gets undefined. */
  answerWaitMs: number;
  /** Called when the wait ends with the terminal back at the size that counts: nothing changed. */
  unchanged: () => void;
  /** @default setTimeout */
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** @default clearTimeout */
  clearTimer?: (timer: unknown) => void;
  /** @default 500 */
  otherWidthWaitMs?: number;
}

/**
 * The terminal's size as the TUI lays out and draws at it: a new width counts once the terminal,
 * asked, says it has it. tmux wraps its lines again at every width a window's edge is dragged
 * through, at once, but tells a program of them at most every 250 ms, and not always of the
 * latest: told of 68 columns while it already has 72 again, the rows it pushed into its
 * scrollback at 68 are back on its screen. Drawn for 68, the screen erased a command's line that
 * was back on it (lost), or printed again one still in the scrollback. So a width the terminal does
 * not have waits, for the width it has to be told of (or, at most `otherWidthWaitMs` later, counts
 * all the same). A change of height alone counts at once, as does any change while a program has
 * the whole terminal.
 */
export class ConfirmedSize {
  columns: number;
  rows: number;
  /**
   * The terminal's answer that confirmed the size that counts now: where its cursor was after
   * everything written before the question. Undefined when the size counted without one.
   */
  answer: CursorRowAnswer | undefined;
  readonly #events = new EventEmitter();
  readonly #options: ConfirmedSizeOptions;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  /** Changes told of so far: an answer to the question of an earlier one is not waited for. */
  #told = 0;
  #otherWidthTimer: unknown;

  constructor(options: ConfirmedSizeOptions) {
    this.#options = options;
    this.columns = options.stream.columns;
    this.rows = options.stream.rows;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout | undefined));
    options.stream.on('resize', () => {
      this.#toldOfSize();
    });
  }

  /** Calls `listener` each time the size counts anew (`columns` and `rows` are the new size). */
  on(listener: () => void): void {
    this.#events.on('resize', listener);
  }

  /** Stops calling `listener`. */
  off(listener: () => void): void {
    this.#events.off('resize', listener);
  }

  #toldOfSize(): void {
    this.#told += 1;
    const told = this.#told;
    this.#clearTimer(this.#otherWidthTimer);
    const { stream } = this.#options;
    if (stream.columns === this.columns || !this.#options.confirms()) {
      this.#count(undefined);
      return;
    }
    this.#options.waiting(
      this.#options.answerWaitMs + (this.#options.otherWidthWaitMs ?? defaultOtherWidthWaitMs),
    );
    this.#options.askWidth((answer) => {
      if (told !== this.#told) return;
      if (answer === undefined || answer.columns === stream.columns) {
        this.#count(answer);
        return;
      }
      // The terminal has another width already: it tells of it next.
      this.#otherWidthTimer = this.#setTimer(() => {
        if (told === this.#told) this.#count(undefined);
      }, this.#options.otherWidthWaitMs ?? defaultOtherWidthWaitMs);
    });
  }

  #count(answer: CursorRowAnswer | undefined): void {
    const { stream } = this.#options;
    this.answer = answer;
    if (stream.columns === this.columns && stream.rows === this.rows) {
      this.#options.unchanged();
      return;
    }
    this.columns = stream.columns;
    this.rows = stream.rows;
    this.#events.emit('resize');
  }
}
