import type { ShellKind } from '@lifeline/run-completion';

/** The interrupt key: Ctrl+C. */
export const INTERRUPT_KEY = '\x03';
/** Typed text that is nothing but Ctrl+C, once or more. */
const ONLY_INTERRUPT_KEYS = /^\x03+$/;

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

/**
 * Whether to type the key after an interrupt (`RunCoordinator.keyAfterInterrupt()`) right after
 * `typed`, which ends with Ctrl+C at the prompt of a shell of `kind`. A shell busy when the
 * interrupt comes (still drawing a long line) acts on it only once a key arrives. bash waiting for
 * a key acts on it at once, unless a key comes with it: bash then reads that key first, and the
 * redraw its binding makes clears only the first row of the line it is about to throw away,
 * leaving the others under its new prompt (in the terminal, and in the next command's output as
 * the screen shows it). zsh waiting for a key leaves its line editor to handle the interrupt, and
 * a key that comes before it is back is echoed by the terminal (`^[[9;6~` under the new prompt).
 * So bash and zsh get the key only when `waitedForKey` says they were busy as the Ctrl+C came, or
 * when keys typed before the Ctrl+C may have woken them.
 *
 * @param waitedForKey whether the shell was blocked waiting for a key before `typed` was written
 */
export function typesKeyAfterInterrupt(
  kind: ShellKind,
  typed: string,
  waitedForKey: () => boolean,
): boolean {
  if (kind !== 'bash' && kind !== 'zsh') return true;
  return !(ONLY_INTERRUPT_KEYS.test(typed) && waitedForKey());
}

/** Typed text cut after its last Ctrl+C: what goes to the shell now, and what waits. */
export function cutAfterInterrupt(data: string): { now: string; after: string } | undefined {
  const at = data.lastIndexOf(INTERRUPT_KEY);
  if (at === -1) return undefined;
  return { now: data.slice(0, at + 1), after: data.slice(at + 1) };
}

/**
 * Keys typed right after Ctrl+C at a bash or zsh prompt, held until the shell's line editor has
 * the terminal at its next prompt (at
 * most {@link INTERRUPT_HOLD_MS}). Keys that reach the line editor while the shell still handles
 * the interrupt go into the line it then clears: a line typed, pasted or sent by a program right
 * after Ctrl+C was lost, Enter and all (a few times in a hundred on a loaded machine).
 */
export class InterruptHold<Typed> {
  readonly #release: (held: Typed[]) => void;
  #held: Typed[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onLimit: (() => void) | undefined;

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
   *
   * @param onLimit runs when `limitMs` passed with no prompt, before what was held is typed
   */
  start(limitMs: number, onLimit?: () => void): void {
    this.#held ??= [];
    this.#onLimit = onLimit;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const atLimit = this.#onLimit;
      this.#onLimit = undefined;
      atLimit?.();
      this.release();
    }, limitMs);
  }

  /** Keeps typed keys, after those kept before them. */
  hold(typed: Typed): void {
    if (this.#held === undefined) throw new Error('nothing is held: type it instead');
    this.#held.push(typed);
  }

  /** The shell's line editor reads at a new prompt (or the hold timed out): what was held is typed, in order. */
  release(): void {
    const held = this.#held;
    this.stop();
    if (held !== undefined && held.length > 0) this.#release(held);
  }

  /** Drops what is held (the shell exited). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#onLimit = undefined;
    this.#held = undefined;
  }
}
