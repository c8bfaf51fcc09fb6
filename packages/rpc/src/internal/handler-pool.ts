import { runWithTransport, type Transport } from '@lifeline/transport';
import type { Schema } from '../contract.js';
import type { PeerExitedError } from '../errors.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import type { RequestHandler } from '../peer.js';
import { describeValue } from './describe-value.js';
import type { Dialect, OutboundNotification } from './dialects.js';
import { errorResponse, type ErrorObject, type RequestId } from './messages.js';
import { RequestContext } from './request-context.js';
import { checkAgainst, describeIssues } from './schema-check.js';

/** What {@link HandlerPool} needs from its peer. */
export interface HandlerPoolOptions {
  readonly transport: Transport;
  readonly dialect: Dialect;
  /** Most handlers running at once; further requests wait their turn. */
  readonly maxConcurrentHandlers: number;
  /** Whether handlers run with `currentTransport()` bound to {@link transport}. */
  readonly bindCurrentTransport: boolean;
  /** Sends a handler's progress notification; throws a `TypeError` for a value JSON cannot carry. */
  notify(notification: OutboundNotification): void;
  /** Settles once the peer answered a `ping` (or could not): see {@link Dialect.pingsBeforeAnsweringProgress}. */
  pingPeer(): Promise<unknown>;
  readonly onHandlerError: ((error: unknown, method: string) => void) | undefined;
}

interface RegisteredHandler {
  handler: RequestHandler;
  params: Schema | undefined;
}

const pingMethod = 'ping';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The requests a peer serves: the handler of each method, the cap on handlers running at once and
 * the queue behind it, and the cancellation of running or waiting handlers. Answers go to the
 * `respond` function each request came with (one response, or one slot of a batch).
 */
export class HandlerPool {
  readonly #options: HandlerPoolOptions;
  readonly #handlers = new Map<string, RegisteredHandler>();
  /** Requests whose handler runs asynchronously or waits for a slot, by id: what a cancellation reaches. */
  readonly #running = new Map<RequestId, RequestContext>();
  readonly #waiting: (() => void)[] = [];
  #active = 0;
  #startingWaiting = false;
  #closed = false;
  /** Who waits for no handler to run or wait (see {@link whenIdle}). */
  #idleWaiters: (() => void)[] = [];
  /** Answers held until the peer answers a `ping` (see {@link Dialect.pingsBeforeAnsweringProgress}). */
  #answersAfterPing = 0;

  constructor(options: HandlerPoolOptions) {
    this.#options = options;
  }

