import type { ShellKind } from '@lifeline/run-completion';

/** The interrupt key: Ctrl+C. */
const INTERRUPT_KEY = '\x03';

/**
 * Longest hold after Ctrl+C at a bash or zsh prompt. They draw a new prompt once they handle the
 * SIGINT, which may take a few hundred milliseconds on a busy machine (keys let go earlier went
 * into the line they then threw away); the limit is for one that traps or ignores the signal.
 */
export const INTERRUPT_HOLD_MS = 1500;

/**
 * Whether Ctrl+C at a shell's prompt clears the line some time after the key arrives, taking keys
 * typed meanwhile with it: bash and zsh throw the line away once they handle the SIGINT the
 * terminal makes of the key. (fish gets a key of its own for Ctrl+C at its prompt, which it reads
 * in order with the keys after it: see `promptInterruptKey`.)
 */
export function interruptClearsLineLate(kind: ShellKind): boolean {
  return kind === 'bash' || kind === 'zsh';
}

/** Typed text cut after its last Ctrl+C: what goes to the shell now, and what waits. */
export function cutAfterInterrupt(data: string): { now: string; after: string } | undefined {
  const at = data.lastIndexOf(INTERRUPT_KEY);
  if (at === -1) return undefined;
  return { now: data.slice(0, at + 1), after: data.slice(at + 1) };
}

/**
 * Keys typed right after Ctrl+C at a bash or zsh prompt, held until the shell's next prompt (at
 * most {@link INTERRUPT_HOLD_MS}). Keys that reach the line editor while the shell still handles
 * the interrupt go into the line it then clears: a line typed, pasted or sent by a program right
 * after Ctrl+C was lost, Enter and all (a few times in a hundred on a loaded machine).
 */
export class InterruptHold<Typed> {
  readonly #release: (held: Typed[]) => void;
  #held: Typed[] | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** @param release types what was held, in order, once the hold ends */
  constructor(release: (held: Typed[]) => void) {
    this.#release = release;
  }

  /** Whether keys typed now wait. */
  get holding(): boolean {
    return this.#held !== undefined;
  }

  /**
   * Ctrl+C reached the shell at its prompt: what is typed from now on waits for its next one, or
   * `limitMs` at most.
   */
  start(limitMs: number): void {
    this.#held ??= [];
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.release();
    }, limitMs);
  }

  /** Keeps typed keys, after those kept before them. */
  hold(typed: Typed): void {
    if (this.#held === undefined) throw new Error('nothing is held: type it instead');
    this.#held.push(typed);
  }

  /** The shell shows a prompt (or the hold timed out): what was held is typed, in order. */
  release(): void {
    const held = this.#held;
    this.stop();
    if (held !== undefined && held.length > 0) this.#release(held);
  }

  /** Drops what is held (the shell exited). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held = undefined;
  }
}
