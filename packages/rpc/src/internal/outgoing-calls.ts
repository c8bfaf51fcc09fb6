import type { CloseInfo } from '@lifeline/transport';
import {
  cancelledError,
  PeerExitedError,
  RpcError,
  RpcErrorCode,
  timeoutError,
} from '../errors.js';
import type { StreamState } from '../rpc-stream.js';
import { DeadlineQueue, type DeadlineEntry } from './deadline-queue.js';
import type { Dialect, OutboundNotification, ProgressToken } from './dialects.js';
import type { ErrorObject, RequestId } from './messages.js';
import { checkSignal, checkTimeout } from './option-checks.js';

/** Counters of answers that matched no call waiting for one. */
export interface ResponseStats {
  /** Responses whose id matched no call this peer ever made. */
  unknownResponses: number;
  /** Responses for a call that had already been answered. */
  duplicateResponses: number;
  /** Responses that arrived after their call timed out or was cancelled (dropped). */
  lateResponses: number;
}

/** What {@link OutgoingCalls} needs from its peer. */
export interface OutgoingCallsOptions {
  readonly dialect: Dialect;
  /** Timeout of a call that does not give its own. */
  readonly defaultTimeoutMs: number;
  /** Writes a request; false when the peer is gone. Throws a `TypeError` for params JSON cannot carry. */
  send(message: object): boolean;
  /** Sends a notification (a cancellation); never throws. */
  notify(notification: OutboundNotification): void;
  readonly onProtocolError: ((problem: string) => void) | undefined;
  readonly stats: ResponseStats;
}

/** Options of one call, as {@link OutgoingCalls.start} takes them. */
export interface StartOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A call waiting for its answer. */
class PendingCall {
  deadline: DeadlineEntry<PendingCall> | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  progressToken: ProgressToken | undefined = undefined;

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

const abandonedIdMemory = 4096;
/** The longest delay setTimeout honours. */
const maxTimerDelayMs = 2_147_483_647;

/**
 * The calls a peer made and waits for: their ids, the one deadline timer of all of them, and the
 * routing of responses and progress to them. Every call settles exactly once: with its answer,
 * its timeout, its cancellation, or the close of the transport.
 */
export class OutgoingCalls {
  readonly #options: OutgoingCallsOptions;
  readonly #pending = new Map<RequestId, PendingCall>();
  /** Streaming calls by the progress token their progress carries. */
  readonly #streams = new Map<ProgressToken, PendingCall>();
  readonly #deadlines = new DeadlineQueue<PendingCall>();
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  #deadlineTimerAt = Number.POSITIVE_INFINITY;
  readonly #abandoned = new Set<RequestId>();
  #nextId = 0;
  #closeInfo: CloseInfo | undefined;

  constructor(options: OutgoingCallsOptions) {
    this.#options = options;
  }

