// The startup scripts that teach each shell to print frames. Every script first runs the user's
// own startup files (which are never modified), then adds the hooks. The session token is written
// into function bodies and prompt strings only, never into a variable that could be exported.

import {
  bashPromptHook,
  fishPromptHook,
  zshPromptHook,
  incompleteHandlerSh,
  POSTAMBLE_FUNCTIONS_SH,
  POSTAMBLE_SETTINGS_SH,
  readyFrameSh,
} from './shell-files.js';

/** Quotes `value` as one word for bash, zsh, dash, ksh and busybox sh. */
export function posixQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quotes `value` as one word for fish. */
export function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

const header = (shell: string, mode: string) =>
  `# Lifeline shell integration for ${shell} (${mode} mode), generated for one shell session.
# It carries the session's secret token: keep it private (mode 0600) and never export it.
`;

// The user's rc may have turned on xtrace or verbose: the lines below carry the token, so they
// must not be traced or echoed. The guard's own line is silenced; the options come back after.
const quietStart = `{ __lifeline_options=$-; set +xv; } 2>/dev/null`;
const quietEnd = `case $__lifeline_options in *x*) set -x ;; esac
case $__lifeline_options in *v*) set -v ;; esac
unset __lifeline_options`;

/**
 * Postamble mode's settings, after the user's files: none exported, even under a `set -a` the
 * user's files left on (nested shells would start with no prompt, or one calling a function they
 * do not have).
 */
const postambleSettingsSh = (token: string, expandsPrompts: boolean) =>
  `case $- in *a*) __lifeline_allexport=1; set +a ;; *) __lifeline_allexport= ;; esac
${POSTAMBLE_FUNCTIONS_SH}${POSTAMBLE_SETTINGS_SH}${expandsPrompts ? incompleteHandlerSh(token) : ''}if [ -n "$__lifeline_allexport" ]; then set -a; fi
unset __lifeline_allexport`;

/** Where the files a bash replaced by `exec bash` reads are (absolute paths; prompt-hook mode). */
export interface BashExecFiles {
  /** {@link bashAfterExecScript}'s file, which the `PROMPT_COMMAND` exported for the exec sources. */
  afterExec: string;
  /** The rcfile a plain `exec bash` is given: {@link bashScript}'s for a bash that is no login shell. */
  rcfile: string;
}

/** bash's hooks, with the paths of the files an `exec bash` reads. */
const bashHooks = (token: string, execFiles: BashExecFiles) =>
  bashPromptHook(token, posixQuote(execFiles.afterExec), posixQuote(execFiles.rcfile));

/** The bash `--rcfile`: the user's files, then PS0 (command started) and PROMPT_COMMAND (prompt). */
export function bashScript(
  token: string,
  mode: 'prompt-hook' | 'postamble',
  login: boolean,
  execFiles: BashExecFiles,
): string {
  const userFiles = login
    ? `# The user's own login files, in the order a login bash reads them.
if [ -r /etc/profile ]; then . /etc/profile; fi
if [ -r ~/.bash_profile ]; then . ~/.bash_profile
elif [ -r ~/.bash_login ]; then . ~/.bash_login
elif [ -r ~/.profile ]; then . ~/.profile
fi
`
    : `# The user's own ~/.bashrc, which --rcfile replaced.
if [ -r ~/.bashrc ]; then . ~/.bashrc; fi
`;
  if (mode === 'postamble') {
    return `${header('bash', mode)}${userFiles}
${quietStart}
${postambleSettingsSh(token, true)}
${readyFrameSh(token)}${quietEnd}
`;
  }
  return `${header('bash', mode)}${userFiles}
${quietStart}
${bashHooks(token, execFiles)}${quietEnd}
`;
}

/**
 * The file (at `execFiles.afterExec`) that the `PROMPT_COMMAND` exported for `exec bash` sources. In the
 * bash the exec started, at its first prompt, after that bash read the user's files itself: the
 * hooks alone, then this prompt's frame (hooks added while PROMPT_COMMAND runs wait for the next
 * prompt), which ends the run of the exec. At a prompt of the shell that armed it, the exec failed
 * or never ran: what was armed is given back, and run for this prompt.
 */
