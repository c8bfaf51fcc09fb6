# zsh, prompt-hook mode: sourced by the .zshrc wrapper after the user's own .zshrc (with xtrace and
# verbose off), which sets __lifeline_own_zdotdir to the wrappers' directory. The frames carry the
# session token (written in place of its placeholder).
# A zsh that replaced the session's shell (`exec zsh`) goes on counting where it left off.
typeset -gi __lifeline_n=${__lifeline_carried_n:-0}
builtin unset __lifeline_carried_n
typeset -gi __lifeline_eol_mark=0 __lifeline_lines=0 __lifeline_prompt_n=0 __lifeline_prompt_lines=0
typeset -gi __lifeline_incomplete=0
# 1 once a line was accepted with the key runs typed by lifeline end with instead of Enter (see
# __lifeline_line_init).
typeset -gi __lifeline_own=0
typeset -g __lifeline_line=''
# zsh prints its partial-line mark (PROMPT_SP) before running precmd, which would put it inside
# the finished command's output. The integration prints the same mark itself, after the frame.
if [[ -o prompt_sp ]]; then __lifeline_eol_mark=1; builtin unsetopt prompt_sp; fi

# emulate -L makes option changes local; it leaves xtrace alone, so that goes off explicitly.
# The command line, percent-encoded for a frame, in REPLY. Split at each character and joined with
# its code: a pattern substitution (${1//…/…}) takes time in proportion to the rest of the line at
# each match, and a pasted line of 100,000 characters with many of them took seconds.
# A frame holds at most 256 KiB: a longer line is cut at 261,120 bytes, an escape cut in two left
# out, with a lone % after it (never in an encoded line) to say that it goes on.
__lifeline_encode() {
  REPLY=$1
  if [[ $REPLY == *[%$'\e\n\r']* ]]; then
    local character code
    for character code in % %25 $'\e' %1B $'\n' %0A $'\r' %0D; do
      [[ $REPLY == *$character* ]] && REPLY=${(pj:$code:)"${(@ps:$character:)REPLY}"}
    done
  fi
  # Counted in characters first (each at most 4 bytes): most lines need no byte count.
  (( ${#REPLY} > 65280 )) || return 0
  builtin setopt local_options no_multibyte
  (( ${#REPLY} > 261120 )) || return 0
  REPLY=${REPLY[1,261120]}
  REPLY=${REPLY%\%?}
  REPLY=${REPLY%\%}%
  return 0
}

# $1 is the line as typed (empty with history off: then the line as run, aliases expanded).
__lifeline_preexec() {
  {
    builtin emulate -L zsh
    builtin setopt no_xtrace
    local REPLY
    (( ++__lifeline_n ))
    __lifeline_encode "${1:-$3}"
    builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;S;%d;%s\e\\' $__lifeline_n "$REPLY"
    # Split into words only for a line that may be an exec: this runs before every command.
    if [[ $3 == *exec* ]]; then __lifeline_pass_to_exec "$3"; fi
  } 2>/dev/null
}

# `exec zsh` (to read one's config again) replaces the shell: the zsh it starts reads these files
# too, through ZDOTDIR, and goes on counting commands, so that the session goes on with runs. Only
# a zsh is told: another program, or the shells it starts, would find the files gone one day.
# (A zsh whose exec fails exits: nothing exported here outlives the command.)
__lifeline_pass_to_exec() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  local -a words=(${(z)1})
  [[ ${words[1]-} == exec ]] || return 0
  local -i at=2
  while [[ ${words[at]-} == -* ]]; do
    [[ ${words[at]} == -*a* ]] && (( at++ ))
    (( at++ ))
  done
  local command=${(Q)words[at]-}
  [[ $command == '$SHELL' || $command == '${SHELL}' ]] && command=${SHELL-}
  [[ ${command:t} == zsh ]] || return 0
  # A host that removed the files (once the session's shell was ready) gets the old behaviour: a
  # zsh pointed at a missing ZDOTDIR would read none of the user's files.
  [[ -r $__lifeline_own_zdotdir/.zshrc ]] || return 0
  builtin export ZDOTDIR=$__lifeline_own_zdotdir __lifeline_carried_n=$__lifeline_n
}

# Counts the non-blank lines zle accepts, with the lines before them at a continuation prompt
# (PREBUFFER). One that started no command (a parse error, a failed history expansion, a command
# whose continuation Ctrl+C cancelled) counts as a command of its own, ended by the next prompt.
__lifeline_line_finish() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  if [[ $BUFFER == *[^[:space:]]* || -n $PREBUFFER ]]; then
    (( ++__lifeline_lines ))
    __lifeline_line=$PREBUFFER$BUFFER
  fi
}

# A command line zsh cannot run without more lines (an unterminated quote, a missing done, a
# trailing |, a here-document) asks for them: zle starts with the lines so far in PREBUFFER. It
# reports a continuation frame and reads the next line from the person typing, as zsh does
# without lifeline. The command is one run once it starts. A run typed by lifeline has nobody to
# type its rest, and would take the next command typed as its continuation: zle gives up on the
# command, and the next prompt reports the run as failed with 2.
__lifeline_line_init() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  __lifeline_hooks_back
  # A new line, with no key waiting: zle has the terminal, editing (an editing frame naming no keys).
  if [[ -z $PREBUFFER ]]; then
    (( PENDING )) || builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;E;%d;\e\\' $__lifeline_n
    return 0
  fi
  if (( __lifeline_own )); then
    __lifeline_incomplete=1
    zle send-break
  else
    builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;K;%d\e\\' $__lifeline_n
  fi
}

# The Enter of a run typed by lifeline.
__lifeline_accept_own() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  __lifeline_own=1
  zle accept-line
}

# A run typed by lifeline starts with a key that sets aside what the user had typed at the prompt
# (the run would be typed onto it), and a key typed once the runs are done brings it back.
typeset -g __lifeline_aside=''
typeset -gi __lifeline_aside_cursor=0
__lifeline_set_aside() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  [[ -n $BUFFER ]] || return 0
  [[ -n $__lifeline_aside ]] || __lifeline_aside_cursor=$CURSOR
  __lifeline_aside+=$BUFFER
  BUFFER=''
  CURSOR=0
}
__lifeline_bring_back() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  [[ -n $__lifeline_aside ]] || return 0
  BUFFER=$__lifeline_aside$BUFFER
  CURSOR=$__lifeline_aside_cursor
  __lifeline_aside=''
}

