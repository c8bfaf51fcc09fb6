import type { SessionEvent, SessionSummary } from '@lifeline/protocol';
import type { GatewayLink } from '../connection/gateway-link.js';
import { messageOf, type CliContext } from '../commands/internal/local-gateway.js';

/** Receives the events of one session, in seq order, possibly more than once (dedupe by seq). */
export interface SessionEventListener {
  /** Seq of the last event this listener has applied: a (re-)attach replays what follows it. */
  lastSeq(): number;
  /** One event of the session. */
  event(event: SessionEvent): void;
  /** The session's events cannot be delivered any more (its log is unreadable, or no gateway starts). */
  failed(message: string): void;
}

/** Opens a gateway; `openLocalGateway` in the product, for every link this holder needs. */
export type GatewayOpener = (context: CliContext) => Promise<GatewayLink>;

/** Options of {@link SharedGateway}. */
export interface SharedGatewayOptions {
  context: CliContext;
  open: GatewayOpener;
  /** Gateways started one after another without a call succeeding in between, before giving up. @default 3 */
  maxRestarts?: number;
}

/**
 * One gateway for a long-lived client with many concurrent calls: started on first use, started
 * again (once, for every caller) after it dies, and the sessions being followed attached again
 * from the oldest event any of their listeners still needs, so no one misses an event.
 * A gateway serves one attachment per session and client, so listeners of one session share it.
 */
export class SharedGateway {
  readonly #options: SharedGatewayOptions;
  #link: Promise<GatewayLink> | undefined;
  #restarts = 0;
  #closed = false;
  readonly #listeners = new Map<string, Set<SessionEventListener>>();

  constructor(options: SharedGatewayOptions) {
    this.#options = options;
  }

  /** The gateway in use, started (again) when there is none. */
  link(): Promise<GatewayLink> {
    if (this.#closed) return Promise.reject(new Error('the MCP server is shutting down'));
    this.#link ??= this.#start();
    return this.#link;
  }

  /** Runs `call` against the gateway in use (started when there is none). */
  async call<T>(call: (link: GatewayLink) => Promise<T>): Promise<T> {
    const link = await this.link();
    const result = await call(link);
    this.#restarts = 0;
    return result;
  }

  /**
   * Streams a session's events to `listener` until `stop` is called: from the event after
   * `listener.lastSeq()` on, and again from there after every gateway restart. `attached`
   * resolves with the session as its host describes it once the first attach is answered (and
   * rejects when it fails, as `listener.failed` is told).
   */
  follow(
    sid: string,
    listener: SessionEventListener,
  ): { stop: () => void; attached: Promise<{ session: SessionSummary; lastSeq: number }> } {
    let listeners = this.#listeners.get(sid);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(sid, listeners);
    }
    listeners.add(listener);
    const attached = this.#attach(sid);
    attached.catch(() => undefined);
    const stop = () => {
      const current = this.#listeners.get(sid);
      if (!current?.delete(listener) || current.size > 0) return;
      this.#listeners.delete(sid);
      void this.#link?.then(
        (link) =>
          link.client.call('session.detach', { sid }).catch(() => {
            // The gateway went away meanwhile: nothing is attached any more.
          }),
        () => undefined,
      );
    };
    return { stop, attached };
  }

  /** Asks a listener's session to be streamed again from what it last applied (after a gap). */
  resync(sid: string): void {
    this.#attach(sid).catch(() => undefined);
  }

  /** Ends the gateway politely (its sessions keep running). */
  close(): void {
    this.#closed = true;
    void this.#link?.then(
      (link) => link.close(),
      () => undefined,
    );
  }

  async #start(): Promise<GatewayLink> {
    const { context } = this.#options;
    const link = await this.#options.open(context).catch((error: unknown) => {
      this.#link = undefined;
      throw error;
    });
    link.client.on('session.event', ({ sid, ...event }) => {
      for (const listener of this.#listeners.get(sid) ?? []) listener.event(event);
    });
    link.client.on('session.unreadable', ({ sid, message }) => {
      for (const listener of this.#listeners.get(sid) ?? []) listener.failed(message);
    });
    void link.closed.then((info) => {
      if (this.#closed) return;
      this.#link = undefined;
      if (this.#listeners.size === 0) return;
      const maxRestarts = this.#options.maxRestarts ?? 3;
      if (this.#restarts >= maxRestarts) {
        const exits = this.#restarts + 1;
        this.#failAll(
          `the gateway exited ${exits === 1 ? 'once' : `${exits} times in a row`} (last: ${info.reason}); the commands go on in their sessions, and \`lifeline logs\` shows why`,
        );
        return;
      }
      this.#restarts += 1;
      context.breadcrumb('mcp.gateway_restart', { attempt: this.#restarts, reason: info.reason });
      for (const sid of this.#listeners.keys()) this.#attach(sid).catch(() => undefined);
    });
    return link;
  }

  async #attach(sid: string): Promise<{ session: SessionSummary; lastSeq: number }> {
    let link: GatewayLink;
    try {
      link = await this.link();
    } catch (error) {
      const message = `could not start the gateway: ${messageOf(error)}`;
      this.#failAll(message);
      throw new Error(message, { cause: error });
    }
    const listeners = [...(this.#listeners.get(sid) ?? [])];
    if (listeners.length === 0) throw new Error(`session ${sid} is no longer followed`);
    const afterSeq = Math.min(...listeners.map((listener) => listener.lastSeq()));
    try {
      const attached = await link.client.call('session.attach', { sid, afterSeq });
      this.#restarts = 0;
      return attached;
    } catch (error) {
      // A gateway that died meanwhile attaches again once the next one is up.
      if (!link.client.peer.isClosed)
        for (const listener of this.#listeners.get(sid) ?? [])
          listener.failed(`attaching to session ${sid} failed: ${messageOf(error)}`);
      throw error;
    }
  }

  #failAll(message: string): void {
    for (const listeners of this.#listeners.values())
      for (const listener of listeners) listener.failed(message);
  }
}
