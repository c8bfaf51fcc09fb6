import type { ShellKind } from '@lifeline/run-completion';
import { processState, type ProcReader } from './proc-reader.js';

/** The status bash and zsh give a command stopped by SIGTSTP (Ctrl+Z): 128 + 20. */
export const STOPPED_BY_TSTP_STATUS = 148;

/**
 * Whether a shell reports a command it stopped with the status of the stop (`128 + signal`):
 * bash and zsh do; fish keeps the status of the command before, so its stops are seen here.
 */
export function shellReportsStops(kind: ShellKind): boolean {
  return kind !== 'fish';
}

/** The children of `shellPid` stopped by job control now (state `T` in `/proc/<pid>/stat`). */
export function stoppedChildren(proc: ProcReader, shellPid: number): Set<number> {
  const stopped = new Set<number>();
  for (const pid of proc.children(shellPid)) {
    const stat = proc.stat(pid);
    if (stat !== undefined && processState(stat) === 'T') stopped.add(pid);
  }
  return stopped;
}

/**
 * The status of a finished run in a shell that does not report stops: the stop's (as bash would
 * give it for Ctrl+Z) when a child of the shell that was not stopped as the run started is stopped
 * now, else the status the shell gave.
 */
export function statusWithStop(
  status: number,
  stoppedAtStart: ReadonlySet<number>,
  stoppedNow: ReadonlySet<number>,
): number {
  for (const pid of stoppedNow) if (!stoppedAtStart.has(pid)) return STOPPED_BY_TSTP_STATUS;
  return status;
}
