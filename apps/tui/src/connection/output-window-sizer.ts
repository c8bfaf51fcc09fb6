/**
 * The output window until output is seen to be applied faster: a key typed into a flood is
 * echoed behind at most about this much output, wherever it waits (the gateway, the socket, here).
 */
export const MIN_OUTPUT_WINDOW = 64 * 1024;
/** The largest output window asked for: output in flight and queued is held in memory. */
export const MAX_OUTPUT_WINDOW = 1024 * 1024;
/**
 * How long the output in flight may take to apply: the window is as much output as is applied in
 * this time, so that a key's echo waits about as long behind plain lines (applied fast, a large
 * window) as behind output that redraws the screen (applied slowly, a small one).
 */
export const APPLY_BUDGET_MS = 15;
/** Time spent applying output over which one rate is measured. */
const MEASURE_MS = 20;

/**
 * Sizes the output window (`session.attach {outputWindow}`, `session.consumed {outputWindow}`)
 * from how fast output is applied. A window that keeps a fast client waiting makes the gateway
 * pause the program's terminal, and the program with it, many times a second; one too large for
 * a slow client leaves a typed key's echo far behind. It grows halfway towards each measure and
 * shrinks to it at once: output that gets slower to apply does not wait behind a large window.
 */
export class OutputWindowSizer {
  #window = MIN_OUTPUT_WINDOW;
  #chars = 0;
  #ms = 0;

  /** The window now, in characters. */
  get window(): number {
    return this.#window;
  }

  /** `chars` characters of output (as the window counts them) were applied in `ms` milliseconds. */
  applied(chars: number, ms: number): void {
    this.#chars += chars;
    this.#ms += ms;
    if (this.#ms < MEASURE_MS) return;
    const measured = Math.min(
      MAX_OUTPUT_WINDOW,
      Math.max(MIN_OUTPUT_WINDOW, Math.round((this.#chars / this.#ms) * APPLY_BUDGET_MS)),
    );
    this.#window = measured <= this.#window ? measured : Math.round((this.#window + measured) / 2);
    this.#chars = 0;
    this.#ms = 0;
  }
}
