import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import { processState, readProcFile } from '../host/proc-reader.js';

/**
 * The refusal for a session whose host process is stopped (a SIGSTOP, or a debugger holding it):
 * it reads neither its socket nor its shell's terminal, so nothing sent to it would arrive until
 * someone resumes it. Undefined while it runs (or is gone, or `/proc` cannot be read).
 */
export function stoppedHostError(
  sid: string,
  pid: number,
  readStat: (pid: number) => string | undefined = (pid) => readProcFile(pid, 'stat'),
): RpcError | undefined {
  const stat = readStat(pid);
  const state = stat === undefined ? undefined : processState(stat);
  if (state !== 'T' && state !== 't') return undefined;
  const how =
    state === 't'
      ? `a debugger or tracer holds it: detach it (or \`kill -CONT ${pid}\`)`
      : `\`kill -CONT ${pid}\` resumes it`;
  return new RpcError(
    LifelineErrorCode.HostUnavailable,
    `the host of session ${sid} (pid ${pid}) is stopped, so nothing reaches the session and nothing was sent to it; ${how}`,
    { data: { sid, reason: 'stopped', pid } },
  );
}

/**
 * `error`, or the {@link stoppedHostError} when it is a call to the host that got no answer and
 * the host is stopped now: the timeout then says why, and what resumes the session.
 */
export function explainedHostTimeout(
  error: unknown,
  sid: string,
  pid: number | undefined,
  readStat?: (pid: number) => string | undefined,
): unknown {
  if (pid === undefined || !RpcError.isInstance(error) || error.code !== RpcErrorCode.Timeout)
    return error;
  return stoppedHostError(sid, pid, readStat) ?? error;
}