# The hooks zsh calls around each command run with their stderr, where zsh writes the trace of each
# command under `set -x`, thrown away: a user tracing their commands sees theirs only.
__lifeline_precmd() {
  {
    local -i __lifeline_status=$? __lifeline_mark=0
    if (( __lifeline_incomplete )); then __lifeline_status=2; fi
    if [[ -o prompt_sp ]]; then __lifeline_eol_mark=1; builtin unsetopt prompt_sp; fi
    if (( __lifeline_eol_mark )) && [[ -o prompt_cr ]]; then __lifeline_mark=1; fi
    __lifeline_prompt_frame $__lifeline_status $__lifeline_mark
    return __lifeline_status
  } 2>/dev/null
}

__lifeline_prompt_frame() {
  builtin emulate -L zsh -o extended_glob
  builtin setopt no_xtrace
  local cwd=${PWD//\%/%25}
  cwd=${cwd//$'\e'/%1B}
  cwd=${cwd//$'\n'/%0A}
  cwd=${cwd//$'\r'/%0D}
  if (( __lifeline_incomplete || (__lifeline_n == __lifeline_prompt_n && __lifeline_lines != __lifeline_prompt_lines) )); then
    local REPLY
    __lifeline_encode "$__lifeline_line"
    builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;S;%d;%s\e\\' $(( ++__lifeline_n )) "$REPLY"
    if (( __lifeline_incomplete )); then
      __lifeline_incomplete=0
      # In place of the continuation prompt the interrupt left under the command.
      builtin printf '\e[A\r\e[K%s\n' 'lifeline: the command is incomplete (an unterminated quote or bracket, a missing keyword, a trailing | or &&, or a here-document) and was not run'
    fi
  fi
  __lifeline_prompt_n=$__lifeline_n
  __lifeline_prompt_lines=$__lifeline_lines
  __lifeline_own=0
  builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;P;%d;%d;%s\e\\' $__lifeline_n $1 "$cwd"
  if (( $2 )); then
    local mark=${PROMPT_EOL_MARK-'%B%S%#%s%b'}
    local shown=${(%)mark}
    local plain=${shown//$'\e'\[[0-9;]#[A-Za-z]/}
    local -i width=${(m)#plain} wraps_late=0
    if zmodload zsh/terminfo 2>/dev/null && [[ -n ${terminfo[xenl]-} ]]; then wraps_late=1; fi
    builtin printf '%s%*s\r%*s\r' "$shown" $(( COLUMNS - width - 1 + wraps_late )) '' $width ''
  fi
}

# Keys someone typed may leave zle in a mode of its own, where a run's text would be taken as keys
# of that mode. Before each redraw, once zle is back at editing the line (no incremental search,
# not vi's command mode nor menu selection) and has read every key typed so far, an editing frame
# says so, with the keys read last (by which lifeline tells a frame printed before the keys it
# has typed since were read). The redraw is done first: a completion list too long for the screen asks whether to
# show it while it is drawn, and reads the answer from the next key.
typeset -gi __lifeline_searching=0
__lifeline_search_update() { __lifeline_searching=1 }
__lifeline_search_exit() { __lifeline_searching=0 }
__lifeline_pre_redraw() {
  builtin emulate -L zsh
  builtin setopt no_xtrace
  (( PENDING || __lifeline_searching )) && return 0
  [[ $KEYMAP == (main|emacs|viins) ]] || return 0
  builtin zle -R
  local REPLY
  __lifeline_encode "$KEYS"
  builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;E;%d;%s\e\\' $__lifeline_n "$REPLY"
}

# A command that took the hooks out of precmd_functions or preexec_functions with the rest
# (`precmd_functions=()`) gets them back as the next line is edited, so that the commands after it
# are runs again. (Its own end goes unreported: the status it ended with cannot be told there.)
__lifeline_hooks_back() {
  (( ${precmd_functions[(Ie)__lifeline_precmd]} && ${preexec_functions[(Ie)__lifeline_preexec]} )) ||
    __lifeline_install_hooks
}
__lifeline_install_hooks() {
  typeset -ga preexec_functions precmd_functions
  preexec_functions=(__lifeline_preexec ${preexec_functions:#__lifeline_preexec})
  precmd_functions=(__lifeline_precmd ${precmd_functions:#__lifeline_precmd})
}
__lifeline_install_hooks
if builtin autoload -Uz add-zle-hook-widget 2>/dev/null; then
  add-zle-hook-widget line-finish __lifeline_line_finish 2>/dev/null
  add-zle-hook-widget line-init __lifeline_line_init 2>/dev/null
  add-zle-hook-widget line-pre-redraw __lifeline_pre_redraw 2>/dev/null
  add-zle-hook-widget isearch-update __lifeline_search_update 2>/dev/null
  add-zle-hook-widget isearch-exit __lifeline_search_exit 2>/dev/null
fi
builtin zle -N __lifeline_set_aside
builtin zle -N __lifeline_bring_back
builtin zle -N __lifeline_accept_own
# The end of a paste, outside one, does nothing (unbound, it would type `~`): lifeline types it
# after Ctrl+C that follows a paste, to end one the kernel cut short when it threw away the
# unread input.
__lifeline_paste_ended() { }
builtin zle -N __lifeline_paste_ended
for __lifeline_keymap in emacs viins vicmd; do
  builtin bindkey -M $__lifeline_keymap '\e[201~' __lifeline_paste_ended
  builtin bindkey -M $__lifeline_keymap '\e[9;7~' __lifeline_set_aside
  builtin bindkey -M $__lifeline_keymap '\e[9;6~' __lifeline_bring_back
  builtin bindkey -M $__lifeline_keymap '\e[9;5~' __lifeline_accept_own
done
builtin unset __lifeline_keymap
