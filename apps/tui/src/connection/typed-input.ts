/** Most characters sent in one write: well under the gateway's input limit. */
const MAX_CHARACTERS_PER_WRITE = 128 * 1024;
/**
 * Most writes on their way at once. Each key is written as it is typed, without waiting for the
 * answer to the one before (which, during a flood, comes behind the output already on its way);
 * past this many, what is typed goes in the next write, as one piece.
 */
const MAX_WRITES_ON_THEIR_WAY = 8;

/**
 * What is typed into the session, sent in order, each character once: written at once, a few
 * writes on their way at the same time (one connection keeps them in order), and what is typed
 * while as many are on their way goes in the next one, as one piece (a line editor reads it as
 * fast typing).
 */
export class TypedInput {
  /** Keys and pastes typed and not sent yet, in order. */
  #typed = '';
  #onTheirWay = 0;

  /** @param send writes one piece to the session's terminal (it reports its own failures) */
  constructor(private readonly send: (data: string) => Promise<unknown>) {}

  /** Types `data` after everything typed before it. */
  type(data: string): void {
    this.#typed += data;
    this.#sendTyped();
  }

  #sendTyped(): void {
    while (this.#typed !== '' && this.#onTheirWay < MAX_WRITES_ON_THEIR_WAY) {
      // Stay well under the gateway's input limit, without cutting a character in two.
      let end = Math.min(this.#typed.length, MAX_CHARACTERS_PER_WRITE);
      if (end < this.#typed.length && /[\uD800-\uDBFF]/.test(this.#typed.charAt(end - 1))) end -= 1;
      const data = this.#typed.slice(0, end);
      this.#typed = this.#typed.slice(end);
      this.#onTheirWay += 1;
      void this.send(data).finally(() => {
        this.#onTheirWay -= 1;
        this.#sendTyped();
      });
    }
  }
}
