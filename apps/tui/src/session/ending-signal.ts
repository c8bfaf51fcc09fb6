/**
 * Signals 1 to 31 by number, as Linux numbers them (Node's `os.constants.signals` there; the
 * first of two names for a number: `SIGABRT`, not `SIGIOT`). Fixed rather than read from the
 * platform, so a status reads the same wherever the transcript is shown.
 */
const SIGNAL_NAMES = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
] as const;

/** The status a shell gives a command a signal ended: 128 + the signal's number. */
const SIGNALLED_STATUS_BASE = 128;

/**
 * The signal a command's exit status says ended it: `SIGINT` for 130 (Ctrl+C), `SIGKILL` for 137,
 * `SIGTERM` for 143; a status from 129 to 159 names signal 1 to 31 as Linux numbers them.
 *
 * A shell gives a command a signal killed 128 + the signal's number, and a command that ends with
 * `exit 130` gets the same status: the two cannot be told apart from the status, so such an exit
 * is named after the signal too, as zsh and bash name a status (`kill -l 130` prints `INT`) and
 * as prompts that show the status (powerlevel10k's, starship's) do.
 * @returns null for a status outside 129 to 159
 */
export function endingSignalOf(exitStatus: number): string | null {
  return SIGNAL_NAMES[exitStatus - SIGNALLED_STATUS_BASE - 1] ?? null;
}
