/** Most characters sent in one write: well under the gateway's input limit. */
const MAX_CHARACTERS_PER_WRITE = 128 * 1024;

/**
 * What is typed into the session, sent in order, each character once: what is typed while a write
 * is on its way goes in the next one, as one piece (a line editor reads it as fast typing).
 */
export class TypedInput {
  /** Keys and pastes typed and not sent yet, in order. */
  #typed = '';
  #sending = false;

  /** @param send writes one piece to the session's terminal (it reports its own failures) */
  constructor(private readonly send: (data: string) => Promise<unknown>) {}

  /** Types `data` after everything typed before it. */
  type(data: string): void {
    this.#typed += data;
    if (!this.#sending) void this.#sendTyped();
  }

  async #sendTyped(): Promise<void> {
    this.#sending = true;
    while (this.#typed !== '') {
      // Stay well under the gateway's input limit, without cutting a character in two.
      let end = Math.min(this.#typed.length, MAX_CHARACTERS_PER_WRITE);
      if (end < this.#typed.length && /[\uD800-\uDBFF]/.test(this.#typed.charAt(end - 1))) end -= 1;
      const data = this.#typed.slice(0, end);
      this.#typed = this.#typed.slice(end);
      await this.send(data);
    }
    this.#sending = false;
  }
}
