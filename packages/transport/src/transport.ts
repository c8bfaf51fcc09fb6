/**
 * Why a transport closed.
 *
 * - `eof`: the peer ended its side cleanly (end of stream, WebSocket close frame), or a child
 *   process closed its stdout while staying alive. A unix-socket peer that died (even by
 *   `SIGKILL`) reads the same: the operating system closes its socket cleanly. Have the peer say
 *   goodbye where the difference matters.
 * - `peer-gone`: the peer vanished: the connection broke (EPIPE, ECONNRESET, …), a WebSocket
 *   dropped without a close frame, or a child process exited.
 * - `error`: an I/O error that does not mean "the peer is gone" (ENOSPC, EACCES, …); see `error`.
 * - `oversize`: an inbound frame exceeded the maximum frame size; the connection was reset.
 * - `stalled`: the peer stopped reading and the bounded outbound queue filled up.
 * - `timeout`: a WebSocket heartbeat saw nothing from the peer for too long.
 * - `local`: this side called `close()` (or killed the child).
 */
export type CloseReason =
  'eof' | 'peer-gone' | 'error' | 'oversize' | 'stalled' | 'timeout' | 'local';

/** What `Transport.closed` resolves with. */
export interface CloseInfo {
  /** Why the transport closed. */
  reason: CloseReason;
  /** The cause, for `error`, `oversize`, `stalled` and `timeout` (and `peer-gone` when an errno error said so). */
  error?: Error;
  /** Child-process transports: the exit code, or `null` when the child died of a signal or is still running. */
  exitCode?: number | null;
  /** Child-process transports: the signal that ended the child, or `null`. */
  signal?: NodeJS.Signals | null;
  /** Child-process transports: the last 4 KiB of the child's stderr (decoded as UTF-8). */
  stderrTail?: string;
}

/** A frame that was not valid JSON. Decoding continues with the next frame. */
export interface MalformedFrame {
  /** The start of the frame (at most 80 characters, control characters escaped). */
  excerpt: string;
  /** Why it could not be decoded (usually the `SyntaxError` from `JSON.parse`). */
  error: Error;
}

/** The single consumer of a transport's inbound messages. */
export interface TransportReceiver {
  /** One decoded JSON value, in arrival order. */
  message(message: unknown): void;
  /** A frame that is not JSON; reported, and decoding continues. */
  malformed?(frame: MalformedFrame): void;
}

/**
 * A bidirectional channel of JSON values with honest close semantics.
 *
 * `send` returns `false` only when the message cannot be delivered because the peer is gone or the
 * transport is closed; it throws a `TypeError` for a value JSON cannot represent (and writes
 * nothing) and throws for any other synchronous I/O error. Inbound values go to exactly one
 * receiver, in order. `closed` resolves exactly once and never rejects.
 */
export interface Transport {
  /**
   * Serialises `message` and queues it for the peer.
   * @returns `true` when queued; `false` only when the peer is gone or the transport is closed.
   * @throws TypeError when `message` is not serialisable (cycle, BigInt, function, symbol); nothing is written.
   */
  send(message: unknown): boolean;
  /**
   * Attaches the one receiver. Frames that arrived earlier are queued and delivered, in order,
   * starting on the next microtask. A second call throws a `TransportError` (`RECEIVER_ALREADY_ATTACHED`);
   * so does, with `INVALID_OPTION`, a receiver without a `message` function or with a `malformed`
   * that is not one (on every transport of this package).
   */
  receive(receiver: TransportReceiver): void;
  /** Resolves once, when the transport has closed, with the reason. Never rejects. */
  readonly closed: Promise<CloseInfo>;
  /** True as soon as the transport no longer accepts messages (even if `closed` has not resolved yet). */
  readonly isClosed: boolean;
  /** Closes the transport with reason `local`. Idempotent. */
  close(): void;
  /**
   * Stops reading from the peer until `resume()`: what the peer sends meanwhile waits in its own
   * queue and the operating system's buffers, so a peer that keeps writing meets backpressure
   * (and a transport of this package on the other side closes with `stalled` once its bounded
   * queue is full). Messages already read may still be delivered. For a receiver that processes
   * messages later than it receives them and must bound what it holds. Every transport of this
   * package has it; idempotent.
   */
  pause?(): void;
  /** Reads from the peer again after `pause()`. Idempotent. */
  resume?(): void;
}
