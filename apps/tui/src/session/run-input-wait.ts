import { TypedLineEcho } from '@lifeline/protocol';

/**
 * Whether a run waits for someone to type, followed from its session's events: from the host's
 * `input_wait` for it until it prints something or is handed a line. Keys typed into the line it
 * waits for (plain text, no Enter) and the terminal's echo of them do not end the wait: the program
 * still waits for the rest of the line.
 */
export class RunInputWait {
  #waits = false;
  /** Keys typed into the line it waits for, and their echo (see {@link TypedLineEcho}). */
  readonly #echo = new TypedLineEcho();
  /** Waits ended without a line typed. */
  #endsWithoutLine = 0;
  /** Which of those ended the last wait, if one did. */
  #lastEndWithoutLine: number | undefined;

  /** Whether the run waits for someone to type now. */
  get waits(): boolean {
    return this.#waits;
  }

  /**
   * When the last wait ended without a line typed — the program printed of its own accord, or was
   * handed keys but no Enter (`top` drawing its screen again, a pager's Space or arrow), after
   * which such programs wait again at once — a number telling this end from the ones before it;
   * otherwise (waiting now, never waited, or ended by a line) undefined.
   */
  get endedWithoutLine(): number | undefined {
    return this.#lastEndWithoutLine;
  }

  /** The host said the run waits for someone to type. */
  began(): void {
    this.#waits = true;
    this.#echo.reset();
    this.#lastEndWithoutLine = undefined;
  }

  /** Keys were typed into the run. */
  typed(data: string): void {
    if (this.#waits && this.#echo.typed(data)) return;
    if (/[\r\n]/.test(data)) {
      // A line: the program may go to work on it.
      this.#end();
      this.#lastEndWithoutLine = undefined;
    } else if (this.#waits) this.#endWithoutLine();
  }

  /** The run printed `data` (or its terminal echoed what was typed). */
  printed(data: string): void {
    if (data === '') return;
    if (this.#waits && !this.#echo.echoed(data)) this.#endWithoutLine();
  }

  #endWithoutLine(): void {
    this.#endsWithoutLine += 1;
    this.#lastEndWithoutLine = this.#endsWithoutLine;
    this.#end();
  }

  #end(): void {
    this.#waits = false;
    this.#echo.reset();
  }
}