  /** Handlers running now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a handler slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Settles once no handler runs or waits for a slot, and no answer waits for a `ping` to be
   * answered first (at once when none does).
   */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#waiting.length === 0 && this.#answersAfterPing === 0;
  }

  /**
   * Serves `method`.
   * @throws TypeError when the method already has a handler, or is reserved (`rpc.*`), or
   *   `handler` is not a function
   */
  setHandler(method: string, handler: RequestHandler, paramsSchema: Schema | undefined): void {
    if (typeof handler !== 'function') {
      throw new TypeError(
        `the handler of "${method}" must be a function, got ${describeValue(handler)}`,
      );
    }
    if (method.startsWith('rpc.')) {
      throw new TypeError(
        `method name "${method}" is reserved: JSON-RPC 2.0 keeps rpc.* for the protocol itself; rename it`,
      );
    }
    if (this.#handlers.has(method)) {
      throw new TypeError(`"${method}" already has a handler; a method is served by exactly one`);
    }
    this.#handlers.set(method, { handler, params: paramsSchema });
  }

  /** Runs (or queues) the handler of one request; its answer goes to `respond`, exactly once. */
  handle(
    id: RequestId | null,
    method: string,
    params: unknown,
    respond: (response: object) => void,
  ): void {
    const registered = this.#handlers.get(method);
    if (!registered) {
      if (method === pingMethod) {
        respond({ jsonrpc: '2.0', id, result: {} });
        return;
      }
      respond(
        errorResponse(id, {
          code: RpcErrorCode.MethodNotFound,
          message: `Method not found: "${method}"`,
        }),
      );
      return;
    }
    let value = params;
    if (registered.params) {
      const checked = checkAgainst(registered.params, params);
      if (!checked.ok) {
        respond(
          errorResponse(id, {
            code: RpcErrorCode.InvalidParams,
            message: `Invalid params for "${method}": ${describeIssues(checked.issues, '(params)')}`,
            data: {
              issues: checked.issues.map((issue) => ({
                path: issue.path.map(String),
                message: issue.message,
                code: issue.code,
              })),
            },
          }),
        );
        return;
      }
      value = checked.value;
    }
    const context = new RequestContext(id, this.#options.transport, params, this.#options);
    if (this.#active < this.#options.maxConcurrentHandlers) {
      this.#run(context, method, registered.handler, value, respond);
      return;
    }
    // Waiting its turn, it can be cancelled (or the peer can go) like a running one.
    if (id !== null) this.#running.set(id, context);
    this.#waiting.push(() => {
      if (id !== null && this.#running.get(id) === context) this.#running.delete(id);
      const abortedBy = RequestContext.abortReason(context);
      if (abortedBy === undefined) {
        this.#run(context, method, registered.handler, value, respond);
      } else {
        // Cancelled before it started: answered as a handler that saw the cancellation would be.
        this.#answer(context, method, respond, true, abortedBy);
      }
    });
  }

  /** The caller cancelled request `id`: its handler's signal aborts (nothing happens when it is not running). */
  cancel(id: RequestId): void {
    const running = this.#running.get(id);
    if (!running) return;
    RequestContext.abort(
      running,
      new RpcError(RpcErrorCode.Cancelled, 'the caller cancelled the request'),
      true,
    );
  }

  /** The peer is gone: running handlers are aborted with `gone`, waiting ones never start. */
  closeAll(gone: PeerExitedError): void {
    this.#closed = true;
    for (const running of this.#running.values()) RequestContext.abort(running, gone);
    this.#waiting.length = 0;
  }

  #run(
    context: RequestContext,
    method: string,
    handler: RequestHandler,
    params: unknown,
    respond: (response: object) => void,
  ): void {
    const id = context.id;
    this.#active += 1;
    let result: unknown;
    try {
      result = this.#options.bindCurrentTransport
        ? runWithTransport(this.#options.transport, () => handler(params, context))
        : handler(params, context);
    } catch (error) {
      this.#answer(context, method, respond, true, error);
      this.#finished();
      return;
    }
    // A plain value is answered at once: no promise, no microtask, nothing to cancel.
    if (!isThenable(result)) {
      this.#answer(context, method, respond, false, result);
      this.#finished();
      return;
    }
    if (id !== null) this.#running.set(id, context);
    const finish = () => {
      if (id !== null && this.#running.get(id) === context) this.#running.delete(id);
      this.#finished();
    };
    Promise.resolve(result).then(
      (value: unknown) => {
        this.#answer(context, method, respond, false, value);
        finish();
      },
      (error: unknown) => {
        this.#answer(context, method, respond, true, error);
        finish();
      },
    );
  }

  /** Sends a handler's result, or (`failed`) the error it threw. Never throws. */
  #answer(
    context: RequestContext,
    method: string,
    respond: (response: object) => void,
    failed: boolean,
    outcome: unknown,
  ): void {
    // MCP: a request the caller cancelled is not answered at all.
    const dialect = this.#options.dialect;
    if (!dialect.answersCancelledRequests && RequestContext.cancelledByPeer(context)) return;
    if (dialect.pingsBeforeAnsweringProgress && RequestContext.reportedProgress(context)) {
      this.#answersAfterPing += 1;
      const answerNow = () => {
        this.#answerNow(context.id, method, respond, failed, outcome);
        this.#answersAfterPing -= 1;
        this.#settleIdle();
      };
      void this.#options.pingPeer().then(answerNow, answerNow);
      return;
    }
    this.#answerNow(context.id, method, respond, failed, outcome);
  }

  #answerNow(
    id: RequestId | null,
    method: string,
    respond: (response: object) => void,
    failed: boolean,
    outcome: unknown,
  ): void {
    try {
      if (failed) respond(errorResponse(id, this.#describeHandlerError(outcome, method)));
      else respond({ jsonrpc: '2.0', id, result: outcome === undefined ? null : outcome });
    } catch (failure) {
      // The answer itself could not be serialised: say so instead of leaving the caller waiting.
      this.#options.onHandlerError?.(failure, method);
      try {
        respond(
          errorResponse(id, {
            code: RpcErrorCode.InternalError,
            message: `Internal error: the result of "${method}" could not be serialised`,
          }),
        );
      } catch (secondFailure) {
        // Even a plain error answer cannot be written: the transport is failing and will close.
        this.#options.onHandlerError?.(secondFailure, method);
      }
    }
  }

  /** One handler is done: start queued ones while the cap allows (a loop, so a long queue cannot overflow the stack). */
  #finished(): void {
    this.#active -= 1;
    if (this.#startingWaiting) return;
    if (!this.#closed) {
      this.#startingWaiting = true;
      try {
        while (this.#active < this.#options.maxConcurrentHandlers) {
          const next = this.#waiting.shift();
          if (!next) break;
          next();
        }
      } finally {
        this.#startingWaiting = false;
      }
    }
    this.#settleIdle();
  }

  /** Lets those waiting for {@link whenIdle} go, once it is. */
  #settleIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #describeHandlerError(error: unknown, method: string): ErrorObject {
    if (RpcError.isInstance(error)) {
      return error.data === undefined
        ? { code: error.code, message: error.message }
        : { code: error.code, message: error.message, data: error.data };
    }
    this.#options.onHandlerError?.(error, method);
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: RpcErrorCode.InternalError,
      message: `Internal error in "${method}": ${message}`,
    };
  }
}
