import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';

/** What a `SessionBusy` refusal says held the session (its `data`). */
export interface BusyDetail {
  /** The command running there, when one is. */
  command?: unknown;
  /** What else holds it: `continuation`, `line-editor-mode`… */
  reason?: unknown;
}

/** What a `SessionBusy` refusal says held the session: undefined for any other error. */
export function busyDetail(error: unknown): BusyDetail | undefined {
  if (!RpcError.isInstance(error) || error.code !== LifelineErrorCode.SessionBusy) return undefined;
  return (error.data as BusyDetail | undefined) ?? {};
}
