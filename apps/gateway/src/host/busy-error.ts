import { formatDurationSpec, LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';

/** Why a run waits instead of being typed into the shell. */
export type BusyReason = 'running' | 'starting' | 'continuation' | 'line-editor-mode';

/**
 * The answer to a run that could not start within its time (or, with `timeoutMs` 0, was refused at
 * once under `ifIdle`), saying what kept it and what to do.
 * @param reason what held it when its time ran out (`undefined`: nothing any more, the shell was
 *   still drawing its prompt)
 * @param runningCommand the command of the run going on, named when `reason` is `running`
 */
export function busyError(
  reason: BusyReason | undefined,
  timeoutMs: number,
  runningCommand: string,
  sid: string,
  runningRunId: string | undefined,
): RpcError {
  const data = { sid, runningRunId: runningRunId ?? null };
  switch (reason) {
    case 'line-editor-mode':
      return new RpcError(
        LifelineErrorCode.SessionBusy,
        `someone's keys ${timeoutMs > 0 ? 'had left' : 'have left'} the session's line editor in a mode of its own (a history search, a completion list or question, vi command mode, a pending Esc)${timeoutMs > 0 ? ` for ${formatDurationSpec(timeoutMs)}` : ''}, so the command was not started (typed then, it would have been taken as keys of that mode); run or clear that line (Enter; Ctrl+C in bash and zsh), then run the command again`,
        { data: { ...data, reason } },
      );
    case 'continuation':
      return new RpcError(
        LifelineErrorCode.SessionBusy,
        `a command someone is typing at the session's prompt ${timeoutMs > 0 ? `was waiting for more lines (a continuation prompt, "> ") for ${formatDurationSpec(timeoutMs)}` : 'is waiting for more lines (a continuation prompt, "> ")'}, so the command was not started (typed then, it would have been taken as a line of that command); finish that command or cancel it (Ctrl+C), then run the command again`,
        { data: { ...data, reason } },
      );
    default:
      return new RpcError(
        LifelineErrorCode.SessionBusy,
        `the session was still busy with "${reason === 'running' ? runningCommand : 'its shell start-up'}" after ${formatDurationSpec(timeoutMs)}, so the command was not started; wait for it or interrupt it`,
        { data },
      );
  }
}
