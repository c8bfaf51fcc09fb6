// The startup scripts that teach each shell to print frames. Every script first runs the user's
// own startup files (which are never modified), then adds the hooks. The session token is written
// into function bodies and prompt strings only, never into a variable that could be exported.

import { FRAME_PREFIX } from './frame-syntax.js';
import {
  incompleteHandlerSh,
  POSTAMBLE_FUNCTIONS_SH,
  POSTAMBLE_SETTINGS_SH,
  readyFrameSh,
} from './shell-files.js';

/** What a run whose command needed more lines prints (every shell but fish, which has its own). */
const incompleteMessage =
  'lifeline: the command is incomplete (an unterminated quote or bracket, a missing keyword, a trailing | or &&, or a here-document) and was not run';

/** Quotes `value` as one word for bash, zsh, dash, ksh and busybox sh. */
export function posixQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quotes `value` as one word for fish. */
export function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

// The frame prefix as printf and prompt strings spell it (`\e` in bash/zsh/fish, `\033` in sh).
const framePrefixAfterEscape = FRAME_PREFIX.slice(1);

/** Key sequences no terminal sends, bound to note each Enter and to accept the line (bash). */
const enterMarkKeys = '\\e[9;9~';
const acceptLineKeys = '\\e[9;8~';

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