  /** Number of calls waiting for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Sends request `method` and settles `resolve`/`reject` with its outcome; `stream` receives its
   * progress. Returns the request id, or `undefined` when the call failed before it was sent.
   * @throws TypeError when `timeoutMs` is not a positive number of milliseconds or Infinity, or
   *   `signal` is not an `AbortSignal`; nothing is sent, and neither `resolve` nor `reject` is
   *   called
   */
  start(
    method: string,
    params: unknown,
    options: StartOptions | undefined,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
    stream: StreamState | undefined,
  ): RequestId | undefined {
    // The caller's mistake, whatever state the peer is in.
    const timeoutMs = checkTimeout('timeoutMs', options?.timeoutMs, this.#options.defaultTimeoutMs);
    const signal = checkSignal('signal', options?.signal);
    if (this.#closeInfo) {
      reject(new PeerExitedError(method, this.#closeInfo));
      return undefined;
    }
    if (signal?.aborted) {
      reject(cancelledError(method, signal.reason));
      return undefined;
    }
    this.#nextId += 1;
    const id = this.#nextId;
    const call = new PendingCall(id, method, timeoutMs, signal, resolve, reject, stream);
    let sentParams = params;
    if (stream) {
      const tagged = this.#options.dialect.tagStreamRequest(id, params);
      sentParams = tagged.params;
      call.progressToken = tagged.token;
      if (tagged.token !== undefined) this.#streams.set(tagged.token, call);
    }
    this.#pending.set(id, call);
    try {
      this.#options.send(
        sentParams === undefined
          ? { jsonrpc: '2.0', id, method }
          : { jsonrpc: '2.0', id, method, params: sentParams },
      );
    } catch (error) {
      this.#forget(id, call);
      reject(error);
      return undefined;
    }
    // A false send means the peer is gone: the close settles this call with the others.
    if (timeoutMs !== Number.POSITIVE_INFINITY) {
      call.deadline = this.#deadlines.add(call, performance.now() + timeoutMs);
      this.#armDeadlineTimer(undefined);
    }
    if (signal) {
      call.onAbort = () => {
        this.abandon(id, cancelledError(method, signal.reason));
      };
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    return id;
  }

  /** Gives up on a call (timeout, cancellation, stream overflow): tells the peer, drops the late answer. */
  abandon(id: RequestId, error: unknown): void {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#forget(id, call);
    call.reject(error);
    this.#tellPeerAbandoned(id, error);
  }

  /** Settles the call `id` names with its answer, or counts an answer nobody waits for. */
  routeResponse(id: RequestId | null, result: unknown, error: ErrorObject | undefined): void {
    const call = id === null ? undefined : this.#pending.get(id);
    if (!call || id === null) {
      if (id !== null && this.#abandoned.delete(id)) this.#options.stats.lateResponses += 1;
      else if (typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= this.#nextId)
        this.#options.stats.duplicateResponses += 1;
      else {
        this.#options.stats.unknownResponses += 1;
        if (error)
          this.#options.onProtocolError?.(
            `error response for no call (id ${String(id)}): ${error.message}`,
          );
      }
      return;
    }
    this.#forget(id, call);
    if (error) call.reject(new RpcError(error.code, error.message, { data: error.data }));
    else call.resolve(result);
  }

  /** A response too malformed to use: the call it names fails with why, at once. */
  routeMalformedResponse(id: RequestId | null, reason: string): void {
    this.#options.onProtocolError?.(`malformed response (id ${String(id)}): ${reason}`);
    const call = id === null ? undefined : this.#pending.get(id);
    if (!call || id === null) {
      this.#options.stats.unknownResponses += 1;
      return;
    }
    this.#forget(id, call);
    call.reject(
      new RpcError(
        RpcErrorCode.InternalError,
        `The answer to "${call.method}" is not a valid JSON-RPC response: ${reason}`,
      ),
    );
  }

  /** Hands a progress value to the stream whose token it carries. @returns false when no stream has that token */
  routeProgress(token: ProgressToken, value: unknown): boolean {
    const call = this.#streams.get(token);
    if (!call?.stream) return false;
    if (!call.stream.pushProgress(value)) {
      // The overflow policy failed the stream: stop the call on both sides.
      this.#forget(call.id, call);
      this.#tellPeerAbandoned(call.id, undefined);
    }
    return true;
  }

  /** The transport closed: every pending call rejects with a {@link PeerExitedError}, and so does every later one. */
  closeAll(info: CloseInfo): void {
    if (this.#closeInfo) return;
    this.#closeInfo = info;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    this.#streams.clear();
    this.#deadlines.clear();
    this.#disarmDeadlineTimer();
    const errors = withoutStackFrames(() =>
      calls.map((call) => new PeerExitedError(call.method, info)),
    );
    for (const [index, call] of calls.entries()) {
      if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
      call.reject(errors[index]);
    }
  }

  /** Drops the late answer to `id` and tells the peer to stop. */
  #tellPeerAbandoned(id: RequestId, error: unknown): void {
    this.#abandoned.add(id);
    if (this.#abandoned.size > abandonedIdMemory) {
      const oldest = this.#abandoned.values().next().value;
      if (oldest !== undefined) this.#abandoned.delete(oldest);
    }
    // Without an error, the stream's bounded buffer overflowed (the stream failed itself).
    const reason =
      error instanceof Error ? error.message : "the caller's progress buffer overflowed";
    this.#options.notify(this.#options.dialect.cancellation(id, reason));
  }

  #forget(id: RequestId, call: PendingCall): void {
    this.#pending.delete(id);
    if (call.progressToken !== undefined && this.#streams.get(call.progressToken) === call)
      this.#streams.delete(call.progressToken);
    if (call.deadline !== undefined) {
      this.#deadlines.cancel(call.deadline);
      // Left armed rather than cleared, as the next call will most likely need it, but it must
      // not hold the process open when nothing is pending.
      if (this.#deadlines.size === 0) this.#deadlineTimer?.unref();
    }
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
  }

  /**
   * Keeps the one deadline timer of all calls armed for the earliest pending deadline. `firedFor`
   * is the deadline a firing timer was armed for: that time has come even when the clock lags a
   * little (timers run on the event loop's cached time) or not at all (fake timers that leave the
   * clock alone).
   */
  #armDeadlineTimer(firedFor: number | undefined): void {
    const next = this.#deadlines.next();
    if (next === undefined) return;
    if (this.#deadlineTimer !== undefined && this.#deadlineTimerAt <= next) {
      this.#deadlineTimer.ref();
      return;
    }
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    const now = Math.max(performance.now(), firedFor ?? Number.NEGATIVE_INFINITY);
    // setTimeout fires at once for delays past 2^31-1 ms: wait in steps instead.
    const delay = Math.min(Math.max(1, Math.ceil(next - now)), maxTimerDelayMs);
    this.#deadlineTimerAt = delay === maxTimerDelayMs ? now + delay : next;
    this.#deadlineTimer = setTimeout(this.#onDeadlineTimer, delay);
  }

  #disarmDeadlineTimer(): void {
    if (this.#deadlineTimer === undefined) return;
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    this.#deadlineTimerAt = Number.POSITIVE_INFINITY;
  }

  readonly #onDeadlineTimer = (): void => {
    const firedFor = this.#deadlineTimerAt;
    this.#deadlineTimer = undefined;
    this.#deadlineTimerAt = Number.POSITIVE_INFINITY;
    for (const call of this.#deadlines.takeDue(Math.max(performance.now(), firedFor))) {
      call.deadline = undefined;
      this.abandon(call.id, timeoutError(call.method, call.timeoutMs));
    }
    this.#armDeadlineTimer(firedFor);
  };
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
