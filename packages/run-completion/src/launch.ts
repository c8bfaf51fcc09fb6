import { RunCompletionError } from './errors.js';
import {
  bashAfterExecScript,
  bashScript,
  fishExecSnippet,
  fishQuote,
  fishScript,
  posixEnvScript,
  zshFiles,
} from './internal/integration-scripts.js';
import { type CompletionMode, selectMode } from './mode.js';
import { detectShellKind, type ShellKind } from './shell-kind.js';
import { assertValidToken } from './token.js';

/** Options of {@link createShellLaunch}. */
export interface ShellLaunchOptions {
  /** The shell executable, as it will be spawned (`/bin/bash`, `/usr/bin/busybox`, `zsh`, …). */
  shell: string;
  /** The session's secret token (`createSessionToken()`); the same one goes to the coordinator. */
  token: string;
  /**
   * Absolute path of a private directory the host owns (mode 0700) where it will write
   * {@link ShellLaunch.files}. The scripts refer to it by this path.
   */
  directory: string;
  /**
   * The shell's kind.
   * @default detectShellKind(shell)
   */
  kind?: ShellKind | undefined;
  /**
   * The completion mode.
   * @default selectMode({ kind }) (which assumes an old bash unless told its version: prefer the
   * `mode` from `detectShell()`)
   */
  mode?: CompletionMode | undefined;
  /**
   * The environment the shell will be started with, before {@link ShellLaunch.env} is applied.
   * Read for the user's own `ZDOTDIR` (zsh) and `ENV` (POSIX shells), which the integration
   * restores and honours.
   * @default {}
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Start a login shell (reads the profile files as well).
   * @default false
   */
  login?: boolean | undefined;
}

/** One file the host writes before spawning the shell. */
export interface ShellIntegrationFile {
  /** Path relative to the launch directory, with `/` separators. */
  path: string;
  /** The file's text. */
  contents: string;
  /** The file mode: always 0o600, because the file carries the session token. */
  mode: number;
}

/** Everything needed to spawn a shell with the integration installed. */
export interface ShellLaunch {
  /** The executable to spawn. */
  file: string;
  /** Its arguments. */
  args: string[];
  /** Variables to add to (or replace in) the shell's environment. They never carry the token. */
  env: Record<string, string>;
  /** Files to write under the launch directory before spawning. */
  files: ShellIntegrationFile[];
  /** The shell's kind. */
  kind: ShellKind;
  /** The mode to create the coordinator with. */
  mode: CompletionMode;
}

const FILE_MODE = 0o600;

/**
 * Works out how to start a shell with the completion integration: arguments, environment additions
 * and the script files to write (pure: no I/O). The user's own startup files still run, first, and
 * are never modified; the token is written only into the 0600 files, never into the environment
 * or the arguments.
 *
 * - bash: `--rcfile <dir>/bash/integration.bash` (login shells: the rcfile reads the profile files);
 *   `<dir>/bash/after-exec.bash` and `<dir>/bash/exec.bash` (its rcfile) for a bash that `exec bash`
 *   starts
 * - zsh: `ZDOTDIR=<dir>/zsh` with `.zshenv`/`.zprofile`/`.zshrc` wrappers around the user's own
 * - fish: `--init-command "source <dir>/fish/integration.fish"`; `<dir>/fish/exec` holds the
 *   `vendor_conf.d` snippet a fish that `exec fish` starts reads
 * - dash, ksh, busybox sh, other `sh`: `ENV=<dir>/sh/env.sh`
 * - unknown shells: spawned as they are; write `coordinator.probe()` once to learn they are ready
 */