/** The bash `--rcfile`: the user's files, then PS0 (command started) and PROMPT_COMMAND (prompt). */
export function bashScript(
  token: string,
  mode: 'prompt-hook' | 'postamble',
  login: boolean,
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
  const frame = `\\e${framePrefixAfterEscape}${token}`;
  const startFrame = `${frame};S;$((__lifeline_n+=1));\${__lifeline_line}\\e\\\\`;
  // PS1 shown again with no prompt hook run since it was last shown: a line bash dropped because
  // its history expansion failed. Reported as a command of its own that ended with status 1 (a
  // start frame, then a prompt frame); the last part sets the flag, showing nothing.
  // The frames end with $__lifeline_st: a backslash written before the closing brace would escape it.
  const reprompt =
    `\\[\${__lifeline_reprompted:+` +
    `${frame};S;$((__lifeline_prompt_n=__lifeline_n+=1));$__lifeline_line$__lifeline_st` +
    `${frame};P;$__lifeline_n;1;$__lifeline_cwd$__lifeline_st}\\]` +
    `\${__lifeline_one:$((__lifeline_reprompted=1)):0}\${__lifeline_one:$((__lifeline_entered=0)):0}`;
  return `${header('bash', mode)}${userFiles}
${quietStart}
# Nothing below may be exported, not even under set -a.
case $- in *a*) __lifeline_allexport=1; set +a ;; *) __lifeline_allexport= ;; esac

# Commands started so far; PS0 counts each one as bash starts it (not for empty lines).
__lifeline_n=0
# The counter and history number at the last prompt: a line bash saved in its history that started
# no command (a syntax error, a comment) counts as a command of its own, ended by the next prompt.
__lifeline_prompt_n=0
__lifeline_histcmd=
# Such a line is not saved when HISTCONTROL or HISTIGNORE leave it out (the same line twice under
# ignoredups, say): Enter also notes that a line with text in it was submitted (an empty one
# starts nothing and is no command). It runs a key sequence bound to that, then one bound to
# accept-line; in every keymap, so that vi mode has it too; for Ctrl+J as well, which is what Enter
# becomes when typed before the line editor set up the terminal (ICRNL). (It replaces a binding of
# Enter made in the user's files.) A line dropped by a failed history expansion clears the note.
# It also keeps the line, percent-encoded for the start frame PS0 prints (cleared at each prompt:
# a line accepted without the binding is reported without its text).
__lifeline_entered=0
__lifeline_line=
__lifeline_enter() {
  local -
  set +x
  [[ -z \${READLINE_LINE//[[:space:]]/} ]] || __lifeline_entered=1
  __lifeline_line=\${READLINE_LINE//\\%/%25}
  __lifeline_line=\${__lifeline_line//$'\\e'/%1B}
  __lifeline_line=\${__lifeline_line//$'\\n'/%0A}
  __lifeline_line=\${__lifeline_line//$'\\r'/%0D}
}
for __lifeline_keymap in emacs vi-insert vi-command; do
  builtin bind -m "$__lifeline_keymap" -x '"${enterMarkKeys}": __lifeline_enter' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"${acceptLineKeys}": accept-line' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\\C-m": "${enterMarkKeys}${acceptLineKeys}"' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\\C-j": "${enterMarkKeys}${acceptLineKeys}"' 2>/dev/null
done
unset __lifeline_keymap
# Set by each prompt's hook, cleared by the guard at the end of PROMPT_COMMAND (see below).
__lifeline_prompted=
# The cwd as the last prompt frame carried it, for a line reported by PS1 (see below).
__lifeline_cwd=
# Set once PS1 was shown, cleared by each prompt hook.
__lifeline_reprompted=
__lifeline_one=1
__lifeline_st=$'\\e\\\\'
# A line whose history expansion fails (echo !nosuchevent) runs nothing and no prompt hook: bash
# only shows PS1 again, which then reports it (see __lifeline_ps1). An expansion loaded back into
# the line editor instead of run would have the next command appended to it.
__lifeline_ps1='${reprompt}'
shopt -u histverify histreedit
# A command line bash cannot run without more lines (an unterminated quote, a missing done, a
# trailing |, a here-document) would take the next command typed as its continuation: asked for
# one (PS2), the shell interrupts itself, and the next prompt reports the run as failed with 2.
__lifeline_incomplete=
__lifeline_ps2='\${__lifeline_one:$((__lifeline_incomplete=1)):0}$(kill -INT $$)'

__lifeline_prompt() {
  local __lifeline_status=$?
  local -
  set +x
  __lifeline_prompted=1
  __lifeline_reprompted=
  __lifeline_cwd=\${PWD//\\%/%25}
  __lifeline_cwd=\${__lifeline_cwd//$'\\e'/%1B}
  __lifeline_cwd=\${__lifeline_cwd//$'\\n'/%0A}
  __lifeline_cwd=\${__lifeline_cwd//$'\\r'/%0D}
  if [[ -n $__lifeline_incomplete || ( $__lifeline_n == "$__lifeline_prompt_n" && ( $__lifeline_entered == 1 || ( -n $__lifeline_histcmd && \${HISTCMD-} != "$__lifeline_histcmd" ) ) ) ]]; then
    builtin printf '${frame};S;%s;%s\\e\\\\' "$((__lifeline_n+=1))" "$__lifeline_line"
    if [[ -n $__lifeline_incomplete ]]; then
      __lifeline_incomplete=
      __lifeline_status=2
      builtin printf '%s\\n' ${posixQuote(incompleteMessage)}
    fi
  fi
  __lifeline_prompt_n=$__lifeline_n
  __lifeline_histcmd=\${HISTCMD-}
  __lifeline_entered=0
  __lifeline_line=
  builtin printf '${frame};P;%s;%s;%s\\e\\\\' "$__lifeline_n" "$__lifeline_status" "$__lifeline_cwd"
  # Something replaced PS0 after startup: put the start frame back in front of it.
  case \${PS0-} in
    *'${startFrame.slice(0, startFrame.indexOf(';S;') + 3)}'*) ;;
    *) PS0='${startFrame}'"\${PS0-}" ;;
  esac
  return "$__lifeline_status"
}

# Something (a prompt theme) replaced PS1 or PS2: put the reports of dropped lines and incomplete
# commands back in front of them. Run last in PROMPT_COMMAND, after whatever the user has it run.
__lifeline_prompts_first() {
  # They carry the token (and PS2 a self-interrupt): exported, they would reach every child.
  builtin export -n PS0 PS1 PS2
  case \${PS1-} in
    "$__lifeline_ps1"*) ;;
    *) PS1=$__lifeline_ps1\${PS1-} ;;
  esac
  case \${PS2-} in
    "$__lifeline_ps2"*) ;;
    *) PS2=$__lifeline_ps2\${PS2-} ;;
  esac
}

__lifeline_return() { return "$1"; }

# The last element of PROMPT_COMMAND (bash 5.1 and later run every element of the array, each with
# the command's $?). A user file sourced again (. ~/.bashrc) that assigns PROMPT_COMMAND a string
# replaces only the first element, which starts with the hook: this reports the prompt in its place
# and puts the hook back in front of what the user assigned.
__lifeline_prompt_guard() {
  local __lifeline_status=$?
  local -
  set +x
  if [[ -z $__lifeline_prompted ]]; then
    PROMPT_COMMAND[0]="__lifeline_prompt\${PROMPT_COMMAND[0]:+$'\\n'\${PROMPT_COMMAND[0]}}"
    __lifeline_return "$__lifeline_status"
    __lifeline_prompt
  fi
  __lifeline_prompted=
  __lifeline_prompts_first
  return "$__lifeline_status"
}

PS0='${startFrame}'"\${PS0-}"
__lifeline_prompts_first
# Exported, it would reach nested shells, which do not have the functions.
case $(declare -p PROMPT_COMMAND 2>/dev/null) in 'declare -'*x*) export -n PROMPT_COMMAND ;; esac
if (( BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1) )); then
  case $(declare -p PROMPT_COMMAND 2>/dev/null) in
    'declare -a'*) PROMPT_COMMAND=(__lifeline_prompt "\${PROMPT_COMMAND[@]}" __lifeline_prompt_guard) ;;
    *) PROMPT_COMMAND=("__lifeline_prompt\${PROMPT_COMMAND:+$'\\n'$PROMPT_COMMAND}" __lifeline_prompt_guard) ;;
  esac
else
  PROMPT_COMMAND="__lifeline_prompt\${PROMPT_COMMAND:+$'\\n'$PROMPT_COMMAND}"$'\\n'__lifeline_prompts_first
fi

if [ -n "$__lifeline_allexport" ]; then set -a; fi
unset __lifeline_allexport
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
  const frame = `\\e${framePrefixAfterEscape}${token}`;
  return {
    '.zshenv': zshenv,
    '.zprofile': zprofile,
    '.zshrc': `${userZshrc}
${quietStart}
typeset -gi __lifeline_n=0 __lifeline_eol_mark=0 __lifeline_lines=0 __lifeline_prompt_n=0 __lifeline_prompt_lines=0
typeset -gi __lifeline_incomplete=0
typeset -g __lifeline_line=''
# zsh prints its partial-line mark (PROMPT_SP) before running precmd, which would put it inside
# the finished command's output. The integration prints the same mark itself, after the frame.
if [[ -o prompt_sp ]]; then __lifeline_eol_mark=1; builtin unsetopt prompt_sp; fi

# emulate -L makes option changes local; it leaves xtrace alone, so that goes off explicitly.
# The command line, percent-encoded for a frame, in REPLY.
__lifeline_encode() {
  REPLY=\${1//\\%/%25}
  REPLY=\${REPLY//$'\\e'/%1B}
  REPLY=\${REPLY//$'\\n'/%0A}
  REPLY=\${REPLY//$'\\r'/%0D}
}

# $1 is the line as typed (empty with history off: then the line as run, aliases expanded).
__lifeline_preexec() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  local REPLY
  (( ++__lifeline_n ))
  __lifeline_encode "\${1:-$3}"
  builtin printf '${frame};S;%d;%s\\e\\\\' $__lifeline_n "$REPLY"
}

# Counts the non-blank lines zle accepts. One that started no command (a parse error, a failed
# history expansion) counts as a command of its own, ended by the next prompt.
__lifeline_line_finish() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  if [[ -n \${BUFFER//[[:space:]]/} ]]; then (( ++__lifeline_lines )); __lifeline_line=$BUFFER; fi
}

# A command line zsh cannot run without more lines (an unterminated quote, a missing done, a
# trailing |, a here-document) would take the next command typed as its continuation: asked for
# one (zle starts with the lines so far in PREBUFFER), zle gives up on the command, and the next
# prompt reports the run as failed with 2.
__lifeline_line_init() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  if [[ -n $PREBUFFER ]]; then
    __lifeline_incomplete=1
    zle send-break
  fi
}

__lifeline_precmd() {
  local -i __lifeline_status=$? __lifeline_mark=0
  if (( __lifeline_incomplete )); then __lifeline_status=2; fi
  if [[ -o prompt_sp ]]; then __lifeline_eol_mark=1; builtin unsetopt prompt_sp; fi
  if (( __lifeline_eol_mark )) && [[ -o prompt_cr ]]; then __lifeline_mark=1; fi
  __lifeline_prompt_frame $__lifeline_status $__lifeline_mark
  return __lifeline_status
}

__lifeline_prompt_frame() {
  builtin emulate -L zsh -o extended_glob
  builtin setopt no_xtrace
  local cwd=\${PWD//\\%/%25}
  cwd=\${cwd//$'\\e'/%1B}
  cwd=\${cwd//$'\\n'/%0A}
  cwd=\${cwd//$'\\r'/%0D}
  if (( __lifeline_incomplete || (__lifeline_n == __lifeline_prompt_n && __lifeline_lines != __lifeline_prompt_lines) )); then
    local REPLY
    __lifeline_encode "$__lifeline_line"
    builtin printf '${frame};S;%d;%s\\e\\\\' $(( ++__lifeline_n )) "$REPLY"
    if (( __lifeline_incomplete )); then
      __lifeline_incomplete=0
      builtin printf '%s\\n' ${posixQuote(incompleteMessage)}
    fi
  fi
  __lifeline_prompt_n=$__lifeline_n
  __lifeline_prompt_lines=$__lifeline_lines
  builtin printf '${frame};P;%d;%d;%s\\e\\\\' $__lifeline_n $1 "$cwd"
  if (( $2 )); then
    local mark=\${PROMPT_EOL_MARK-'%B%S%#%s%b'}
    local shown=\${(%)mark}
    local plain=\${shown//$'\\e'\\[[0-9;]#[A-Za-z]/}
    local -i width=\${(m)#plain} wraps_late=0
    if zmodload zsh/terminfo 2>/dev/null && [[ -n \${terminfo[xenl]-} ]]; then wraps_late=1; fi
    builtin printf '%s%*s\\r%*s\\r' "$shown" $(( COLUMNS - width - 1 + wraps_late )) '' $width ''
  fi
}

typeset -ga preexec_functions precmd_functions
preexec_functions=(__lifeline_preexec \${preexec_functions:#__lifeline_preexec})
precmd_functions=(__lifeline_precmd \${precmd_functions:#__lifeline_precmd})
if builtin autoload -Uz add-zle-hook-widget 2>/dev/null; then
  add-zle-hook-widget line-finish __lifeline_line_finish 2>/dev/null
  add-zle-hook-widget line-init __lifeline_line_init 2>/dev/null
fi
${quietEnd}
`,
  };
}

// ESC \ for fish's printf: inside fish single quotes `\\` stands for one backslash.
const fishStringTerminator = '\\e\\\\\\\\';

/** The fish script run by --init-command, after the user's config.fish and conf.d. */
export function fishScript(token: string): string {
  const frame = `\\e${framePrefixAfterEscape}${token}`;
  return `${header('fish', 'prompt-hook')}
set -g __lifeline_n 0

# Each handler first shadows fish_trace (the user's tracing must not print the token).
function __lifeline_preexec --on-event fish_preexec
    set -l fish_trace
    # fish announces whitespace-only lines too; they run nothing, so they are not counted.
    set -l __lifeline_line (string trim -- $argv)
    test -n "$__lifeline_line"; or return
    set -g __lifeline_n (math $__lifeline_n + 1)
    printf '${frame};S;%s;%s${fishStringTerminator}' $__lifeline_n (string escape --style=url -- "$argv")
end

# Completion is reported right after the command, before fish prints its partial-line mark.
function __lifeline_postexec --on-event fish_postexec
    set -l __lifeline_status $status
    set -l fish_trace
    printf '${frame};P;%s;%s;%s${fishStringTerminator}' $__lifeline_n $__lifeline_status (string escape --style=url -- $PWD)
end

# fish keeps a line it cannot parse in the command line, where the next line typed would be
# appended to it. Enter on such a line shows fish's error, clears the line and ends it as a command
# of its own with status 2 (what a shell reports for a syntax error).
function __lifeline_execute
    set -l fish_trace
    if commandline --paging-mode
        commandline -f execute
        return
    end
    set -l __lifeline_line (commandline | string collect)
    # An empty line counts as invalid, but runs nothing and prints a prompt: fish handles it. An
    # incomplete one (status 2: an unterminated quote, a missing end) would wait for more lines and
    # take the next command typed as its rest: it is rejected like an invalid one.
    if string match -qr '^\\s*$' -- "$__lifeline_line"; or commandline --is-valid
        commandline -f execute
        return
    end
    commandline -r ''
    printf '\\r\\n'
    set -l __lifeline_fish (status fish-path)
    command $__lifeline_fish --no-execute --command $__lifeline_line 2>&1
    set -g __lifeline_n (math $__lifeline_n + 1)
    printf '${frame};S;%s;%s${fishStringTerminator}' $__lifeline_n (string escape --style=url -- "$__lifeline_line")
    printf '${frame};P;%s;2;%s${fishStringTerminator}' $__lifeline_n (string escape --style=url -- $PWD)
    commandline -f repaint
end
for __lifeline_mode in default insert
    bind -M $__lifeline_mode \\r __lifeline_execute
    bind -M $__lifeline_mode \\n __lifeline_execute
end
set -e __lifeline_mode

# Every prompt, including the first one (ready) and the one after an empty line.
function __lifeline_prompt --on-event fish_prompt
    set -l __lifeline_status $status
    set -l fish_trace
    printf '${frame};P;%s;%s;%s${fishStringTerminator}' $__lifeline_n $__lifeline_status (string escape --style=url -- $PWD)
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
