import { awaitedDescriptors } from './awaited-descriptors.js';
import { foregroundProcessGroup, processGroup } from './foreground-signal.js';
import { linuxProc, type ProcReader } from './proc-reader.js';
import { shellTerminal } from './shell-terminal.js';
import { terminalReadsUnseen } from './terminal-echo.js';

/** Most processes of the foreground group looked at (a build can run many). */
const maxProcesses = 256;
/**
 * A program waiting on more descriptors than this is serving something (connections, pipes of
 * children), not a person at its terminal.
 */
const maxAwaited = 64;

/** Options of {@link waitsForTerminalInput}. */
export interface TerminalInputOptions {
  /**
   * Whether the shell itself reading the terminal counts (a `read` builtin, the next line of an
   * unfinished command). Not where the shell reads its next command line at the prompt before the
   * run is known to be over (postamble mode, see run-completion).
   */
  includeShell: boolean;
  /**
   * Whether the shell's `read` builtin waits as its line editor does (fish's, in `poll`): the
   * shell waiting on the terminal in any way counts then, as it cannot be at its prompt during a
   * run. @default false (only in `read`)
   */
  shellReadsWithItsEditor?: boolean;
  /** @default the real `/proc` */
  proc?: ProcReader;
  /** @default process.arch */
  arch?: NodeJS.Architecture;
  /**
   * Whether a terminal reads whole lines without echo, as a password is read (see
   * {@link terminalReadsUnseen}). @default asks `stty`
   */
  readsUnseen?: (terminal: string) => boolean | undefined;
}

/**
 * Whether whoever holds the shell's terminal is blocked waiting to read it: a program of the
 * terminal's foreground process group (any of the shell's descendants in it, so a prompt in a
 * script or a pipeline counts) in `read`, or in `poll`, `select` or `epoll` with the terminal among
 * what it waits to read (a full-screen program, a REPL) and no socket or other terminal (a relay
 * such as ssh waits for its other end as well); or the shell itself in `read` (see
 * {@link TerminalInputOptions.includeShell}). A program whose system call this process may not
 * read (setuid, such as `sudo`) waits when the terminal reads whole lines without echo, as while a
 * password is read (not raw, as `sudo` keeps it while the command it runs has it). False when it
 * cannot be told (another system, an unknown architecture, no `stty`).
 */
export function waitsForTerminalInput(shellPid: number, options: TerminalInputOptions): boolean {
  const proc = options.proc ?? linuxProc;
  const arch = options.arch ?? process.arch;
  const terminal = shellTerminal(shellPid, proc);
  const readStat = (pid: number) => proc.stat(pid);
  const foreground = foregroundProcessGroup(shellPid, readStat);
  if (terminal === undefined || foreground === undefined) return false;
  /** `undefined` when its system call may not be read. */
  const waitsOnTerminal = (pid: number, only?: 'read'): boolean | undefined => {
    const awaited = awaitedDescriptors(pid, proc, arch, only);
    if (awaited === undefined) return undefined;
    if (awaited.length > maxAwaited) return false;
    let onTerminal = false;
    for (const fd of awaited.sort((left, right) => left - right)) {
      const source = proc.fdTarget(pid, fd);
      if (source === terminal || source === '/dev/tty') onTerminal = true;
      // A relay (ssh, nc, socat, a terminal multiplexer's client) waits on its terminal and on
      // the other end, which it may be waiting for just as well.
      else if (source === undefined || source.startsWith('socket:') || source === '/dev/ptmx')
        return false;
    }
    return onTerminal;
  };
  // A shell's line editor waits in `select` or `poll` at the prompt, the end of a run possibly
  // still unread; its `read` builtin reads.
  if (foreground === processGroup(shellPid, readStat))
    return (
      options.includeShell &&
      waitsOnTerminal(shellPid, options.shellReadsWithItsEditor === true ? undefined : 'read') ===
        true
    );
  // The group's leader (its id is the group's) first: where a kernel lists no children, it is the
  // one program looked at.
  const pending = [...proc.children(shellPid), foreground];
  const seen = new Set<number>();
  let hidden = false;
  while (pending.length > 0 && seen.size < maxProcesses) {
    const pid = pending.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (processGroup(pid, readStat) === foreground) {
      const waits = waitsOnTerminal(pid);
      if (waits === true) return true;
      hidden ||= waits === undefined;
    }
    pending.push(...proc.children(pid));
  }
  return hidden && (options.readsUnseen ?? terminalReadsUnseen)(terminal) === true;
}
