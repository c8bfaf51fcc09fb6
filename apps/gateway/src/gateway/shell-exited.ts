import { LifelineErrorCode } from '@lifeline/protocol';
import { PeerExitedError, RpcError } from '@lifeline/rpc';

/** A host's refusal of a request because its shell has exited (see the host's `exitedError`). */
export function isShellExitedRefusal(error: unknown): boolean {
  if (!RpcError.isInstance(error) || error.code !== LifelineErrorCode.HostUnavailable) return false;
  const data = error.data as { reason?: unknown } | undefined;
  return data?.reason === 'exited';
}

/**
 * Whether a run sent to a host never reached its shell because that shell had exited: the host
 * refused it, or closed its connection without answering after its shell's exit came through (a
 * host answers every run it took before it closes, and takes none once its shell has exited, so
 * a request still unread as it closed was never typed). Such a run is sent to the session's next
 * shell. A host that went away otherwise (killed) may have typed it: it is not sent again.
 */
export function neverReachedExitedShell(error: unknown, host: { shellExited: boolean }): boolean {
  return isShellExitedRefusal(error) || (PeerExitedError.isInstance(error) && host.shellExited);
}
