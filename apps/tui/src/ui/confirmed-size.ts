import { EventEmitter } from 'node:events';
import type { CursorRowAnswer } from './cursor-row-probe.js';

/** How long a terminal that answered with another size than it told of has to tell of it. */
const defaultOtherSizeWaitMs = 500;

/** What a {@link ConfirmedSize} needs of its surroundings. */
export interface ConfirmedSizeOptions {
  /** The terminal's stream: its size as last told (a `resize` event each time it is told anew). */
  stream: Pick<NodeJS.WriteStream, 'columns' | 'rows' | 'on'>;
  /** Asks the terminal how wide it is now; `answer` gets undefined when it does not say (in time). */
  askWidth: (answer: (answer: CursorRowAnswer | undefined) => void) => void;
  /** Asks the terminal how high it is now (its rows); `answer` gets undefined when it does not say. */
  askHeight: (answer: (rows: number | undefined) => void) => void;
  /** Whether a new size waits for the terminal to confirm it (no program has the whole terminal). */
  confirms: () => boolean;
  /**
   * Called as a new size starts to wait, with the longest the wait may take (`answerWaitMs`, then
   * `otherSizeWaitMs`): nothing is drawn at either size meanwhile. Drawn before it ends, a frame
   * laid out for the old size would be drawn at the new one.
   */
  waiting: (longestMs: number) => void;
  /** The longest `askWidth` and `askHeight` wait for the terminal's answer before it gets undefined. */
  answerWaitMs: number;
  /** Called when the wait ends with the terminal back at the size that counts: nothing changed. */
  unchanged: () => void;
  /** @default setTimeout */
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** @default clearTimeout */
  clearTimer?: (timer: unknown) => void;
  /** @default 500 */
  otherSizeWaitMs?: number;
}

/**
 * The terminal's size as the TUI lays out and draws at it: a new size counts once the terminal,
 * asked, says it has it. tmux wraps its lines again at every width a window's edge is dragged
 * through, at once, but tells a program of them at most every 250 ms, and not always of the
 * latest: told of 68 columns while it already has 72 again, the rows it pushed into its
 * scrollback at 68 are back on its screen. Drawn for 68, the screen erased a command's line that
 * was back on it (lost), or printed again one still in the scrollback. Heights likewise: told of
 * 21 rows while it has 30 again, the rows it moved into its scrollback at 21 are back on its
 * screen, above what the TUI draws for 21. So a size the terminal does not have waits, for the size
 * it has to be told of (or, at most `otherSizeWaitMs` later, counts all the same). A new width is
 * asked for with the cursor's row (see {@link answer}), a new height alone with the height. Any
 * change while a program has the whole terminal counts at once.
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
  #otherSizeTimer: unknown;

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
    this.#clearTimer(this.#otherSizeTimer);
    const { stream } = this.#options;
    const widthChanged = stream.columns !== this.columns;
    if ((!widthChanged && stream.rows === this.rows) || !this.#options.confirms()) {
      this.#count(undefined);
      return;
    }
    const otherSizeWaitMs = this.#options.otherSizeWaitMs ?? defaultOtherSizeWaitMs;
    this.#options.waiting(this.#options.answerWaitMs + otherSizeWaitMs);
    /** `otherSize`: the terminal said it has another size than it told of. */
    const answered = (otherSize: boolean, answer?: CursorRowAnswer) => {
      if (told !== this.#told) return;
      if (!otherSize) {
        this.#count(answer);
        return;
      }
      // The terminal has another size already: it tells of it next.
      this.#otherSizeTimer = this.#setTimer(() => {
        if (told === this.#told) this.#count(undefined);
      }, otherSizeWaitMs);
    };
    if (widthChanged)
      this.#options.askWidth((answer) => {
        answered(answer !== undefined && answer.columns !== stream.columns, answer);
      });
    else
      this.#options.askHeight((rows) => {
        answered(rows !== undefined && rows !== stream.rows);
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
