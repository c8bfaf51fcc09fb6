import type { InputEvent } from './keypress.js';

/** Most characters held while a session is being attached; more is refused, in words. */
export const MAX_HELD_CHARACTERS = 64 * 1024;

/** One key or paste held, and whether it was the Lifeline key pressed twice (taken literally). */
export interface HeldEvent {
  event: InputEvent;
  literal: boolean;
}

/**
 * What is typed while the session is being attached (its history not all shown yet), kept in order
 * until it is known where it goes, up to {@link MAX_HELD_CHARACTERS}.
 */
export class HeldInput {
  #events: HeldEvent[] = [];
  #characters = 0;

  constructor(private readonly maxCharacters = MAX_HELD_CHARACTERS) {}

  /** Whether anything is held. */
  get holding(): boolean {
    return this.#events.length > 0;
  }

  /**
   * Holds `held` after everything held before it.
   * @returns false, holding nothing of it, when it would take more than the most held
   */
  hold(held: HeldEvent): boolean {
    const size = held.event.kind === 'paste' ? held.event.text.length : 1;
    if (this.#characters + size > this.maxCharacters) return false;
    this.#characters += size;
    this.#events.push(held);
    return true;
  }

  /** Everything held, in order; nothing is held afterwards. */
  take(): HeldEvent[] {
    const events = this.#events;
    this.#events = [];
    this.#characters = 0;
    return events;
  }
}