export function createShellLaunch(options: ShellLaunchOptions): ShellLaunch {
  if (typeof options.shell !== 'string' || options.shell === '') {
    throw new RunCompletionError(
      'INVALID_OPTION',
      'shell must be the path or name of the shell executable',
    );
  }
  assertValidToken(options.token, 'the session token');
  const directory = options.directory;
  if (typeof directory !== 'string' || !directory.startsWith('/') || directory.includes('\0')) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `directory must be an absolute path, got ${JSON.stringify(directory)}; pass the private directory the files will be written to`,
    );
  }
  const base = directory.replace(/\/+$/, '') || '/';
  const at = (relative: string) => `${base === '/' ? '' : base}/${relative}`;
  const kind = options.kind ?? detectShellKind(options.shell);
  const mode = options.mode ?? selectMode({ kind });
  const login = options.login === true;
  const env = options.env ?? {};
  const file = (path: string, contents: string): ShellIntegrationFile => ({
    path,
    contents,
    mode: FILE_MODE,
  });
  const loginArgs = login ? ['-l'] : [];

  if (mode === 'prompt-hook' && kind !== 'bash' && kind !== 'zsh' && kind !== 'fish') {
    throw new RunCompletionError(
      'UNSUPPORTED_SHELL',
      `${kind} shells have no prompt hooks to install; start ${options.shell} in postamble mode (selectMode() picks it)`,
    );
  }
  switch (kind) {
    case 'bash': {
      const rcfile = 'bash/integration.bash';
      const execFiles = { afterExec: 'bash/after-exec.bash', rcfile: 'bash/exec.bash' };
      const execPaths = { afterExec: at(execFiles.afterExec), rcfile: at(execFiles.rcfile) };
      return {
        file: options.shell,
        args: ['--rcfile', at(rcfile), '-i'],
        env: {},
        files: [
          file(rcfile, bashScript(options.token, mode, login, execPaths)),
          ...(mode === 'prompt-hook'
            ? [
                file(execFiles.afterExec, bashAfterExecScript(options.token, execPaths)),
                file(execFiles.rcfile, bashScript(options.token, mode, false, execPaths)),
              ]
            : []),
        ],
        kind,
        mode,
      };
    }
    case 'zsh': {
      const wrappers = zshFiles({
        token: options.token,
        mode,
        ownDirectory: at('zsh'),
        userZdotdir: env.ZDOTDIR,
      });
      return {
        file: options.shell,
        args: [...loginArgs, '-i'],
        env: { ZDOTDIR: at('zsh') },
        files: Object.entries(wrappers).map(([name, contents]) => file(`zsh/${name}`, contents)),
        kind,
        mode,
      };
    }
    case 'fish': {
      if (mode === 'postamble') {
        throw new RunCompletionError(
          'UNSUPPORTED_SHELL',
          'fish has no postamble mode (its syntax is not POSIX); start fish in prompt-hook mode',
        );
      }
      const script = 'fish/integration.fish';
      const execDataDirectory = 'fish/exec';
      return {
        file: options.shell,
        args: [...loginArgs, '-i', '--init-command', `source ${fishQuote(at(script))}`],
        env: {},
        files: [
          file(script, fishScript(options.token, at(execDataDirectory))),
          file(
            `${execDataDirectory}/fish/vendor_conf.d/lifeline-exec.fish`,
            fishExecSnippet(at(script), at(execDataDirectory)),
          ),
        ],
        kind,
        mode,
      };
    }
    case 'dash':
    case 'ksh':
    case 'busybox':
    case 'posix': {
      const script = 'sh/env.sh';
      const viaBusybox = kind === 'busybox' && /(^|\/)busybox$/.test(options.shell);
      return {
        file: options.shell,
        args: [...(viaBusybox ? ['sh'] : []), ...loginArgs, '-i'],
        env: { ENV: at(script) },
        files: [
          file(
            script,
            posixEnvScript({
              token: options.token,
              userEnv: env.ENV,
              defaultEnvFile: kind === 'ksh' ? '$HOME/.kshrc' : undefined,
              expandsPrompts: kind === 'dash' || kind === 'busybox',
            }),
          ),
        ],
        kind,
        mode,
      };
    }
    case 'unknown':
      return { file: options.shell, args: loginArgs, env: {}, files: [], kind, mode };
  }
}
