/** Text a terminal echoes as it is typed: no line end, no other control character, no escape. */
const plainTyping = /^[^\x00-\x1f\x7f]+$/;

/**
 * Whether a run waits for someone to type, followed from its session's events: from the host's
 * `input_wait` for it until it prints something or is handed a line. Keys typed into the line it
 * waits for (plain text, no Enter) and the terminal's echo of them do not end the wait: the program
 * still waits for the rest of the line.
 */
export class RunInputWait {
  #waits = false;
  /** Keys typed since the wait began whose echo has not come yet. */
  #unechoed = '';
  /** Waits ended by the run printing, nobody typing. */
  #endsByPrinting = 0;
  /** Which of those ended the last wait, if printing did. */
  #lastEndByPrinting: number | undefined;

  /** Whether the run waits for someone to type now. */
  get waits(): boolean {
    return this.#waits;
  }

  /**
   * When the last wait ended with the run printing and nobody typing (a program that draws its
   * screen again while it waits for keys, as `top` does), a number telling this end from the ones
   * before it; otherwise (waiting now, never waited, or ended by a key) undefined.
   */
  get endedByPrinting(): number | undefined {
    return this.#lastEndByPrinting;
  }

  /** The host said the run waits for someone to type. */
  began(): void {
    this.#waits = true;
    this.#unechoed = '';
    this.#lastEndByPrinting = undefined;
  }

  /** Keys were typed into the run. */
  typed(data: string): void {
    if (this.#waits && plainTyping.test(data)) this.#unechoed += data;
    else {
      this.#end();
      this.#lastEndByPrinting = undefined;
    }
  }

  /** The run printed `data` (or its terminal echoed what was typed). */
  printed(data: string): void {
    if (data === '') return;
    if (this.#waits && this.#unechoed.startsWith(data))
      this.#unechoed = this.#unechoed.slice(data.length);
    else if (this.#waits) {
      // Echo of keys typed into the wait is not the program printing of its own accord.
      if (this.#unechoed === '') {
        this.#endsByPrinting += 1;
        this.#lastEndByPrinting = this.#endsByPrinting;
      }
      this.#end();
    }
  }

  #end(): void {
    this.#waits = false;
    this.#unechoed = '';
  }
}
