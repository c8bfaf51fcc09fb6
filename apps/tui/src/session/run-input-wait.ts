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

  /** Whether the run waits for someone to type now. */
  get waits(): boolean {
    return this.#waits;
  }

  /** The host said the run waits for someone to type. */
  began(): void {
    this.#waits = true;
    this.#unechoed = '';
  }

  /** Keys were typed into the run. */
  typed(data: string): void {
    if (this.#waits && plainTyping.test(data)) this.#unechoed += data;
    else this.#end();
  }

  /** The run printed `data` (or its terminal echoed what was typed). */
  printed(data: string): void {
    if (data === '') return;
    if (this.#waits && this.#unechoed.startsWith(data))
      this.#unechoed = this.#unechoed.slice(data.length);
    else this.#end();
  }

  #end(): void {
    this.#waits = false;
    this.#unechoed = '';
  }
}
