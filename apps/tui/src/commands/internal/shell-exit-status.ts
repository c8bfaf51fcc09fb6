import { exitCodeForSignal } from '@lifeline/crash-log';

/**
 * The exit status a run that ended with its shell reports: the shell's exit code, else the one a
 * shell gives a process its signal killed (128 + the signal's number), else 1 (how it ended is not
 * known).
 */
export function shellExitStatus(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  return signal === null ? 1 : exitCodeForSignal(signal as NodeJS.Signals);
}
