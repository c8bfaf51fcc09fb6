/**
 * The shells this package knows how to start and watch.
 *
 * - `bash`, `zsh`, `fish`: prompt-hook integrations (bash needs 4.4 for `PS0`).
 * - `dash`, `ksh` (ksh93), `busybox` (its `sh`/`ash`), `posix` (any other `sh`): postamble mode,
 *   started with an `ENV` file.
 * - `unknown`: postamble mode with no startup integration; call `coordinator.probe()` once.
 */
export type ShellKind = 'bash' | 'zsh' | 'fish' | 'dash' | 'ksh' | 'busybox' | 'posix' | 'unknown';

const kindsByName: Readonly<Record<string, ShellKind>> = {
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  dash: 'dash',
  ksh: 'ksh',
  ksh93: 'ksh',
  busybox: 'busybox',
  sh: 'posix',
  ash: 'posix',
  mksh: 'posix',
  yash: 'posix',
  posh: 'posix',
};

/**
 * Guesses the kind of a shell from its path alone (no file system access): the last path
 * component, without a login dash (`-bash`) or `.exe`. `/bin/sh` is `posix` whatever it links to;
 * `detectShell()` from `@lifeline/run-completion/node` resolves links and asks bash its version.
 */
export function detectShellKind(shellPath: string): ShellKind {
  const name = (shellPath.split(/[\\/]/).pop() ?? '')
    .replace(/^-/, '')
    .replace(/\.exe$/i, '')
    .toLowerCase();
  return kindsByName[name] ?? 'unknown';
}
