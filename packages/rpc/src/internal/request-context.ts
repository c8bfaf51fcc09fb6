import type { Transport } from '@lifeline/transport';
import type { HandlerContext } from '../peer.js';
import { progressMethod, type RequestId } from './messages.js';

/** Where a request's progress notifications go. */
export interface ProgressSink {
  notify(method: string, params: unknown): boolean;
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
  #controller: AbortController | undefined;
  #progress: ((value: unknown) => void) | undefined;

  constructor(id: RequestId | null, transport: Transport, sink: ProgressSink) {
    this.id = id;
    this.transport = transport;
    this.#sink = sink;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  // A getter returning one bound function, so `const { progress } = context` keeps working.
  get progress(): (value: unknown) => void {
    this.#progress ??= (value: unknown) => {
      if (this.id !== null) this.#sink.notify(progressMethod, { id: this.id, value });
    };
    return this.#progress;
  }

  /** Aborts the handler's signal (cancelled by the caller, or the peer went away). */
  static abort(context: RequestContext, reason: unknown): void {
    context.#controller ??= new AbortController();
    context.#controller.abort(reason);
  }

  /** Why the request was aborted, or `undefined` while it was not. */
  static abortReason(context: RequestContext): unknown {
    const signal = context.#controller?.signal;
    return signal?.aborted === true ? (signal.reason as unknown) : undefined;
  }
}
