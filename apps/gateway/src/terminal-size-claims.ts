/** A terminal size in cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * The sizes the clients of a session asked for, the latest one winning, as tmux sizes a window
 * shared by several clients: when the client whose size the terminal has leaves, the terminal
 * takes the size of the one that asked last among those still there (and keeps its size when
 * none is left).
 */
export class TerminalSizeClaims<Client> {
  /** In the order they were asked for, the latest last. */
  readonly #claims = new Map<Client, TerminalSize>();

  /** `client` asks for `size`: the terminal's size from now on. */
  claim(client: Client, size: TerminalSize): void {
    this.#claims.delete(client);
    this.#claims.set(client, size);
  }

  /**
   * `client` is gone.
   * @returns the size the terminal takes now: the latest claim left, when the client that left
   *   held the terminal's size; undefined when nothing changes
   */
  release(client: Client): TerminalSize | undefined {
    const before = this.latest;
    if (!this.#claims.delete(client)) return undefined;
    const after = this.latest;
    return after === before ? undefined : after;
  }

  /** The size the latest claim left asks for; undefined when no client asks for one. */
  get latest(): TerminalSize | undefined {
    let latest: TerminalSize | undefined;
    for (const size of this.#claims.values()) latest = size;
    return latest;
  }

  /** True when no client asks for a size. */
  get isEmpty(): boolean {
    return this.#claims.size === 0;
  }
}
