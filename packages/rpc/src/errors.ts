import type { CloseInfo, CloseReason } from '@lifeline/transport';

const rpcErrorMarker = Symbol.for('@lifeline/rpc.error');

/** JSON-RPC 2.0 error codes, plus the codes this package uses for failures seen by a caller. */
export const RpcErrorCode = {
  /** Invalid JSON was received (the reply has id `null`). */
  ParseError: -32700,
  /** The JSON sent is not a valid request object. */
  InvalidRequest: -32600,
  /** The method does not exist. */
  MethodNotFound: -32601,
  /** Invalid method parameters; `error.data.issues` lists the paths that failed. */
  InvalidParams: -32602,
  /** The handler failed; no stack trace crosses the wire. */
  InternalError: -32603,
  /** The call was cancelled through its `AbortSignal` (or the handler's was aborted). */
  Cancelled: -32800,
  /** The peer's transport closed before the call settled. */
  PeerExited: -32099,
  /** No answer arrived within the call's timeout. */
  Timeout: -32098,
  /** A stream's bounded buffer overflowed with the `error` policy. */
  StreamOverflow: -32097,
  /** The result did not match the contract's result schema. */
  InvalidResult: -32096,
} as const;

/** Options of the {@link RpcError} constructor. */
export interface RpcErrorOptions {
  /** Extra, JSON-serialisable detail sent as `error.data`. */
  data?: unknown;
  /** The underlying cause (kept locally, never sent). */
  cause?: unknown;
}

/**
 * The base error of `@lifeline/rpc`: an error answer from the peer (with its JSON-RPC `code`,
 * `message` and `data`), or a local failure of a call (timeout, cancellation, peer exit). Handlers
 * throw it to answer with their own code. Check with {@link RpcError.isInstance}: it survives
 * duplicate copies of the package.
 */
export class RpcError extends Error {
  /** @internal */
  readonly [rpcErrorMarker] = true;
  override name = 'RpcError';
  /** JSON-RPC error code. */
  readonly code: number;
  /** `error.data` as sent or received. */
  readonly data: unknown;

  constructor(code: number, message: string, options: RpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data;
  }

  /** True for any `RpcError` (and subclass), including one from another copy of this package. */
  static isInstance(value: unknown): value is RpcError {
    return typeof value === 'object' && value !== null && rpcErrorMarker in value;
  }
}

const peerExitedMarker = Symbol.for('@lifeline/rpc.peer-exited');

/**
 * A call could not complete because the peer's transport closed: every pending call rejects with
 * it at once, and so does every call made afterwards. Carries why the transport closed and, for
 * a child process, its exit code, signal and the tail of its stderr. Those the pending calls get
 * have no stack frames: they would all show where the transport closed, not the calls.
 */
export class PeerExitedError extends RpcError {
  /** @internal */
  readonly [peerExitedMarker] = true;
  override name = 'PeerExitedError';
  /** Why the transport closed. */
  readonly reason: CloseReason;
  /** Exit code of a child-process peer, when known. */
  readonly exitCode: number | null | undefined;
  /** Signal that ended a child-process peer, when known. */
  readonly signal: NodeJS.Signals | null | undefined;
  /** Last lines of a child-process peer's stderr, when known. */
  readonly stderrTail: string | undefined;

  constructor(method: string | undefined, info: CloseInfo) {
    super(RpcErrorCode.PeerExited, describePeerExit(method, info), { cause: info.error });
    this.reason = info.reason;
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.stderrTail = info.stderrTail;
  }

  /** True for any `PeerExitedError`, including one from another copy of this package. */
  static override isInstance(value: unknown): value is PeerExitedError {
    return typeof value === 'object' && value !== null && peerExitedMarker in value;
  }
}

function describePeerExit(method: string | undefined, info: CloseInfo): string {
  const what = method === undefined ? 'the peer' : `the peer answering "${method}"`;
  const spawnFailure = describeSpawnFailure(info.error);
  if (spawnFailure !== undefined) return `${what} never started (${spawnFailure})`;
  const how: string[] = [info.reason];
  if (info.signal) how.push(`signal ${info.signal}`);
  else if (typeof info.exitCode === 'number') how.push(`exit code ${info.exitCode}`);
  else if (info.reason === 'error' && info.error !== undefined) how.push(info.error.message);
  const tail = lastLine(info.stderrTail);
  return `${what} is gone (${how.join(', ')})${tail ? `; its stderr ended with: ${tail}` : ''}`;
}

/**
 * Why a child process could not be started (`ENOENT: no-such-binary`, with what to do), or
 * `undefined` when `error` is not a failed spawn.
 */
function describeSpawnFailure(error: Error | undefined): string | undefined {
  if (error === undefined) return undefined;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string' || !syscall.startsWith('spawn'))
    return undefined;
  const target = path ?? syscall.slice('spawn '.length);
  if (code === 'ENOENT') return `ENOENT: ${target}: no such command; check its name and the PATH`;
  if (code === 'EACCES')
    return `EACCES: ${target}: not executable by this user; check its permissions`;
  return `${code}: ${target}`;
}

/** The last non-blank line of a stderr tail, without splitting all of it (one error per pending call is built from it). */
function lastLine(text: string | undefined): string {
  if (text === undefined) return '';
  const trimmed = text.trimEnd();
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim();
}

/**
 * True when `error` is, wraps (through `cause` chains) or contains (in an `AggregateError`) a
 * {@link PeerExitedError}: the one check a supervisor needs to tell "the peer died" from
 * anything else.
 */
export function isPeerExitedError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return false;
    seen.add(value);
    if (PeerExitedError.isInstance(value)) return true;
    if (value instanceof AggregateError && value.errors.some(visit)) return true;
    return 'cause' in value && visit(value.cause);
  };
  return visit(error);
}

/** Builds the error a caller sees when its call timed out. */
export function timeoutError(method: string, timeoutMs: number): RpcError {
  return new RpcError(
    RpcErrorCode.Timeout,
    `"${method}" got no answer within ${timeoutMs} ms; the peer may be busy or stuck (pass a larger timeoutMs if the work is expected to take longer)`,
  );
}

/** Builds the error a caller sees when it cancelled its own call. */
export function cancelledError(method: string, reason: unknown): RpcError {
  const detail = reason instanceof Error ? `: ${reason.message}` : '';
  return new RpcError(RpcErrorCode.Cancelled, `"${method}" was cancelled${detail}`, {
    cause: reason,
  });
}
