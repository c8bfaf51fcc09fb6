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
 * Events with less output than this are not measured: their cost is mostly what any event costs,
 * which says nothing of how fast a flood (written in events of up to 64 Ki) is applied; the
 * window a flood measured stays until the next one.
 */
export const MEASURED_EVENT_CHARS = 4 * 1024;

/**
 * Sizes the output window (`session.attach {outputWindow}`, `session.consumed {outputWindow}`)
 * from how fast output is applied. A window that keeps a fast client waiting makes the gateway
 * pause the program's terminal, and the program with it, many times a second; one too large for
 * a slow client leaves a typed key's echo far behind. Each measure sets it: output that gets
 * slower to apply does not wait behind a large window, and a flood has its window after 20 ms.
 */
export class OutputWindowSizer {
  #window = MIN_OUTPUT_WINDOW;
  #chars = 0;
  #ms = 0;

  /** The window now, in characters. */
  get window(): number {
    return this.#window;
  }

  /**
   * An event of `chars` characters of output (as the window counts them) was applied in `ms`
   * milliseconds.
   */
  applied(chars: number, ms: number): void {
    if (chars < MEASURED_EVENT_CHARS) return;
    this.#chars += chars;
    this.#ms += ms;
    if (this.#ms < MEASURE_MS) return;
    const measured = Math.min(
      MAX_OUTPUT_WINDOW,
      Math.max(MIN_OUTPUT_WINDOW, Math.round((this.#chars / this.#ms) * APPLY_BUDGET_MS)),
    );
    this.#window = measured;
    this.#chars = 0;
    this.#ms = 0;
  }
}