export function bashAfterExecScript(token: string, execFiles: BashExecFiles): string {
  return `${header('bash', 'prompt-hook')}
{ __lifeline_exec_status=$? __lifeline_options=$-; set +xv; } 2>/dev/null
if [[ -n \${__lifeline_exec_pending-} ]]; then
  __lifeline_exec_disarm
  ${quietEnd.replaceAll('\n', '\n  ')}
  for __lifeline_exec_command in "\${PROMPT_COMMAND[@]}"; do
    __lifeline_return "$__lifeline_exec_status"
    eval "$__lifeline_exec_command"
  done
  unset __lifeline_exec_command __lifeline_exec_status
  return
fi
${bashHooks(token, execFiles)}__lifeline_exec_take_back
__lifeline_return 0
__lifeline_prompt
__lifeline_prompts_first
unset __lifeline_exec_status
${quietEnd}
`;
}

export interface ZshFilesOptions {
  token: string;
  mode: 'prompt-hook' | 'postamble';
  /** Absolute path of the directory ZDOTDIR points at (ours). */
  ownDirectory: string;
  /** The user's ZDOTDIR before we replaced it, or undefined when it was unset. */
  userZdotdir: string | undefined;
}

/**
 * The zsh wrappers: ZDOTDIR points at our directory, whose .zshenv/.zprofile/.zshrc each run the
 * user's file of the same name from the user's ZDOTDIR (or HOME), then hand ZDOTDIR back.
 */
export function zshFiles(
  options: ZshFilesOptions,
): Record<'.zshenv' | '.zprofile' | '.zshrc', string> {
  const { token, mode } = options;
  const restoreOriginal =
    options.userZdotdir === undefined
      ? 'builtin unset ZDOTDIR'
      : `ZDOTDIR=${posixQuote(options.userZdotdir)}`;
  const useRemembered = `if (( \${+__lifeline_user_zdotdir} )); then ZDOTDIR=$__lifeline_user_zdotdir; else builtin unset ZDOTDIR; fi`;
  const remember = `if (( \${+ZDOTDIR} )); then __lifeline_user_zdotdir=$ZDOTDIR; else builtin unset __lifeline_user_zdotdir; fi`;
  const zshenv = `${header('zsh', mode)}
# ZDOTDIR points here only so that zsh reads these wrappers: give the user's value back first.
${restoreOriginal}
if [[ -r \${ZDOTDIR:-$HOME}/.zshenv ]]; then builtin source "\${ZDOTDIR:-$HOME}/.zshenv"; fi
if [[ -o interactive ]]; then
  # Their .zshenv may have moved ZDOTDIR: remember where their files live, then read ours next.
  ${remember}
  ZDOTDIR=${posixQuote(options.ownDirectory)}
fi
`;
  const zprofile = `${header('zsh', mode)}
${useRemembered}
if [[ -r \${ZDOTDIR:-$HOME}/.zprofile ]]; then builtin source "\${ZDOTDIR:-$HOME}/.zprofile"; fi
${remember}
ZDOTDIR=${posixQuote(options.ownDirectory)}
`;
  const userZshrc = `${header('zsh', mode)}
# From here on ZDOTDIR is the user's again (zsh reads their .zlogin from it).
${useRemembered}
builtin unset __lifeline_user_zdotdir
if [[ -r \${ZDOTDIR:-$HOME}/.zshrc ]]; then builtin source "\${ZDOTDIR:-$HOME}/.zshrc"; fi
`;
  if (mode === 'postamble') {
    return {
      '.zshenv': zshenv,
      '.zprofile': zprofile,
      '.zshrc': `${userZshrc}
${quietStart}
# Each run is typed as one line: lifelinebegin <token>; eval '<command>'; lifelineend <token>.
# A run whose line zsh abandoned (a syntax error, Ctrl-C) is reported before the next prompt.
${POSTAMBLE_FUNCTIONS_SH}typeset -ga precmd_functions
precmd_functions=(lifelineprompt \${precmd_functions:#lifelineprompt})
${readyFrameSh(token)}${quietEnd}
`,
    };
  }
  return {
    '.zshenv': zshenv,
    '.zprofile': zprofile,
    '.zshrc': `${userZshrc}
${quietStart}
typeset -g __lifeline_own_zdotdir=${posixQuote(options.ownDirectory)}
${zshPromptHook(token)}${quietEnd}
`,
  };
}

