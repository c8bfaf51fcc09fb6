/** Keys a terminal echoes as they are typed into a line: no line end, no other control, no escape. */
const plainTyping = /^[^\x00-\x1f\x7f]+$/;

/**
 * The keys typed into the line a program waits for, and the terminal's echo of them: neither ends
 * its wait for input (`input_wait`, a session summary's `waitsForInput`), as it still waits for the
 * rest of the line; a line end, another control key, or output other than that echo does. The
 * same rule on both sides: the host keeps `waitsForInput` by it, a client its own view of the wait.
 */
export class TypedLineEcho {
  /** Keys typed whose echo has not come yet. */
  #unechoed = '';

  /**
   * `keys` were typed into the line a program waits for: true when they are plain text, whose echo
   * is then expected; false when they hand the program something (a line end, a control key, an
   * escape sequence), and nothing is expected any more.
   */
  typed(keys: string): boolean {
    if (plainTyping.test(keys)) {
      this.#unechoed += keys;
      return true;
    }
    this.#unechoed = '';
    return false;
  }

  /**
   * The program printed `text`: true when it is (the next part of) the echo of plain text typed,
   * taken then; false otherwise, and nothing is expected any more.
   */
  echoed(text: string): boolean {
    if (text !== '' && this.#unechoed.startsWith(text)) {
      this.#unechoed = this.#unechoed.slice(text.length);
      return true;
    }
    this.#unechoed = '';
    return false;
  }

  /** Nothing typed is expected to be echoed any more (a wait ended, another run). */
  reset(): void {
    this.#unechoed = '';
  }
}
