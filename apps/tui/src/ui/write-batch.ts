/**
 * Writes to a terminal made in one piece of the app's work, sent to it together as that work ends
 * (in a microtask queued at the first), in one write: the renderer draws its frame, then the text
 * waiting for that frame is printed above it (the renderer erases the frame, writes the text, and
 * draws the frame again), in writes between which the app does its work. A terminal that changes
 * its size between two of them (tmux, as a window is resized) would wrap again a screen the TUI
 * never meant to show (the frame without the text above it, whose rows it then pushes into its
 * scrollback before that text). Every write to the stream in the meantime waits as well, in order,
 * whoever makes it; nothing waits past the microtasks, so the TUI hears of a new size only once
 * the terminal has what it wrote before.
 */
export class WriteBatch {
  readonly #stream: Pick<NodeJS.WriteStream, 'cork' | 'uncork'>;
  readonly #schedule: (send: () => void) => void;
  #open = false;

  /** @param schedule runs `send` once the work under way ends (`queueMicrotask`) */
  constructor(
    stream: Pick<NodeJS.WriteStream, 'cork' | 'uncork'>,
    schedule: (send: () => void) => void = queueMicrotask,
  ) {
    this.#stream = stream;
    this.#schedule = schedule;
  }

  /** Before a write: it, and every write to the stream after it, waits for the work under way to end. */
  open(): void {
    if (this.#open) return;
    this.#open = true;
    this.#stream.cork();
    this.#schedule(() => {
      this.send();
    });
  }

  /** Sends what waits now (the terminal is being restored, the process may exit right after). */
  send(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#stream.uncork();
  }
}
