/** What an {@link InputWaitWatch} needs from its surroundings. */
export interface InputWaitWatchOptions {
  now: () => number;
  /** How long the run must print nothing and be typed nothing before a wait counts. */
  quietMs: number;
  /** Whether one of the run's programs waits to read the terminal right now. */
  waits: () => boolean;
  /** Records that the run waits for input. */
  record: () => void;
}

/**
 * Decides when a run waits for someone to type, from looks taken every so often: once the run has
 * been quiet for `quietMs`, and two looks in a row found it waiting (the first may come while what
 * the program printed last, or the shell at the end of the run, is still unread in the PTY), the
 * wait is recorded; once, until the run prints or is typed into again. A program that waited and
 * printed, or was handed keys but no line (`top` drawing its screen again, a pager's Space), and is
 * found waiting again at the next two looks still waits: no quiet spell is asked of it, so it is
 * not called busy for a second after each of its redraws. A line typed (its Enter) may start work:
 * the next wait needs a quiet spell again.
 */
export class InputWaitWatch {
  readonly #options: InputWaitWatchOptions;
  #lastActivityAt: number;
  #looksWaiting = 0;
  #recorded = false;
  /** A wait was recorded since a line was last typed: a redraw alone does not make it busy. */
  #waitedSinceLine = false;

  constructor(options: InputWaitWatchOptions) {
    this.#options = options;
    this.#lastActivityAt = options.now();
  }

  /** The run printed: a wait after this is a new one. */
  printed(): void {
    this.#lastActivityAt = this.#options.now();
    this.#looksWaiting = 0;
    this.#recorded = false;
  }

  /**
   * The run was typed `keys` into: a wait after this is a new one, after a quiet spell if they end
   * a line.
   */
  typed(keys: string): void {
    this.printed();
    if (/[\r\n]/.test(keys)) this.#waitedSinceLine = false;
  }

  /** One look. `paused`: the PTY is not read now, so what the run printed may be unread. */
  look(paused: boolean): void {
    if (
      paused ||
      this.#recorded ||
      (!this.#waitedSinceLine && this.#options.now() - this.#lastActivityAt < this.#options.quietMs)
    )
      return;
    if (!this.#options.waits()) {
      this.#looksWaiting = 0;
      return;
    }
    this.#looksWaiting += 1;
    if (this.#looksWaiting < 2) return;
    this.#recorded = true;
    this.#waitedSinceLine = true;
    this.#options.record();
  }
}
