import type { ShellKind } from './shell-kind.js';

/**
 * How runs are detected.
 *
 * - `prompt-hook`: the shell's own hooks print a frame when a command starts and at every prompt.
 *   Nothing extra is typed, echoed or saved in history; commands may read the terminal.
 * - `postamble`: each command is followed by a ` printf …` line that prints the frame; works in
 *   any POSIX shell, including one reached over ssh.
 */
export type CompletionMode = 'prompt-hook' | 'postamble';

/** What is known about a shell when choosing its mode. */
export interface ShellDescription {
  /** The shell's kind, from `detectShellKind()` or `detectShell()`. */
  kind: ShellKind;
  /** The shell's version (`BASH_VERSION` for bash), when known. */
  version?: string | undefined;
}

/**
 * The mode to use for a shell: `prompt-hook` for zsh, fish and bash ≥ 4.4, `postamble` for
 * everything else. A bash whose `version` is not given (or not of the form `4.4…`) is taken for an
 * older one and gets `postamble`, which works with every bash: pass the version `detectShell()`
 * found to get `prompt-hook`.
 */
export function selectMode(shell: ShellDescription): CompletionMode {
  switch (shell.kind) {
    case 'zsh':
    case 'fish':
      return 'prompt-hook';
    case 'bash':
      return bashHasPs0(shell.version) ? 'prompt-hook' : 'postamble';
    default:
      return 'postamble';
  }
}

function bashHasPs0(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 4 || (major === 4 && minor >= 4);
}
