const marker = Symbol.for('@lifeline/transport.error');

/**
 * Stable codes carried by {@link TransportError}. Branch on `error.code`, never on the message.
 *
 * - `FRAME_TOO_LARGE`: an inbound frame exceeded `maxFrameBytes`; the connection is reset.
 * - `STALLED`: the peer stopped reading and the outbound queue reached `maxQueuedBytes`.
 * - `HEARTBEAT_TIMEOUT`: nothing at all arrived from a WebSocket peer within the heartbeat timeout.
 * - `UNAUTHORIZED`: the WebSocket server answered 401 (missing or wrong bearer token).
 * - `FORBIDDEN_ORIGIN`: the WebSocket server answered 403 (an `Origin` not on its allowlist).
 * - `UNREACHABLE`: nothing answered (refused, no such host or socket, timed out).
 * - `HANDSHAKE_FAILED`: something answered, but not with a WebSocket upgrade we accept.
 * - `ADDRESS_IN_USE`: a live server already answers on the unix socket path.
 * - `INSECURE_TOKEN_FILE`: a token file is readable or writable by someone other than its owner.
 * - `WEAK_TOKEN`: a bearer token carries fewer than 192 bits.
 * - `TOKEN_FILE_UNREADABLE`: a token file is missing, not a regular file, or cannot be read.
 * - `RECEIVER_ALREADY_ATTACHED`: `receive()` was called a second time on one transport.
 * - `INVALID_OPTION`: an option, or the receiver given to `receive()`, is missing, of the wrong
 *   type or out of range; the message names it.
 */
export type TransportErrorCode =
  | 'FRAME_TOO_LARGE'
  | 'STALLED'
  | 'HEARTBEAT_TIMEOUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_ORIGIN'
  | 'UNREACHABLE'
  | 'HANDSHAKE_FAILED'
  | 'ADDRESS_IN_USE'
  | 'INSECURE_TOKEN_FILE'
  | 'WEAK_TOKEN'
  | 'TOKEN_FILE_UNREADABLE'
  | 'RECEIVER_ALREADY_ATTACHED'
  | 'INVALID_OPTION';

/** Options accepted by the {@link TransportError} constructor. */
export interface TransportErrorOptions {
  /** The underlying error, if any (an errno error, a ws error, …). */
  cause?: unknown;
  /** The HTTP status a WebSocket server answered with, for `UNAUTHORIZED`, `FORBIDDEN_ORIGIN`, `HANDSHAKE_FAILED`. */
  statusCode?: number;
  /** The limit that was exceeded, in bytes, for `FRAME_TOO_LARGE` and `STALLED`. */
  limitBytes?: number;
}

/**
 * The one error class of `@lifeline/transport`. Check with {@link TransportError.isInstance}
 * (it survives duplicate copies of the package) and branch on {@link TransportError.code}.
 */
export class TransportError extends Error {
  /** @internal */
  readonly [marker] = true;
  override readonly name = 'TransportError';
  /** What went wrong, as a stable machine-readable code. */
  readonly code: TransportErrorCode;
  /** HTTP status of a refused WebSocket handshake, when there was one. */
  readonly statusCode: number | undefined;
  /** The limit that was exceeded, in bytes, when one was. */
  readonly limitBytes: number | undefined;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode;
    this.limitBytes = options.limitBytes;
  }

  /** True for any `TransportError`, including one thrown by another copy of this package. */
  static isInstance(value: unknown): value is TransportError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}

/** True when `value` is a {@link TransportError} with the given code. */
export function isTransportError(
  value: unknown,
  code?: TransportErrorCode,
): value is TransportError {
  return TransportError.isInstance(value) && (code === undefined || value.code === code);
}
