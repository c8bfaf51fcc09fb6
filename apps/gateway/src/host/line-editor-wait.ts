import { awaitedDescriptors } from './awaited-descriptors.js';
import { linuxProc, type ProcReader } from './proc-reader.js';
import { shellTerminal } from './shell-terminal.js';

/**
 * Whether the shell is blocked waiting to read its terminal, as its line editor does at the prompt
 * between keys (`select` or `poll` on it, or `read`). False while it is busy (drawing the line,
 * running a key's binding), and when it cannot be told (another system, an unknown architecture).
 */
export function lineEditorWaitsForKey(
  shellPid: number,
  proc: ProcReader = linuxProc,
  arch: NodeJS.Architecture = process.arch,
): boolean {
  const terminal = shellTerminal(shellPid, proc);
  if (terminal === undefined) return false;
  return (awaitedDescriptors(shellPid, proc, arch) ?? []).some(
    (fd) => proc.fdTarget(shellPid, fd) === terminal,
  );
}
