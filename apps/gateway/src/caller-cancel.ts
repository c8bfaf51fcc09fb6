import { PeerExitedError } from '@lifeline/rpc';

/**
 * A signal aborted when the caller of a request cancels it (its `$/cancel`), not when the caller
 * goes away: `signal` is a request handler's, which aborts for both.
 */
export function cancelledByCaller(signal: AbortSignal): AbortSignal {
  const cancelled = new AbortController();
  signal.addEventListener(
    'abort',
    () => {
      if (!PeerExitedError.isInstance(signal.reason)) cancelled.abort(signal.reason);
    },
    { once: true },
  );
  return cancelled.signal;
}
