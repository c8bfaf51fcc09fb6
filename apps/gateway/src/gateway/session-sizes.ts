import { TerminalSizeClaims, type TerminalSize } from '../terminal-size-claims.js';

/**
 * The terminal sizes a gateway's clients asked of each session: several clients of one gateway
 * (WebSocket) reach a host over one connection, so the gateway, not the host, knows which of them
 * held a session's size when one leaves.
 */
export class SessionSizes {
  readonly #bySession = new Map<string, TerminalSizeClaims<object>>();

  /** `client` asks for `size` in session `sid`. */
  claim(sid: string, client: object, size: TerminalSize): void {
    let claims = this.#bySession.get(sid);
    if (claims === undefined) {
      claims = new TerminalSizeClaims();
      this.#bySession.set(sid, claims);
    }
    claims.claim(client, size);
  }

  /** The size this gateway's clients asked of session `sid` last, if one of them is still there. */
  latest(sid: string): TerminalSize | undefined {
    return this.#bySession.get(sid)?.latest;
  }

  /**
   * `client` left session `sid`.
   * @returns the size the session's terminal takes now (see {@link TerminalSizeClaims.release})
   */
  release(sid: string, client: object): TerminalSize | undefined {
    const claims = this.#bySession.get(sid);
    if (claims === undefined) return undefined;
    const size = claims.release(client);
    if (claims.isEmpty) this.#bySession.delete(sid);
    return size;
  }
}
