import { runWithTransport, serializeMessage, type CloseInfo, type MalformedFrame, type Transport } from '@lifeline/transport';
import type { Schema } from './contract.js';
import {
  cancelledError,
  PeerExitedError,
  RpcError,
  RpcErrorCode,
  timeoutError,
} from './errors.js';
import { classifyMessage, errorResponse, progressMethod, type ErrorObject, type RequestId } from './internal/messages.js';
import { DeadlineQueue, type DeadlineEntry } from './internal/deadline-queue.js';
import { RequestContext } from './internal/request-context.js';
import { checkAgainst, describeIssues } from './internal/schema-check.js';
import { StreamState, type OverflowPolicy, type RpcStream } from './rpc-stream.js';

/** Which way a traced frame went. */
export type TraceDirection = 'in' | 'out';

/** Options of {@link createPeer}. */
export interface PeerOptions {
  /** Timeout of a call that does not give its own. `Infinity` only if you really mean "wait forever". @default 30000 */
  defaultTimeoutMs?: number;
  /** Most handlers running at once; further requests wait their turn (ping and cancel never wait). @default Infinity */
  maxConcurrentHandlers?: number;
  /** Sees every frame in and out, for logging and breadcrumbs. Must not throw. */
  trace?: (direction: TraceDirection, message: unknown) => void;
  /** Told about every handler failure, with the stack that never crosses the wire, and about notification listeners that throw. */
  onHandlerError?: (error: unknown, method: string) => void;
  /** Told about inbound frames that were invalid or could not be routed. */
  onProtocolError?: (problem: string) => void;
}

/** Options of one call. */
export interface CallOptions {
  /** Milliseconds to wait for the answer; `Infinity` waits forever. @default the peer's defaultTimeoutMs (30000) */
  timeoutMs?: number;
  /** Cancels the call: it rejects at once and a `$/cancel` notification tells the peer. */
  signal?: AbortSignal;
}

/** Options of one streaming call. */
export interface StreamOptions extends CallOptions {
  /** Most progress values buffered while the consumer is busy. @default 1024 */
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
  /** Sends one progress value to a streaming caller (`$/progress` tagged with the request id). Safe to take out of the context. */
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

/** A call waiting for its answer. */
class PendingCall {
  deadline: DeadlineEntry<PendingCall> | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;

  constructor(
    readonly id: RequestId,
    readonly method: string,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
    readonly stream: StreamState | undefined,
  ) {}
}

interface RegisteredHandler {
  handler: RequestHandler;
  params: Schema | undefined;
}

/** One `onNotification` registration: each listener gets params checked against its own schema. */
interface NotificationListener {
  listener: (params: unknown) => void;
  schema: Schema | undefined;
}

const abandonedIdMemory = 4096;
/** The longest delay setTimeout honours. */
const maxTimerDelayMs = 2_147_483_647;
const pingMethod = 'ping';
const cancelMethod = '$/cancel';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
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
  private readonly defaultTimeoutMs: number;
  private readonly maxConcurrentHandlers: number;
  private readonly trace: PeerOptions['trace'];
  private readonly onHandlerError: PeerOptions['onHandlerError'];
  private readonly onProtocolError: PeerOptions['onProtocolError'];
  private readonly pending = new Map<RequestId, PendingCall>();
  private readonly deadlines = new DeadlineQueue<PendingCall>();
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimerAt = Number.POSITIVE_INFINITY;
  private readonly abandoned = new Set<RequestId>();
  private readonly handlers = new Map<string, RegisteredHandler>();
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private readonly running = new Map<RequestId, RequestContext>();
  private readonly waitingHandlers: (() => void)[] = [];
  private activeHandlers = 0;
  private startingWaitingHandlers = false;
  private nextId = 0;
  private closeInfo: CloseInfo | undefined;
  private readonly sendResponse = (response: object): void => {
    this.send(response);
  };

  constructor(transport: Transport, options: PeerOptions = {}) {
    this.transport = transport;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.maxConcurrentHandlers = options.maxConcurrentHandlers ?? Number.POSITIVE_INFINITY;
    this.trace = options.trace;
    this.onHandlerError = options.onHandlerError;
    this.onProtocolError = options.onProtocolError;
    transport.receive({
      message: (message) => {
        this.receive(message);
      },
      malformed: (frame) => {
        this.receiveMalformed(frame);
      },
    });
    this.closed = transport.closed.then((info) => {
      this.shutDown(info);
      return info;
    });
  }

