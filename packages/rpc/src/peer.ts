import type { CloseInfo, MalformedFrame, Transport } from '@lifeline/transport';
import type { Schema } from './contract.js';
import { cancelledError, PeerExitedError, RpcErrorCode } from './errors.js';
import { dispatchBatch } from './internal/batch.js';
import { describeValue } from './internal/describe-value.js';
import {
  cancelledRequest,
  dialects,
  inboundProgress,
  type DialectName,
} from './internal/dialects.js';
import { HandlerPool } from './internal/handler-pool.js';
import { classifyMessage, errorResponse, type RequestId } from './internal/messages.js';
import {
  checkCallback,
  checkChoice,
  checkFlag,
  checkLimit,
  checkTimeout,
  checkTransport,
} from './internal/option-checks.js';
import { OutgoingCalls } from './internal/outgoing-calls.js';
import { checkAgainst, describeIssues } from './internal/schema-check.js';
import { StreamState, type OverflowPolicy, type RpcStream } from './rpc-stream.js';

export type { DialectName } from './internal/dialects.js';

/**
 * How long the answer to a request that reported progress waits for the peer to answer its `ping`
 * (MCP; see the dialect's `pingsBeforeAnsweringProgress`): a client that never answers one still
 * gets its answer, this much later.
 */
const PROGRESS_PING_WAIT_MS = 500;

const dialectNames = Object.keys(dialects) as DialectName[];
const overflowPolicies: readonly OverflowPolicy[] = ['error', 'drop-oldest', 'drop-newest'];

/** Which way a traced frame went. */
export type TraceDirection = 'in' | 'out';

/** Options of {@link createPeer}. */
export interface PeerOptions {
  /**
   * The conventions of the peer on the other side, beyond JSON-RPC 2.0: how cancellation is sent
   * and how progress is correlated. `lifeline` (`$/cancel {id}`, `$/progress {id, value}`), `lsp`
   * (`$/cancelRequest {id}`, `$/progress {token, value}` with `workDoneToken` and
   * `partialResultToken`), or `mcp` (`notifications/cancelled {requestId, reason}`,
   * `notifications/progress {progressToken, progress, total, message}` with
   * `_meta.progressToken`). Whatever it is, cancellations and progress of every dialect are
   * understood when they arrive.
   * @default 'lifeline'
   */
  dialect?: DialectName;
  /**
   * Timeout of a call that does not give its own: a positive number of milliseconds (a number,
   * not a string), `Infinity` only if you really mean "wait forever".
   * @default 30000
   */
  defaultTimeoutMs?: number;
  /** Most handlers running at once, a positive integer; further requests wait their turn (ping and cancel never wait). @default Infinity */
  maxConcurrentHandlers?: number;
  /**
   * Whether handlers see their request's transport as `currentTransport()` (from
   * `@lifeline/transport`), also after their `await`s. That takes an `AsyncLocalStorage`, whose
   * hooks then cost the whole process a little on every callback and promise on Node 20: a peer
   * whose handlers read `context.transport` instead can turn it off.
   * @default true
   */
  bindCurrentTransport?: boolean;
  /** Sees every frame in and out, for logging and breadcrumbs. Must not throw. */
  trace?: (direction: TraceDirection, message: unknown) => void;
  /** Told about every handler failure, with the stack that never crosses the wire, and about notification listeners that throw. */
  onHandlerError?: (error: unknown, method: string) => void;
  /** Told about inbound frames that were invalid or could not be routed. */
  onProtocolError?: (problem: string) => void;
}

/** Options of one call. */
export interface CallOptions {
  /** Milliseconds to wait for the answer, a positive number (not a string); `Infinity` waits forever. @default the peer's defaultTimeoutMs (30000) */
  timeoutMs?: number;
  /**
   * Cancels the call: it rejects at once and a cancellation notification (in the peer's dialect)
   * tells the peer. An `AbortSignal` (`controller.signal`, not the controller).
   */
  signal?: AbortSignal;
}

/** Options of one streaming call. */
export interface StreamOptions extends CallOptions {
  /** Most progress values buffered while the consumer is busy, a positive integer. @default 1024 */
  bufferSize?: number;
  /** What happens when the buffer is full. @default 'error' */
  overflow?: OverflowPolicy;
}

