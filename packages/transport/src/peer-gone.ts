/** The error codes that mean "the other side is gone", not "something is broken here". */
export const PEER_GONE_ERROR_CODES: ReadonlySet<string> = new Set([
  'EPIPE',
  'ECONNRESET',
  'EBADF',
  'ESHUTDOWN',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

const maxCauseDepth = 8;

/**
 * True when `error` (or an error in its `cause` chain) says the peer is gone: EPIPE, ECONNRESET,
 * EBADF, ESHUTDOWN, ERR_STREAM_DESTROYED or ERR_STREAM_WRITE_AFTER_END. Every other error (ENOSPC,
 * EACCES, …) is a real failure and must not be treated as a clean disconnect.
 */
export function isPeerGoneError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth; depth += 1) {
    if (typeof current !== 'object' || current === null) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && PEER_GONE_ERROR_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
