import { exitCodeForSignal } from '@lifeline/crash-log';
import { STOP_SIGNALS, type StopSignal } from '@lifeline/protocol';

/** Exit statuses a shell with job control gives a command it stopped: 128 + the signal. */
const stopSignalByStatus: ReadonlyMap<number, StopSignal> = new Map(
  STOP_SIGNALS.map((signal) => [exitCodeForSignal(signal), signal]),
);

/**
 * The signal that stopped a command, read from the status its shell gave it: Ctrl+Z (`SIGTSTP`,
 * 148), `kill -STOP`, or a background job reading or writing the terminal. Such a command is not
 * over: `fg` takes it up again.
 * @returns null for a status that is not a stop
 */
export function stopSignalOf(exitStatus: number): StopSignal | null {
  return stopSignalByStatus.get(exitStatus) ?? null;
}