/** What a request handler receives besides its params. */
export interface HandlerContext<Progress = unknown> {
  /** The request's id. */
  readonly id: RequestId | null;
  /** Aborted when the caller cancels the request or the peer goes away. */
  readonly signal: AbortSignal;
  /**
   * Sends one progress value to a streaming caller, in the dialect its request came in: tagged with
   * the request id (Lifeline), with its `workDoneToken`/`partialResultToken` (LSP), or with its
   * `_meta.progressToken` (MCP; pass `{ progress, total?, message? }`, or a number for `progress`).
   * Does nothing when the caller asked for no progress. Safe to take out of the context.
   */
  readonly progress: (value: Progress) => void;
  /** The transport the request came from. */
  readonly transport: Transport;
}

/** A request handler: returns (or resolves with) the result, or throws an `RpcError`. */
export type RequestHandler = (params: unknown, context: HandlerContext) => unknown;

/** Counters a peer keeps about frames it could not use. */
export interface PeerStats {
  /** Responses whose id matched no call this peer ever made. */
  unknownResponses: number;
  /** Responses for a call that had already been answered. */
  duplicateResponses: number;
  /** Responses that arrived after their call timed out or was cancelled (dropped). */
  lateResponses: number;
  /** Notifications no listener took: none was listening, or the params failed every listener's schema. */
  droppedNotifications: number;
}

/** One `onNotification` registration: each listener gets params checked against its own schema. */
interface NotificationListener {
  listener: (params: unknown) => void;
  schema: Schema | undefined;
}

/**
 * A JSON-RPC 2.0 peer over one {@link Transport}: a client and a server at once. It is the
 * transport's only reader; responses are routed to their callers by id, handlers run
 * concurrently so the reader never waits on them, and no call can hang: each has a timeout, and
 * when the transport closes every pending call rejects at once with a {@link PeerExitedError}.
 */