  /** True once the transport has closed. */
  get isClosed(): boolean {
    return this.closeInfo !== undefined || this.transport.isClosed;
  }

  /** Number of calls waiting for an answer. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /**
   * Calls `method` on the peer.
   * @throws (rejects) `RpcError` with the peer's error, a timeout or a cancellation;
   *   `PeerExitedError` when the transport closes first or is already closed
   */
  request(method: string, params?: unknown, options?: CallOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.startCall(method, params, options, resolve, reject, undefined);
    });
  }

  /**
   * Calls a streaming `method`: the handler's progress values arrive through the returned
   * iterable, then its result. Timeout and cancellation work as for {@link Peer.request}.
   */
  stream(method: string, params?: unknown, options: StreamOptions = {}): RpcStream<unknown, unknown> {
    const call: { id: RequestId | undefined } = { id: undefined };
    const stream = new StreamState(method, options.bufferSize ?? 1024, options.overflow ?? 'error', (reason) => {
      if (call.id !== undefined) this.abandon(call.id, cancelledError(method, reason));
    });
    call.id = this.startCall(
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
    return this.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /**
   * Serves `method`. Params are validated against `paramsSchema` when given (failures answer
   * -32602 with the issue paths in `error.data.issues`).
   * @throws TypeError when the method already has a handler
   */
  setRequestHandler(method: string, handler: RequestHandler, paramsSchema?: Schema): void {
    if (this.handlers.has(method)) {
      throw new TypeError(`"${method}" already has a handler; a method is served by exactly one`);
    }
    this.handlers.set(method, { handler, params: paramsSchema });
  }

  /**
   * Listens to a notification; params are validated against this listener's `paramsSchema` when
   * given (params that fail it skip this listener and are reported to `onProtocolError`). A
   * listener that throws goes to `onHandlerError` (or is rethrown on a microtask of its own); the
   * other listeners still run.
   * @returns a function that removes the listener
   */
  onNotification(method: string, listener: (params: unknown) => void, paramsSchema?: Schema): () => void {
    let listeners = this.listeners.get(method);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(method, listeners);
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

  private startCall(
    method: string,
    params: unknown,
    options: CallOptions | undefined,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
    stream: StreamState | undefined,
  ): RequestId | undefined {
    if (this.closeInfo) {
      reject(new PeerExitedError(method, this.closeInfo));
      return undefined;
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      reject(cancelledError(method, signal.reason));
      return undefined;
    }
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    if (!(timeoutMs > 0)) {
      reject(new TypeError(`timeoutMs must be a positive number of milliseconds or Infinity, got ${timeoutMs}`));
      return undefined;
    }
    this.nextId += 1;
    const id = this.nextId;
    const call = new PendingCall(id, method, timeoutMs, signal, resolve, reject, stream);
    this.pending.set(id, call);
    try {
      this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    } catch (error) {
      this.pending.delete(id);
      reject(error);
      return undefined;
    }
    // A false send means the peer is gone: the close handler rejects this call with the others.
    if (timeoutMs !== Number.POSITIVE_INFINITY) {
      call.deadline = this.deadlines.add(call, performance.now() + timeoutMs);
      this.armDeadlineTimer(undefined);
    }
    if (signal) {
      call.onAbort = () => {
        this.abandon(id, cancelledError(method, signal.reason));
      };
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    return id;
  }

  /**
   * Keeps the one deadline timer of all calls armed for the earliest pending deadline. `firedFor`
   * is the deadline a firing timer was armed for: that time has come even when the clock lags a
   * little (timers run on the event loop's cached time) or not at all (fake timers that leave the
   * clock alone).
   */
  private armDeadlineTimer(firedFor: number | undefined): void {
    const next = this.deadlines.next();
    if (next === undefined) return;
    if (this.deadlineTimer !== undefined && this.deadlineTimerAt <= next) {
      this.deadlineTimer.ref();
      return;
    }
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    const now = Math.max(performance.now(), firedFor ?? Number.NEGATIVE_INFINITY);
    // setTimeout fires at once for delays past 2^31-1 ms: wait in steps instead.
    const delay = Math.min(Math.max(1, Math.ceil(next - now)), maxTimerDelayMs);
    this.deadlineTimerAt = delay === maxTimerDelayMs ? now + delay : next;
    this.deadlineTimer = setTimeout(this.onDeadlineTimer, delay);
  }

  private disarmDeadlineTimer(): void {
    if (this.deadlineTimer === undefined) return;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineTimerAt = Number.POSITIVE_INFINITY;
  }

  private readonly onDeadlineTimer = (): void => {
    const firedFor = this.deadlineTimerAt;
    this.deadlineTimer = undefined;
    this.deadlineTimerAt = Number.POSITIVE_INFINITY;
    for (const call of this.deadlines.takeDue(Math.max(performance.now(), firedFor))) {
      call.deadline = undefined;
      this.abandon(call.id, timeoutError(call.method, call.timeoutMs));
    }
    this.armDeadlineTimer(firedFor);
  };

  /** Gives up on a call (timeout, cancellation, stream overflow): tells the peer, drops the late answer. */
  private abandon(id: RequestId, error: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.settle(id, call);
    call.reject(error);
    this.tellPeerAbandoned(id);
  }

  /** Drops the late answer to `id` and tells the peer to stop. Never throws: the call is settled already. */
  private tellPeerAbandoned(id: RequestId): void {
    this.rememberAbandoned(id);
    try {
      this.notify(cancelMethod, { id });
    } catch {
      // A transport that fails to write closes itself, which settles every other call.
    }
  }

  private settle(id: RequestId, call: PendingCall): void {
    this.pending.delete(id);
    if (call.deadline !== undefined) {
      this.deadlines.cancel(call.deadline);
      // Left armed rather than cleared, as the next call will most likely need it, but it must
      // not hold the process open when nothing is pending.
      if (this.deadlines.size === 0) this.deadlineTimer?.unref();
    }
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
  }

  private rememberAbandoned(id: RequestId): void {
    this.abandoned.add(id);
    if (this.abandoned.size > abandonedIdMemory) {
      const oldest = this.abandoned.values().next().value;
      if (oldest !== undefined) this.abandoned.delete(oldest);
    }
  }

  private send(message: unknown): boolean {
    this.trace?.('out', message);
    return this.transport.send(message);
  }

  private receiveMalformed(frame: MalformedFrame): void {
    this.trace?.('in', frame);
    this.onProtocolError?.(`unparsable frame: ${frame.excerpt}`);
    this.send(errorResponse(null, { code: RpcErrorCode.ParseError, message: `Parse error: ${frame.error.message}` }));
  }

  private receive(message: unknown): void {
    this.trace?.('in', message);
    if (!Array.isArray(message)) {
      this.dispatch(message, this.sendResponse);
      return;
    }
    if (message.length === 0) {
      this.send(errorResponse(null, { code: RpcErrorCode.InvalidRequest, message: 'Invalid Request: empty batch' }));
      return;
    }
    const responses: object[] = [];
    let outstanding = 0;
    let dispatched = false;
    const collect = (response: object) => {
      // Checked one by one, so a result JSON cannot represent spoils only its own answer (-32603).
      serializeMessage(response);
      responses.push(response);
      outstanding -= 1;
      if (dispatched && outstanding === 0) this.send(responses);
    };
    for (const item of message) {
      outstanding += 1;
      if (!this.dispatch(item, collect)) outstanding -= 1;
    }
    dispatched = true;
    if (outstanding === 0 && responses.length > 0) this.send(responses);
  }

  /** @returns true when `respond` will be called (the message needs an answer) */
  private dispatch(message: unknown, respond: (response: object) => void): boolean {
    const classified = classifyMessage(message);
    switch (classified.kind) {
      case 'response':
        this.routeResponse(classified.id, classified.result, classified.error);
        return false;
      case 'notification':
        this.handleNotification(classified.method, classified.params);
        return false;
      case 'request':
        this.handleRequest(classified.id, classified.method, classified.params, respond);
        return true;
      case 'invalid':
        this.onProtocolError?.(`invalid request: ${classified.reason}`);
        respond(errorResponse(classified.id, { code: RpcErrorCode.InvalidRequest, message: `Invalid Request: ${classified.reason}` }));
        return true;
      case 'invalid-response':
        this.receiveMalformedResponse(classified.id, classified.reason);
        return false;
    }
  }

  /** A response too malformed to use: the call it names fails with why, at once; nothing is answered. */
  private receiveMalformedResponse(id: RequestId | null, reason: string): void {
    this.onProtocolError?.(`malformed response (id ${String(id)}): ${reason}`);
    const call = id === null ? undefined : this.pending.get(id);
    if (!call || id === null) {
      this.stats.unknownResponses += 1;
      return;
    }
    this.settle(id, call);
    call.reject(new RpcError(RpcErrorCode.InternalError, `The answer to "${call.method}" is not a valid JSON-RPC response: ${reason}`));
  }

  private routeResponse(id: RequestId | null, result: unknown, error: ErrorObject | undefined): void {
    const call = id === null ? undefined : this.pending.get(id);
    if (!call || id === null) {
      if (id !== null && this.abandoned.delete(id)) this.stats.lateResponses += 1;
      else if (typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= this.nextId) this.stats.duplicateResponses += 1;
      else {
        this.stats.unknownResponses += 1;
        if (error) this.onProtocolError?.(`error response for no call (id ${String(id)}): ${error.message}`);
      }
      return;
    }
    this.settle(id, call);
    if (error) call.reject(new RpcError(error.code, error.message, { data: error.data }));
    else call.resolve(result);
  }

  private handleNotification(method: string, params: unknown): void {
    if (method === cancelMethod) {
      this.cancelRunning(params);
      return;
    }
    if (method === progressMethod) {
      this.routeProgress(params);
      return;
    }
    const listeners = this.listeners.get(method);
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
          if (!checked.ok) this.onProtocolError?.(`notification "${method}" dropped: ${describeIssues(checked.issues, '(params)')}`);
        }
        if (!checked.ok) continue;
        value = checked.value;
      }
      delivered = true;
      this.callListener(listener, value, method);
    }
    if (!delivered) this.stats.droppedNotifications += 1;
  }

  /**
   * A listener that throws must not keep the notification from the listeners after it, nor a
   * batch from its answers: its error goes to `onHandlerError`, or, without one, is thrown on a
   * microtask of its own (an uncaught exception), as it would have been from an event emitter.
   */
  private callListener(listener: (params: unknown) => void, value: unknown, method: string): void {
    try {
      listener(value);
    } catch (error) {
      if (this.onHandlerError) this.onHandlerError(error, method);
      else
        queueMicrotask(() => {
          throw error;
        });
    }
  }

  private routeProgress(params: unknown): void {
    if (typeof params !== 'object' || params === null || !('id' in params)) return;
    const id = params.id as RequestId;
    const call = this.pending.get(id);
    if (!call?.stream) return;
    const value = 'value' in params ? params.value : undefined;
    if (!call.stream.pushProgress(value)) {
      // The overflow policy failed the stream: stop the call on both sides.
      this.settle(id, call);
      this.tellPeerAbandoned(id);
    }
  }

  private cancelRunning(params: unknown): void {
    if (typeof params !== 'object' || params === null || !('id' in params)) return;
    const running = this.running.get(params.id as RequestId);
    if (!running) return;
    const reason = new RpcError(RpcErrorCode.Cancelled, 'the caller cancelled the request');
    RequestContext.abort(running, reason);
  }

  private handleRequest(
    id: RequestId | null,
    method: string,
    params: unknown,
    respond: (response: object) => void,
  ): void {
    const registered = this.handlers.get(method);
    if (!registered) {
      if (method === pingMethod) {
        respond({ jsonrpc: '2.0', id, result: {} });
        return;
      }
      respond(errorResponse(id, { code: RpcErrorCode.MethodNotFound, message: `Method not found: "${method}"` }));
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
            data: { issues: checked.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message, code: issue.code })) },
          }),
        );
        return;
      }
      value = checked.value;
    }
    const context = new RequestContext(id, this.transport, this);
    if (this.activeHandlers < this.maxConcurrentHandlers) {
      this.runHandler(context, method, registered.handler, value, respond);
      return;
    }
    // Waiting its turn, it can be cancelled (or the peer can go) like a running one.
    if (id !== null) this.running.set(id, context);
    this.waitingHandlers.push(() => {
      if (id !== null && this.running.get(id) === context) this.running.delete(id);
      const abortedBy = RequestContext.abortReason(context);
      if (abortedBy === undefined) {
        this.runHandler(context, method, registered.handler, value, respond);
      } else {
        // Cancelled before it started: answered as a handler that saw the cancellation would be.
        this.answer(id, method, respond, true, abortedBy);
      }
    });
  }

  private runHandler(
    context: RequestContext,
    method: string,
    handler: RequestHandler,
    params: unknown,
    respond: (response: object) => void,
  ): void {
    const id = context.id;
    this.activeHandlers += 1;
    let result: unknown;
    try {
      result = runWithTransport(this.transport, () => handler(params, context));
    } catch (error) {
      this.answer(id, method, respond, true, error);
      this.handlerFinished();
      return;
    }
    // A plain value is answered at once: no promise, no microtask, nothing to cancel.
    if (!isThenable(result)) {
      this.answer(id, method, respond, false, result);
      this.handlerFinished();
      return;
    }
    if (id !== null) this.running.set(id, context);
    const finish = () => {
      if (id !== null && this.running.get(id) === context) this.running.delete(id);
      this.handlerFinished();
    };
    Promise.resolve(result).then(
      (value: unknown) => {
        this.answer(id, method, respond, false, value);
        finish();
      },
      (error: unknown) => {
        this.answer(id, method, respond, true, error);
        finish();
      },
    );
  }

  /** Sends a handler's result, or (`failed`) the error it threw. Never throws. */
  private answer(
    id: RequestId | null,
    method: string,
    respond: (response: object) => void,
    failed: boolean,
    outcome: unknown,
  ): void {
    try {
      if (failed) respond(errorResponse(id, this.describeHandlerError(outcome, method)));
      else respond({ jsonrpc: '2.0', id, result: outcome === undefined ? null : outcome });
    } catch (failure) {
      // The answer itself could not be serialised: say so instead of leaving the caller waiting.
      this.onHandlerError?.(failure, method);
      try {
        respond(errorResponse(id, { code: RpcErrorCode.InternalError, message: `Internal error: the result of "${method}" could not be serialised` }));
      } catch (secondFailure) {
        // Even a plain error answer cannot be written: the transport is failing and will close.
        this.onHandlerError?.(secondFailure, method);
      }
    }
  }

  /** One handler is done: start queued ones while the cap allows (a loop, so a long queue cannot overflow the stack). */
  private handlerFinished(): void {
    this.activeHandlers -= 1;
    if (this.startingWaitingHandlers) return;
    this.startingWaitingHandlers = true;
    try {
      while (this.activeHandlers < this.maxConcurrentHandlers) {
        const next = this.waitingHandlers.shift();
        if (!next) break;
        next();
      }
    } finally {
      this.startingWaitingHandlers = false;
    }
  }

  private describeHandlerError(error: unknown, method: string): ErrorObject {
    if (RpcError.isInstance(error)) {
      return error.data === undefined
        ? { code: error.code, message: error.message }
        : { code: error.code, message: error.message, data: error.data };
    }
    this.onHandlerError?.(error, method);
    const message = error instanceof Error ? error.message : String(error);
    return { code: RpcErrorCode.InternalError, message: `Internal error in "${method}": ${message}` };
  }

  private shutDown(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.deadlines.clear();
    this.disarmDeadlineTimer();
    const errors = withoutStackFrames(() => calls.map((call) => new PeerExitedError(call.method, info)));
    for (const [index, call] of calls.entries()) {
      if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
      call.reject(errors[index]);
    }
    const gone = new PeerExitedError(undefined, info);
    for (const running of this.running.values()) {
      RequestContext.abort(running, gone);
    }
    // Nobody is left to answer: requests still waiting for a handler slot never start.
    this.waitingHandlers.length = 0;
  }
}

/**
 * Runs `build` with stack capture off. The errors every pending call gets when the transport
 * closes would all show the same frames of this close path, not the calls that failed; capturing
 * them took most of the time between the peer's exit and the last call settling.
 */
function withoutStackFrames<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Creates a {@link Peer} over `transport`; it becomes the transport's only reader. */
export function createPeer(transport: Transport, options: PeerOptions = {}): Peer {
  return new Peer(transport, options);
}