/**
 * The fish script run by --init-command, after the user's config.fish and conf.d.
 * `execDataDirectory` is the absolute path of the `XDG_DATA_DIRS` entry holding
 * {@link fishExecSnippet} (in `fish/vendor_conf.d/`).
 */
export function fishScript(token: string, execDataDirectory: string): string {
  return `${header('fish', 'prompt-hook')}${fishPromptHook(token, fishQuote(execDataDirectory))}`;
}

/**
 * The vendor_conf.d snippet that a fish started by `exec fish` in a session's fish reads at startup
 * (its directory first in XDG_DATA_DIRS), before the user's config.fish: it gives XDG_DATA_DIRS
 * back, then sources the integration at `integrationFile` at the first prompt, as --init-command
 * would have, after the user's config.fish. It holds no token.
 */
export function fishExecSnippet(integrationFile: string, execDataDirectory: string): string {
  return `# Lifeline shell integration for fish, generated for one shell session: read by a fish that
# \`exec fish\` started in the session's fish (see __lifeline_pass_to_exec in the integration).
if set -q __lifeline_carried_n
    if set -q __lifeline_xdg_data_dirs_unset
        set -e XDG_DATA_DIRS
    else
        set -gx XDG_DATA_DIRS (string replace -- ${fishQuote(`${execDataDirectory}:`)} '' "$XDG_DATA_DIRS")
    end
    set -e __lifeline_xdg_data_dirs_unset
    # The counter, for the integration, is exported no more.
    set -g -u __lifeline_carried_n $__lifeline_carried_n
    if status is-interactive
        function __lifeline_resume --on-event fish_prompt
            set -l fish_trace
            functions --erase __lifeline_resume
            source ${fishQuote(integrationFile)}
            # Handlers added while an event runs see the next one: this prompt's frame, which
            # ends the run of the exec, is printed here.
            __lifeline_prompt_frame 0
        end
    else
        set -e __lifeline_carried_n
    end
end
`;
}

export interface PosixEnvScriptOptions {
  token: string;
  /** The user's ENV before we replaced it, or undefined when it was unset. */
  userEnv: string | undefined;
  /** The file the shell reads when ENV is unset (ksh93: $HOME/.kshrc), if any. */
  defaultEnvFile: string | undefined;
  /** Whether the shell expands command substitutions in `PS2` (dash, busybox sh; not the kshs). */
  expandsPrompts: boolean;
}

/** The ENV file of dash, ksh and busybox sh: the user's ENV file, noflsh, then the ready frame. */
export function posixEnvScript(options: PosixEnvScriptOptions): string {
  const restore =
    options.userEnv === undefined ? 'unset ENV' : `ENV=${posixQuote(options.userEnv)}; export ENV`;
  const file = options.userEnv ?? options.defaultEnvFile;
  const userFile =
    file === undefined
      ? ''
      : `# The shell expands ENV before reading the file it names; so do we.
__lifeline_env=${posixQuote(file)}
eval "__lifeline_env=\\"$__lifeline_env\\""
if [ -r "$__lifeline_env" ]; then . "$__lifeline_env"; fi
unset __lifeline_env
`;
  return `${header('POSIX sh', 'postamble')}
# ENV points here only so that the shell reads this file: give the user's value back first.
${restore}
${userFile}
${quietStart}
${postambleSettingsSh(options.token, options.expandsPrompts)}
${readyFrameSh(options.token)}${quietEnd}
`;
}
