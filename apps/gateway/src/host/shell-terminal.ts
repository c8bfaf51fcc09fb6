import type { ProcReader } from './proc-reader.js';

/** A terminal device as `/proc/<pid>/fd` names it: a pseudo-terminal, a console, `/dev/tty`. */
const terminalDevice = /^\/dev\/(?:pts\/\d+|tty\w*|console)$/;

/**
 * The terminal a shell runs in, as `/proc/<pid>/fd` names it: the first of its standard
 * descriptors that is a terminal. Not simply its standard input, which the shell points elsewhere
 * while it runs a loop of its own over a file or a pipe (`while read …; done < <(…)`), as startup
 * files and prompt hooks do. `undefined` when none is (or `/proc` cannot be read).
 */
export function shellTerminal(shellPid: number, proc: ProcReader): string | undefined {
  for (const fd of [0, 1, 2]) {
    const target = proc.fdTarget(shellPid, fd);
    if (target !== undefined && terminalDevice.test(target)) return target;
  }
  return undefined;
}
