import type { Transport } from '@lifeline/transport';
import type { HandlerContext } from '../peer.js';
import { progressReporter, type Dialect, type OutboundNotification } from './dialects.js';
import type { RequestId } from './messages.js';

/** Where a request's progress notifications go, and in which dialect. */
export interface ProgressSink {
  readonly dialect: Dialect;
  notify(notification: OutboundNotification): void;
}

/**
 * What a handler receives besides its params, and the server-side state of that request. One
 * object per request: the abort controller and the `progress` function are only created when a
 * handler asks for them, which most never do.
 */
export class RequestContext implements HandlerContext {
  readonly id: RequestId | null;
  readonly transport: Transport;
  readonly #sink: ProgressSink;
  /** The params as they arrived, read for a progress token only when the handler reports progress. */
  readonly #params: unknown;
  #controller: AbortController | undefined;
  #progress: ((value: unknown) => void) | undefined;
  #cancelledByPeer = false;
  #reportedProgress = false;

  constructor(id: RequestId | null, transport: Transport, params: unknown, sink: ProgressSink) {
    this.id = id;
    this.transport = transport;
    this.#params = params;
    this.#sink = sink;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  // A getter returning one bound function, so `const { progress } = context` keeps working.
  get progress(): (value: unknown) => void {
    if (this.#progress === undefined) {
      const sink = this.#sink;
      const report = progressReporter(sink.dialect, this.id, this.#params);
      // A caller that asked for no progress gets none: there is no token to send it by.
      this.#progress =
        report === undefined
          ? () => undefined
          : (value: unknown) => {
              this.#reportedProgress = true;
              sink.notify(report(value));
            };
    }
    return this.#progress;
  }

  /** Aborts the handler's signal: `byPeer` when the caller cancelled, otherwise the peer went away. */
  static abort(context: RequestContext, reason: unknown, byPeer = false): void {
    context.#controller ??= new AbortController();
    context.#cancelledByPeer ||= byPeer;
    context.#controller.abort(reason);
  }

  /** Why the request was aborted, or `undefined` while it was not. */
  static abortReason(context: RequestContext): unknown {
    const signal = context.#controller?.signal;
    return signal?.aborted === true ? (signal.reason as unknown) : undefined;
  }

  /** True once the handler sent progress. */
  static reportedProgress(context: RequestContext): boolean {
    return context.#reportedProgress;
  }

  /** True once the caller cancelled the request. */
  static cancelledByPeer(context: RequestContext): boolean {
    return context.#cancelledByPeer;
  }
}
