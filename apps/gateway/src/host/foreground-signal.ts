import { sessionSignalKeys, type SessionSignal } from '@lifeline/protocol';
import { readProcFile } from './proc-reader.js';

/** How a signal reaches the program in the foreground of a PTY. */
export type SignalDelivery = { kind: 'key'; key: string } | { kind: 'kill'; pid: number };

/**
 * Interrupt, quit and suspend are typed as their keys, exactly like a person at a terminal (so a
 * program in raw mode receives the key, and the shell prints a fresh prompt). Other signals go to
 * the terminal's foreground process group (`tpgid` from `/proc`), else to the shell.
 */
export function planSignalDelivery(
  signal: SessionSignal,
  shellPid: number,
  readStat = readProcStat,
): SignalDelivery {
  const key = sessionSignalKeys[signal];
  if (key !== undefined) return { kind: 'key', key: key.bytes };
  const foreground = foregroundProcessGroup(shellPid, readStat);
  return foreground === undefined
    ? { kind: 'kill', pid: shellPid }
    : { kind: 'kill', pid: -foreground };
}

/** Field `index` of `/proc/<pid>/stat` counted from the state (field 3) on, as a positive integer. */
function statNumber(
  pid: number,
  index: number,
  readStat: (pid: number) => string | undefined,
): number | undefined {
  const stat = readStat(pid);
  if (stat === undefined) return undefined;
  // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
  const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[index]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The foreground process group of the terminal a process is attached to, from `/proc/<pid>/stat`. */
export function foregroundProcessGroup(pid: number, readStat = readProcStat): number | undefined {
  return statNumber(pid, 5, readStat);
}

/** The process group of a process, from `/proc/<pid>/stat`. */
export function processGroup(pid: number, readStat = readProcStat): number | undefined {
  return statNumber(pid, 2, readStat);
}

const readProcStat = (pid: number): string | undefined => readProcFile(pid, 'stat');
const readProcCommandLine = (pid: number): string | undefined => readProcFile(pid, 'cmdline');

/** Options of {@link typeSignalKey}. */
export interface SignalKeyOptions {
  shellPid: number;
  /** Types the key. */
  type: () => void;
  /** Whether the run the key is meant for is still going. */
  stillRunning: () => boolean;
  /** Types the key again: it reached the shell's own code, not the command. */
  retype: () => void;
  /**
   * How long to watch. A loaded machine can take more than a second between the shell reading a
   * line and the command taking the terminal.
   * @default 5000
   */
  windowMs?: number;
  /**
   * How long a command must hold the terminal, alive and its run going on, before the key is typed
   * again: one the key did reach ends within it (the kernel may hand a key on after the command
   * took the terminal, even when the shell still held it as the key was typed).
   * @default 100
   */
  graceMs?: number;
  /** How often to look at the terminal's foreground group. @default 10 */
  pollMs?: number;
  readStat?: (pid: number) => string | undefined;
  /** `/proc/<pid>/cmdline`, to tell a command from a shell child that has not started it yet. */
  readCommandLine?: (pid: number) => string | undefined;
}

/**
 * Types a signal key for a running command. A key typed while the shell's own code holds the
 * terminal can reach it at a moment it does not act on it, and the command then runs on as if
 * nothing was pressed. That code is the shell itself (it has just read a command line and is
 * starting the command) or the child it forked for the command, which takes the terminal before it
 * starts the command and, until then, still runs the shell's signal handlers. So when the shell's
 * code held the terminal as the key was typed, and a command then holds it for
 * {@link SignalKeyOptions.graceMs} while the run still goes on, the key is typed once more, for
 * the command. A key that the shell acted on ends the run first; one the command got ends it.
 */
export function typeSignalKey(options: SignalKeyOptions): void {
  const readStat = options.readStat ?? readProcStat;
  const readCommandLine = options.readCommandLine ?? readProcCommandLine;
  const shellCommandLine = readCommandLine(options.shellPid);
  const graceMs = options.graceMs ?? 100;
  /**
   * The process group of a command (not the shell, nor its child before the command started) that
   * holds the terminal; `null` when none does; `undefined` when that cannot be read.
   */
  const commandHolding = (): number | null | undefined => {
    const foreground = foregroundProcessGroup(options.shellPid, readStat);
    if (foreground === undefined) return undefined;
    return foreground !== options.shellPid && readCommandLine(foreground) !== shellCommandLine
      ? foreground
      : null;
  };
  const heldBefore = commandHolding();
  options.type();
  if (heldBefore !== null) return;
  const deadline = Date.now() + (options.windowMs ?? 5000);
  let holder: { group: number; since: number } | undefined;
  const look = () => {
    if (!options.stillRunning()) return;
    const group = commandHolding();
    const now = Date.now();
    if (typeof group !== 'number') holder = undefined;
    else if (holder?.group !== group) holder = { group, since: now };
    else if (now - holder.since >= graceMs) {
      if (isAlive(group, readStat)) options.retype();
      return;
    }
    if (now < deadline || holder !== undefined) setTimeout(look, options.pollMs ?? 10).unref();
  };
  look();
}

/** Whether a process exists and has not ended (a zombie has, until its parent reaps it). */
function isAlive(pid: number, readStat: (pid: number) => string | undefined): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
}