export class Peer {
  /** Counters of frames this peer could not use. */
  readonly stats: PeerStats = {
    unknownResponses: 0,
    duplicateResponses: 0,
    lateResponses: 0,
    droppedNotifications: 0,
  };
  /** Resolves with the transport's close info once the peer is closed. */
  readonly closed: Promise<CloseInfo>;
  readonly transport: Transport;
  readonly #trace: PeerOptions['trace'];
  readonly #onHandlerError: PeerOptions['onHandlerError'];
  readonly #onProtocolError: PeerOptions['onProtocolError'];
  readonly #calls: OutgoingCalls;
  readonly #handlers: HandlerPool;
  readonly #listeners = new Map<string, Set<NotificationListener>>();
  #closeInfo: CloseInfo | undefined;
  readonly #sendResponse = (response: object): void => {
    this.#send(response);
  };
  /** Sends a cancellation: the call it is about is settled already, so a failing write is not its concern. */
  readonly #notifyQuietly = (notification: { method: string; params: object }): void => {
    try {
      this.notify(notification.method, notification.params);
    } catch {
      // A transport that fails to write closes itself, which settles every call.
    }
  };

  constructor(transport: Transport, options: PeerOptions = {}) {
    // Every option is checked before the transport gets its reader: JavaScript callers may pass
    // anything, and a bad option would otherwise fail every later call, far from the mistake.
    checkTransport(transport);
    if (typeof options !== 'object' || (options as unknown) === null) {
      throw new TypeError(
        `createPeer's options must be an object (PeerOptions), got ${describeValue(options)}`,
      );
    }
    this.transport = transport;
    const dialect = dialects[checkChoice('dialect', options.dialect, dialectNames, 'lifeline')];
    this.#trace = checkCallback('trace', options.trace);
    this.#onHandlerError = checkCallback('onHandlerError', options.onHandlerError);
    this.#onProtocolError = checkCallback('onProtocolError', options.onProtocolError);
    this.#calls = new OutgoingCalls({
      dialect,
      defaultTimeoutMs: checkTimeout('defaultTimeoutMs', options.defaultTimeoutMs, 30_000),
      send: (message) => this.#send(message),
      notify: this.#notifyQuietly,
      onProtocolError: this.#onProtocolError,
      stats: this.stats,
    });
    this.#handlers = new HandlerPool({
      transport,
      dialect,
      maxConcurrentHandlers: checkLimit(
        'maxConcurrentHandlers',
        options.maxConcurrentHandlers,
        Number.POSITIVE_INFINITY,
        true,
      ),
      bindCurrentTransport: checkFlag('bindCurrentTransport', options.bindCurrentTransport, true),
      // Progress a handler sends: a value JSON cannot carry throws into the handler, as notify does.
      notify: (notification) => {
        this.notify(notification.method, notification.params);
      },
      pingPeer: () => this.request('ping', undefined, { timeoutMs: PROGRESS_PING_WAIT_MS }),
      onHandlerError: this.#onHandlerError,
    });
    transport.receive({
      message: (message) => {
        this.#receive(message);
      },
      malformed: (frame) => {
        this.#receiveMalformed(frame);
      },
    });
    this.closed = transport.closed.then((info) => {
      this.#shutDown(info);
      return info;
    });
  }

  /** True once the transport has closed. */
  get isClosed(): boolean {
    return this.#closeInfo !== undefined || this.transport.isClosed;
  }

  /** Number of calls waiting for an answer. */
  get pendingCalls(): number {
    return this.#calls.size;
  }

  /**
   * Settles once no request received is being handled, waits for a handler slot or has its answer
   * held behind a `ping` (MCP, after progress; at once when none is): a server whose client has
   * stopped sending answers what it took in before it closes.
   */
  whenHandlersIdle(): Promise<void> {
    return this.#handlers.whenIdle();
  }

  /**
   * Calls `method` on the peer.
   * @throws (rejects) `RpcError` with the peer's error, a timeout or a cancellation;
   *   `PeerExitedError` when the transport closes first or is already closed; `TypeError`, before
   *   anything is sent, when `timeoutMs` is not a positive number of milliseconds or Infinity, or
   *   `signal` is not an `AbortSignal`
   */
  request(method: string, params?: unknown, options?: CallOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#calls.start(method, params, options, resolve, reject, undefined);
    });
  }

  /**
   * Calls a streaming `method`: the handler's progress values arrive through the returned
   * iterable, then its result. The request carries a progress token as the dialect asks (LSP:
   * `workDoneToken` and `partialResultToken`, MCP: `_meta.progressToken`, unless the params carry
   * one already). Timeout and cancellation work as for {@link Peer.request}.
   * @throws TypeError, before anything is sent, when `timeoutMs`, `signal`, `bufferSize` or
   *   `overflow` is invalid (other failures fail the stream)
   */
  stream(
    method: string,
    params?: unknown,
    options: StreamOptions = {},
  ): RpcStream<unknown, unknown> {
    const bufferSize = checkLimit('bufferSize', options.bufferSize, 1024, false);
    const overflow = checkChoice('overflow', options.overflow, overflowPolicies, 'error');
    const call: { id: RequestId | undefined } = { id: undefined };
    const stream = new StreamState(method, bufferSize, overflow, (reason) => {
      if (call.id !== undefined) this.#calls.abandon(call.id, cancelledError(method, reason));
    });
    call.id = this.#calls.start(
      method,
      params,
      options,
      (value) => stream.finish(value),
      (error) => stream.fail(error),
      stream,
    );
    return stream;
  }

  /**
   * Sends a notification.
   * @returns false when the peer is gone
   * @throws TypeError when `params` cannot be serialised
   */
  notify(method: string, params?: unknown): boolean {
    if (this.isClosed) return false;
    return this.#send(
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
    );
  }

  /**
   * Serves `method`. Params are validated against `paramsSchema` when given (failures answer
   * -32602 with the issue paths in `error.data.issues`).
   * @throws TypeError when the method already has a handler, or its name is reserved (`rpc.*`),
   *   or `handler` is not a function
   */
  setRequestHandler(method: string, handler: RequestHandler, paramsSchema?: Schema): void {
    this.#handlers.setHandler(method, handler, paramsSchema);
  }

  /**
   * Listens to a notification; params are validated against this listener's `paramsSchema` when
   * given (params that fail it skip this listener and are reported to `onProtocolError`). A
   * listener that throws goes to `onHandlerError` (or is rethrown on a microtask of its own); the
   * other listeners still run. Cancellations, and progress of this peer's own streams, are
   * consumed by the peer; progress for other tokens (an LSP server's own work-done progress, say)
   * reaches listeners of `$/progress` or `notifications/progress`.
   * @returns a function that removes the listener
   * @throws TypeError when the name is reserved (`rpc.*`) or `listener` is not a function
   */
  onNotification(
    method: string,
    listener: (params: unknown) => void,
    paramsSchema?: Schema,
  ): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(
        `the listener of "${method}" must be a function, got ${describeValue(listener)}`,
      );
    }
    if (method.startsWith('rpc.')) {
      throw new TypeError(
        `method name "${method}" is reserved: JSON-RPC 2.0 keeps rpc.* for the protocol itself; rename it`,
      );
    }
    let listeners = this.#listeners.get(method);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(method, listeners);
    }
    const registration: NotificationListener = { listener, schema: paramsSchema };
    listeners.add(registration);
    const registered = listeners;
    return () => {
      registered.delete(registration);
    };
  }

  /** Closes the transport; pending calls reject with `PeerExitedError` (reason `local`). */
  close(): void {
    this.transport.close();
  }

  #send(message: unknown): boolean {
    this.#trace?.('out', message);
    return this.transport.send(message);
  }

  #receiveMalformed(frame: MalformedFrame): void {
    this.#trace?.('in', frame);
    this.#onProtocolError?.(`unparsable frame: ${frame.excerpt}`);
    this.#send(
      errorResponse(null, {
        code: RpcErrorCode.ParseError,
        message: `Parse error: ${frame.error.message}`,
      }),
    );
  }

  #receive(message: unknown): void {
    this.#trace?.('in', message);
    if (!Array.isArray(message)) {
      this.#dispatch(message, this.#sendResponse);
      return;
    }
    if (message.length === 0) {
      this.#send(
        errorResponse(null, {
          code: RpcErrorCode.InvalidRequest,
          message: 'Invalid Request: empty batch',
        }),
      );
      return;
    }
    dispatchBatch(message, this.#dispatch, this.#sendResponse);
  }

  /** @returns true when `respond` will be called (the message needs an answer) */
  readonly #dispatch = (message: unknown, respond: (response: object) => void): boolean => {
    const classified = classifyMessage(message);
    switch (classified.kind) {
      case 'response':
        this.#calls.routeResponse(classified.id, classified.result, classified.error);
        return false;
      case 'notification':
        this.#handleNotification(classified.method, classified.params);
        return false;
      case 'request':
        this.#handlers.handle(classified.id, classified.method, classified.params, respond);
        return true;
      case 'invalid':
        this.#onProtocolError?.(`invalid request: ${classified.reason}`);
        respond(
          errorResponse(classified.id, {
            code: RpcErrorCode.InvalidRequest,
            message: `Invalid Request: ${classified.reason}`,
          }),
        );
        return true;
      case 'invalid-response':
        this.#calls.routeMalformedResponse(classified.id, classified.reason);
        return false;
    }
  };

  #handleNotification(method: string, params: unknown): void {
    const cancelled = cancelledRequest(method, params);
    if (cancelled !== undefined) {
      if (cancelled === null) this.#onProtocolError?.(`"${method}" names no request id`);
      else this.#handlers.cancel(cancelled);
      return;
    }
    const progress = inboundProgress(method, params);
    if (progress !== undefined && this.#calls.routeProgress(progress.token, progress.value)) return;
    const listeners = this.#listeners.get(method);
    if (!listeners || listeners.size === 0) {
      this.stats.droppedNotifications += 1;
      return;
    }
    // Listeners sharing a schema (the usual case: one contract) share its one check.
    const checks = new Map<Schema, ReturnType<typeof checkAgainst>>();
    let delivered = false;
    for (const { listener, schema } of [...listeners]) {
      let value = params;
      if (schema) {
        let checked = checks.get(schema);
        if (!checked) {
          checked = checkAgainst(schema, params);
          checks.set(schema, checked);
          if (!checked.ok)
            this.#onProtocolError?.(
              `notification "${method}" dropped: ${describeIssues(checked.issues, '(params)')}`,
            );
        }
        if (!checked.ok) continue;
        value = checked.value;
      }
      delivered = true;
      this.#callListener(listener, value, method);
    }
    if (!delivered) this.stats.droppedNotifications += 1;
  }

  /**
   * A listener that throws must not keep the notification from the listeners after it, nor a
   * batch from its answers: its error goes to `onHandlerError`, or, without one, is thrown on a
   * microtask of its own (an uncaught exception), as it would have been from an event emitter.
   */
  #callListener(listener: (params: unknown) => void, value: unknown, method: string): void {
    try {
      listener(value);
    } catch (error) {
      if (this.#onHandlerError) this.#onHandlerError(error, method);
      else
        queueMicrotask(() => {
          throw error;
        });
    }
  }

  #shutDown(info: CloseInfo): void {
    if (this.#closeInfo) return;
    this.#closeInfo = info;
    this.#calls.closeAll(info);
    this.#handlers.closeAll(new PeerExitedError(undefined, info));
  }
}

/**
 * Creates a {@link Peer} over `transport`; it becomes the transport's only reader.
 * @throws TypeError when `transport` is not a transport, or an option is invalid (naming it); the
 *   transport is then left untouched
 */
export function createPeer(transport: Transport, options: PeerOptions = {}): Peer {
  return new Peer(transport, options);
}
