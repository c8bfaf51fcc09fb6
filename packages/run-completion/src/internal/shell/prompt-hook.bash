# bash, prompt-hook mode: run by the --rcfile after the user's own files (with xtrace and verbose
# off). The frames carry the session token (written in place of its placeholder).
# shellcheck shell=bash
# Prompt strings are expanded when shown (SC2016); '\e\\' ends a frame, it escapes no quote
# (SC1003); PROMPT_COMMAND is a string or an array, as the bash version has it (SC2128, SC2178).
# shellcheck disable=SC1003,SC2016,SC2128,SC2178
# Nothing below may be exported, not even under set -a.
case $- in *a*) __lifeline_allexport=1; set +a ;; *) __lifeline_allexport= ;; esac

# Commands started so far; PS0 counts each one as bash starts it (not for empty lines). A bash that
# replaced the session's shell (`exec bash`) goes on counting where it left off.
__lifeline_n=0
if [[ ${__lifeline_carried_n-} =~ ^[0-9]+$ ]]; then __lifeline_n=$__lifeline_carried_n; fi
unset __lifeline_carried_n
# The counter and history number at the last prompt: a line bash saved in its history that started
# no command (a syntax error; a comment a program typed) counts as a command of its own, ended by
# the next prompt.
__lifeline_prompt_n=0
__lifeline_histcmd=
# Such a line is not saved when HISTCONTROL or HISTIGNORE leave it out (the same line twice under
# ignoredups, say): Enter also notes that a line with text in it was submitted (an empty one
# starts nothing and is no command). It runs a key sequence bound to that, then one bound to
# accept-line; in every keymap, so that vi mode has it too; for Ctrl+J as well, which is what Enter
# becomes when typed before the line editor set up the terminal (ICRNL). (It replaces a binding of
# Enter made in the user's files.) A line dropped by a failed history expansion clears the note.
# It also keeps the line, percent-encoded for the start frame PS0 prints (cleared at each prompt:
# a line accepted without the binding is reported without its text); a line typed at a
# continuation prompt (PS2) is added to the lines before it.
__lifeline_entered=0
__lifeline_line=
# 1 while bash reads a command's next line from the terminal at PS2 (see __lifeline_ps2).
__lifeline_more=0
# 1 once a line was accepted with the key runs typed by lifeline end with instead of Enter: such a
# command must be whole (nobody is there to type its rest).
__lifeline_own=0
# Line ends in the line accepted with Enter (a paste of several lines, a multi-line command
# recalled from history): bash reads each following line from what was accepted, not from the
# terminal, expanding PS1 (between the commands it holds) or PS2 (within one) without showing
# either. Each such expansion takes one; PS2 asking for a line beyond them asks the terminal.
__lifeline_buffered=0
# Splits $2 at each $1 into the array __lifeline_pieces (set by the caller): "a%b%" at % is a, b
# and an empty piece. Pattern substitutions (${line//…/…}) would take time in proportion to the
# rest of the line at each match in a multibyte locale, and a pasted line of 100,000 characters
# took seconds: mapfile reads the line once. It returns 1 when bash cannot give it the line (a
# here-string that finds no directory for its temporary file).
__lifeline_split() {
  builtin mapfile -t -d "$1" __lifeline_pieces 2>/dev/null <<<"$2" || return 1
  # The line end the here-string added is part of the last piece, unless it was what split them.
  [[ $1 == $'\n' ]] || __lifeline_pieces[-1]=${__lifeline_pieces[-1]%$'\n'}
}
# Percent-encodes, in the variable named $1, what a frame cannot carry as it is: %, ESC, LF, CR.
__lifeline_percent_encode() {
  local -n __lifeline_encoded=$1
  [[ $__lifeline_encoded == *[%$'\e\n\r']* ]] || return 0
  local IFS= __lifeline_character __lifeline_code __lifeline_last
  local -a __lifeline_pieces
  for __lifeline_character in % $'\e' $'\n' $'\r'; do
    [[ $__lifeline_encoded == *"$__lifeline_character"* ]] || continue
    builtin printf -v __lifeline_code '%%%02X' "'$__lifeline_character"
    if __lifeline_split "$__lifeline_character" "$__lifeline_encoded"; then
      # Each piece but the last is followed by the code, in one pass over the pieces.
      __lifeline_last=${__lifeline_pieces[-1]}
      builtin unset '__lifeline_pieces[-1]'
      __lifeline_encoded="${__lifeline_pieces[*]/%/$__lifeline_code}$__lifeline_last"
    else
      __lifeline_encoded=${__lifeline_encoded//"$__lifeline_character"/$__lifeline_code}
    fi
  done
}
__lifeline_enter() {
  { local -; set +x; } 2>/dev/null
  __lifeline_hooks_back
  local __lifeline_typed=$READLINE_LINE
  [[ $__lifeline_typed != *[![:space:]]* ]] || __lifeline_entered=1
  __lifeline_buffered=0
  if [[ $__lifeline_typed == *$'\n'* ]]; then
    local -a __lifeline_pieces
    if __lifeline_split $'\n' "$__lifeline_typed"; then
      __lifeline_buffered=$((${#__lifeline_pieces[@]} - 1))
    else
      local __lifeline_line_ends=${__lifeline_typed//[!$'\n']/}
      __lifeline_buffered=${#__lifeline_line_ends}
    fi
  fi
  if (( ! __lifeline_more )); then
    # A line that was to exec a bash and then ran nothing (a failed history expansion: no prompt
    # hook runs) left its handover armed.
    [[ -z ${__lifeline_exec_pending-} ]] || __lifeline_exec_disarm
    [[ $__lifeline_typed != *exec* ]] || ! __lifeline_execs_bash "$__lifeline_typed" || __lifeline_exec_arm
  fi
  __lifeline_percent_encode __lifeline_typed
  if (( __lifeline_more )); then
    __lifeline_line+=%0A$__lifeline_typed
  else
    __lifeline_line=$__lifeline_typed
  fi
  __lifeline_cut_line
}
# A frame holds at most 256 KiB: a longer line is sent cut at 261,120 bytes, an escape cut in two
# left out, with a lone % after it (never in an encoded line) to say that it goes on.
__lifeline_cut_line() {
  # Counted in characters first (each at most 4 bytes): most lines need no change of locale.
  (( ${#__lifeline_line} > 65280 )) || return 0
  local LC_ALL=C
  (( ${#__lifeline_line} > 261120 )) || return 0
  __lifeline_line=${__lifeline_line:0:261120}
  __lifeline_line=${__lifeline_line%\%?}
  __lifeline_line=${__lifeline_line%\%}%
}
# `exec bash` (to read one's config again) replaces the shell. The bash it starts reads the user's
# files itself, then runs a PROMPT_COMMAND it finds in its environment before its first prompt: for
# the exec of an interactive bash only, Enter exports there a command that sources a file holding
# these hooks again (and no user files), with the counter, so that the session goes on with runs.
# Another program, or the shells it starts, would find the file gone one day. It is done at Enter,
# before bash runs the line: no DEBUG trap of the user's is disturbed, and the line's first word is
# the exec. If the exec fails (an interactive bash goes on), the next prompt runs that file in this
# shell, which gives back what was armed here (see the file).
__lifeline_after_exec_file=LIFELINE_AFTER_EXEC_FILE
__lifeline_after_exec="builtin . ${__lifeline_after_exec_file@Q}"
# A user's file that sets PROMPT_COMMAND outright (PROMPT_COMMAND='history -a') drops that command:
# a plain `exec bash` (not a login bash, which reads no rcfile) is given an rcfile instead, as the
# session's first bash was: the user's ~/.bashrc, then these hooks (see __lifeline_exec_bash).
__lifeline_exec_rcfile=LIFELINE_EXEC_RCFILE
# Whether the line $1 starts with an exec of a bash that will be interactive (`exec bash -l`,
# `exec -l bash`, `exec $SHELL`; not `exec bash script` nor `exec bash -c …`, which never prompt).
__lifeline_execs_bash() {
  local IFS=$' \t\n' __lifeline_word __lifeline_takes_argument=
  local -a __lifeline_words
  local -i __lifeline_at=1
  builtin read -ra __lifeline_words <<<"$1"
  [[ ${__lifeline_words[0]-} == exec ]] || return 1
  while [[ ${__lifeline_words[__lifeline_at]-} == -* ]]; do
    [[ ${__lifeline_words[__lifeline_at]} != -*a* ]] || __lifeline_at+=1
    __lifeline_at+=1
  done
  __lifeline_word=${__lifeline_words[__lifeline_at]-}
  __lifeline_word=${__lifeline_word%;}
  __lifeline_word=${__lifeline_word#[\"\']}
  __lifeline_word=${__lifeline_word%[\"\']}
  [[ $__lifeline_word != '$SHELL' && $__lifeline_word != '${SHELL}' ]] || __lifeline_word=${SHELL-}
  [[ ${__lifeline_word##*/} == bash ]] || return 1
  for __lifeline_word in "${__lifeline_words[@]:__lifeline_at+1}"; do
    if [[ -n $__lifeline_takes_argument ]]; then
      __lifeline_takes_argument=
      continue
    fi
    case $__lifeline_word in
      ';' | '&&' | '||' | '#'*) break ;;
      --rcfile | --init-file | [-+]o | [-+]O) __lifeline_takes_argument=1 ;;
      --?*) ;;
      -*c*) return 1 ;;
      [-+]?*) ;;
      *) return 1 ;;
    esac
  done
}
# Exports the handover for the exec (PROMPT_COMMAND, an array from bash 5.1 on, is never exported:
# it is set aside and replaced with the string for as long as the exec is pending).
__lifeline_exec_arm() {
  local -
  set +a
  # A host that removed the files (once the session's shell was ready) gets the old behaviour.
  [[ -r $__lifeline_after_exec_file ]] || return 0
  __lifeline_exec_array=
  case $(declare -p PROMPT_COMMAND 2>/dev/null) in 'declare -a'*) __lifeline_exec_array=1 ;; esac
  __lifeline_exec_saved=("${PROMPT_COMMAND[@]}")
  builtin unset PROMPT_COMMAND 2>/dev/null || return 0
  __lifeline_exec_pending=1
  builtin export PROMPT_COMMAND="$__lifeline_after_exec" __lifeline_carried_n=$((__lifeline_n + 1))
  # exec is a function of ours for the line, ahead of the builtin (not in POSIX mode, where it
  # cannot be, nor over one of the user's).
  if [[ :$SHELLOPTS: != *:posix:* && -r $__lifeline_exec_rcfile ]] && ! builtin declare -F exec >/dev/null; then
    # shellcheck disable=SC2317 # called by the line, as exec
    exec() { __lifeline_exec_bash "$@"; }
    __lifeline_exec_function=1
  fi
}
# The exec of the line armed for it: of a bash given no startup file options and none with an l
# (-l, --login), with the session's rcfile and without the PROMPT_COMMAND handover (the rcfile
# installs the hooks); of anything else (exec -l bash) as it is, with the handover. Should the exec
# fail, the handover is exported again for the next prompt, which gives back what was armed.
__lifeline_exec_bash() {
  local - __lifeline_word __lifeline_status
  set +x
  builtin unset -f exec
  builtin unset __lifeline_exec_function
  [[ ${1##*/} == bash ]] || { builtin exec "$@"; return; }
  for __lifeline_word in "${@:2}"; do
    case $__lifeline_word in
      --rcfile | --init-file | --norc | --noprofile | --posix | -*l*) builtin exec "$@"; return ;;
    esac
  done
  builtin export -n PROMPT_COMMAND
  builtin exec "$1" --rcfile "$__lifeline_exec_rcfile" "${@:2}"
  __lifeline_status=$?
  builtin export PROMPT_COMMAND
  return "$__lifeline_status"
}
# Puts back what the exec's handover replaced, and exports nothing any more.
__lifeline_exec_disarm() {
  local -
  set +a
  builtin unset PROMPT_COMMAND __lifeline_carried_n __lifeline_exec_pending
  [[ -z ${__lifeline_exec_function-} ]] || builtin unset -f exec
  builtin unset __lifeline_exec_function
  if [[ -n $__lifeline_exec_array ]]; then
    PROMPT_COMMAND=("${__lifeline_exec_saved[@]}")
  else
    PROMPT_COMMAND=${__lifeline_exec_saved[0]-}
  fi
  builtin unset __lifeline_exec_saved __lifeline_exec_array
}
# In the bash the exec started: its PROMPT_COMMAND, which the user's files may have added to, with
# the handover taken out (and a separator next to it, so that what is left still parses).
__lifeline_exec_take_back() {
  local -i __lifeline_index
  local __lifeline_command __lifeline_form
  for __lifeline_index in "${!PROMPT_COMMAND[@]}"; do
    __lifeline_command=${PROMPT_COMMAND[__lifeline_index]}
    for __lifeline_form in "$__lifeline_after_exec; " "$__lifeline_after_exec;" "$__lifeline_after_exec"$'\n' "; $__lifeline_after_exec" ";$__lifeline_after_exec" $'\n'"$__lifeline_after_exec" "$__lifeline_after_exec"; do
      __lifeline_command=${__lifeline_command//"$__lifeline_form"/}
    done
    if [[ -n $__lifeline_command ]]; then
      PROMPT_COMMAND[__lifeline_index]=$__lifeline_command
    else
      builtin unset 'PROMPT_COMMAND[__lifeline_index]'
    fi
  done
}
# How PROMPT_COMMAND calls the hooks: with their stderr, where bash writes the trace of each command
# under `set -x`, thrown away, so that a user tracing their commands sees theirs only (what the
# hooks print goes to stdout). Key bindings call theirs plainly (a redirection parsed while bash
# reads a here-document's lines would end it), and those turn tracing off unseen: only the call
# shows in a trace.
__lifeline_run_prompt='{ __lifeline_prompt; } 2>/dev/null'
__lifeline_run_guard='{ __lifeline_prompt_guard; } 2>/dev/null'
# A command that took the hooks out of PROMPT_COMMAND with the rest (`unset PROMPT_COMMAND`,
# `PROMPT_COMMAND=()`) gets them back at the next Enter, so that the commands after it are runs
# again (not while an exec's handover has PROMPT_COMMAND on purpose).
__lifeline_hooks_back() {
  [[ -z ${__lifeline_exec_pending-} ]] || return 0
  case " ${PROMPT_COMMAND[*]-} " in *__lifeline_prompt*) return 0 ;; esac
  __lifeline_install_hooks
}
# Puts the prompt hook in front of what PROMPT_COMMAND holds, and (bash 5.1 and later, where it is
# an array) the guard behind it; before 5.1, the prompts' repair behind it.
__lifeline_install_hooks() {
  if (( BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1) )); then
    case $(declare -p PROMPT_COMMAND 2>/dev/null) in
      'declare -a'*) PROMPT_COMMAND=("$__lifeline_run_prompt" "${PROMPT_COMMAND[@]}" "$__lifeline_run_guard") ;;
      *) PROMPT_COMMAND=("$__lifeline_run_prompt${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}" "$__lifeline_run_guard") ;;
    esac
  else
    PROMPT_COMMAND="$__lifeline_run_prompt${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}"$'\n''{ __lifeline_prompts_first; } 2>/dev/null'
  fi
}
__lifeline_enter_own() {
  { local -; set +x; } 2>/dev/null
  __lifeline_own=1
  __lifeline_enter
}
for __lifeline_keymap in emacs vi-insert vi-command; do
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;9~": __lifeline_enter' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\e[9;8~": accept-line' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\C-m": "\e[9;9~\e[9;8~"' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\C-j": "\e[9;9~\e[9;8~"' 2>/dev/null
  # The Enter of a run typed by lifeline.
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;4~": __lifeline_enter_own' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" '"\e[9;5~": "\e[9;4~\e[9;8~"' 2>/dev/null
done
unset __lifeline_keymap
# Ctrl+X Ctrl+E (vi command mode: v) edits the line in an editor; bash would then run what was
# written itself, past the line editor and the hooks (no run, no status, the line left on the
# screen). Those keys edit the line the same way (the editor bash would start, the same file
# contents), put what was written back on the line and enter it as if typed: a run like any other.
# An editor that fails (vim's :cq) runs nothing, as with bash. Keys the user's files bound to
# something else are left alone.
__lifeline_edit_line() {
  { local -; set +x; } 2>/dev/null
  local __lifeline_file __lifeline_editor=${VISUAL:-${EDITOR:-$1}}
  __lifeline_file=$(builtin command mktemp "${TMPDIR:-/tmp}/bash-fc.XXXXXXXXXX") || return 0
  builtin printf '%s\n' "$READLINE_LINE" >"$__lifeline_file"
  if builtin eval "$__lifeline_editor \"\$__lifeline_file\""; then
    READLINE_LINE=$(<"$__lifeline_file")
  else
    READLINE_LINE=
  fi
  READLINE_POINT=${#READLINE_LINE}
  builtin command rm -f -- "$__lifeline_file"
}
for __lifeline_keymap in emacs vi-insert vi-command; do
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;11~": __lifeline_edit_line emacs' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;12~": __lifeline_edit_line vi' 2>/dev/null
  while IFS= builtin read -r __lifeline_binding; do
    case $__lifeline_binding in
      *'": edit-and-execute-command') builtin bind -m "$__lifeline_keymap" "${__lifeline_binding%: *}"': "\e[9;11~\C-m"' 2>/dev/null ;;
      *'": vi-edit-and-execute-command') builtin bind -m "$__lifeline_keymap" "${__lifeline_binding%: *}"': "\e[9;12~\C-m"' 2>/dev/null ;;
    esac
  done < <(builtin bind -m "$__lifeline_keymap" -p 2>/dev/null)
done
unset __lifeline_keymap __lifeline_binding
# A run typed by lifeline starts with a key that sets aside what the user had typed at the prompt
# (the run would be typed onto it), and a key typed once the runs are done brings it back.
__lifeline_aside=
__lifeline_aside_point=0
__lifeline_set_aside() {
  { local -; set +x; } 2>/dev/null
  [[ -n $READLINE_LINE ]] || return 0
  [[ -n $__lifeline_aside ]] || __lifeline_aside_point=$READLINE_POINT
  __lifeline_aside+=$READLINE_LINE
  READLINE_LINE=
  READLINE_POINT=0
}
__lifeline_bring_back() {
  { local -; set +x; } 2>/dev/null
  [[ -n $__lifeline_aside ]] || return 0
  READLINE_LINE=$__lifeline_aside$READLINE_LINE
  READLINE_POINT=$__lifeline_aside_point
  __lifeline_aside=
}
for __lifeline_keymap in emacs vi-insert vi-command; do
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;7~": __lifeline_set_aside' 2>/dev/null
  builtin bind -m "$__lifeline_keymap" -x '"\e[9;6~": __lifeline_bring_back' 2>/dev/null
  # The end of a paste, outside one, does nothing (unbound, it would type `~`): lifeline types it
  # after Ctrl+C that follows a paste, to end one the kernel cut short when it threw away the
  # unread input (readline would take every later key as pasted text).
  builtin bind -m "$__lifeline_keymap" '"\e[201~": ""' 2>/dev/null
done
unset __lifeline_keymap
# Set by each prompt's hook, cleared by the guard at the end of PROMPT_COMMAND (see below).
__lifeline_prompted=
# The cwd as the last prompt frame carried it, for a line reported by PS1 (see below).
__lifeline_cwd=
# 1 once PS1 was shown, 0 again at each prompt hook and each command started (PS0): bash also
# expands PS1 without showing it after each command of a line holding several. PS1 reports a line
# while the element of __lifeline_shown_again it indexes is set (only [1] is).
__lifeline_reprompted=0
__lifeline_shown_again=([1]=1)
__lifeline_one=1
__lifeline_st=$'\e\\'
# The start frame, once per line accepted at the prompt: bash shows PS0 before each command it
# reads, and a line holding several (a paste of lines accepted with one Enter) is one run, ended
# by the next prompt. 1 once the first PS0 after a prompt was shown, 0 again at each prompt;
# PS0 shows the frame while the element of __lifeline_unstarted it indexes is set (only [0] is).
__lifeline_started=0
__lifeline_unstarted=(1)
__lifeline_ps0='${__lifeline_unstarted[__lifeline_started]:+\e_lifeline;LIFELINE_SESSION_TOKEN;S;$((__lifeline_n+=1));${__lifeline_line}$__lifeline_st}${__lifeline_one:$((__lifeline_started=1,__lifeline_reprompted=0)):0}'
# A prompt shown after a command without the prompt hook having run (the command took it out of
# PROMPT_COMMAND: `unset PROMPT_COMMAND`) reports the command's end itself, with its status and the
# last directory known; the next Enter puts the hook back (see __lifeline_hooks_back). PS1 is also
# expanded, unshown, between the commands of a line holding several: not while such a line's
# commands are still being read (__lifeline_buffered).
__lifeline_hookless=([1]=1)
# A line whose history expansion fails (echo !nosuchevent) runs nothing and no prompt hook: bash
# only shows PS1 again, which then reports it (see __lifeline_ps1). An expansion loaded back into
# the line editor instead of run would have the next command appended to it.
# Its editing frame (no keys) is printed each time readline draws the prompt, as it does again when
# a history search ends: lifeline takes it as the end of a search the last key typed cancelled.
__lifeline_ps1='\[${__lifeline_hookless[__lifeline_started*(__lifeline_buffered==0)]:+\e_lifeline;LIFELINE_SESSION_TOKEN;P;$__lifeline_n;$?;$__lifeline_cwd$__lifeline_st}${__lifeline_one:$((__lifeline_started*(__lifeline_buffered==0)?(__lifeline_started=0,__lifeline_prompt_n=__lifeline_n):0)):0}${__lifeline_shown_again[__lifeline_reprompted]:+\e_lifeline;LIFELINE_SESSION_TOKEN;S;$((__lifeline_prompt_n=__lifeline_n+=1));$__lifeline_line$__lifeline_st\e_lifeline;LIFELINE_SESSION_TOKEN;P;$__lifeline_n;1;$__lifeline_cwd$__lifeline_st}\e_lifeline;LIFELINE_SESSION_TOKEN;E;$__lifeline_n$__lifeline_st\]${__lifeline_one:$((__lifeline_reprompted=1,__lifeline_entered=0,__lifeline_buffered-=__lifeline_buffered>0,__lifeline_more=0,__lifeline_own=0)):0}'
# The end of the prompt: where what the line editor prints after it (the line, a job's output
# printed while it waits for keys) begins.
__lifeline_ps1_end='\[\e_lifeline;LIFELINE_SESSION_TOKEN;D;$__lifeline_n$__lifeline_st\]'
# Said once, when the user's files turned either on: without it, !! runs at once with no word why.
if shopt -q histverify || shopt -q histreedit; then
  printf 'lifeline: histverify and histreedit (turned on in your bash files) are off in this shell: a line with !! or !$ runs at once, not shown again to edit first\n' >&2
fi
shopt -u histverify histreedit
# A command line bash cannot run without more lines (an unterminated quote, a missing done, a
# trailing |, a here-document) asks for them with PS2. The lines of a paste come from the line
# accepted, as bash runs them: all of them. Asked for one the line accepted does not hold, PS2
# reports a continuation frame and the shell waits for the person typing to give it, as it would
# without lifeline. The command is one run once it starts. A run typed by lifeline has nobody to
# type its rest, and would take the next command typed as its continuation: the shell interrupts
# itself, and the next prompt reports the run as failed with 2.
__lifeline_incomplete=
__lifeline_continues=([1]=1)
__lifeline_ps2='${__lifeline_one:$((__lifeline_buffered>0?(__lifeline_buffered-=1,__lifeline_more=0):(__lifeline_own?(__lifeline_incomplete=1,__lifeline_more=0):(__lifeline_more=1)))):0}${__lifeline_incomplete:+$(kill -INT $$)}\[${__lifeline_continues[__lifeline_more]:+\e_lifeline;LIFELINE_SESSION_TOKEN;K;$__lifeline_n$__lifeline_st}\]'

# Whether the percent-encoded line $1 holds only blank lines and comments.
__lifeline_only_comments() {
  local __lifeline_rest=$1 __lifeline_part
  while :; do
    __lifeline_part=${__lifeline_rest%%%0A*}
    __lifeline_part=${__lifeline_part#"${__lifeline_part%%[![:space:]]*}"}
    [[ -z $__lifeline_part || $__lifeline_part == '#'* ]] || return 1
    [[ $__lifeline_rest == *%0A* ]] || return 0
    __lifeline_rest=${__lifeline_rest#*%0A}
  done
}

__lifeline_prompt() {
  local __lifeline_status=$?
  local -
  set +x
  __lifeline_prompted=1
  __lifeline_reprompted=0
  __lifeline_started=0
  __lifeline_cwd=$PWD
  __lifeline_percent_encode __lifeline_cwd
  # A line that started no command is a run of its own, ended by this prompt, when bash saved it
  # in its history or Enter noted text in it; not a line a person typed that holds only blanks and
  # comments (bash runs nothing for it and sets no status, as for an empty line). A program's line
  # is, whatever it holds: its run waits for its end. (After a command, the first test is all.)
  if [[ -n $__lifeline_incomplete ]] || {
    [[ $__lifeline_n == "$__lifeline_prompt_n" && ( $__lifeline_entered == 1 || ( -n $__lifeline_histcmd && ${HISTCMD-} != "$__lifeline_histcmd" ) ) ]] &&
      { (( __lifeline_own )) || [[ -z $__lifeline_line ]] || ! __lifeline_only_comments "$__lifeline_line"; }
  }; then
    builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;S;%s;%s\e\\' "$((__lifeline_n+=1))" "$__lifeline_line"
    if [[ -n $__lifeline_incomplete ]]; then
      __lifeline_incomplete=
      __lifeline_status=2
      # In place of the empty line the interrupt left under the command.
      builtin printf '\e[A\r\e[K%s\n' 'lifeline: the command is incomplete (an unterminated quote or bracket, a missing keyword, a trailing | or &&, or a here-document) and was not run'
    fi
  fi
  __lifeline_prompt_n=$__lifeline_n
  __lifeline_histcmd=${HISTCMD-}
  __lifeline_entered=0
  __lifeline_line=
  __lifeline_buffered=0
  __lifeline_more=0
  __lifeline_own=0
  builtin printf '\e_lifeline;LIFELINE_SESSION_TOKEN;P;%s;%s;%s\e\\' "$__lifeline_n" "$__lifeline_status" "$__lifeline_cwd"
  # Something replaced PS0 after startup: put the start frame back in front of it.
  case ${PS0-} in
    "$__lifeline_ps0"*) ;;
    *) PS0=$__lifeline_ps0${PS0-} ;;
  esac
  return "$__lifeline_status"
}

# Something (a prompt theme) replaced PS1 or PS2: put the reports of dropped lines and incomplete
# commands back in front of them, and the prompt's end after PS1. Run last in PROMPT_COMMAND, after
# whatever the user has it run.
__lifeline_prompts_first() {
  # They carry the token (and PS2 a self-interrupt): exported, they would reach every child.
  builtin export -n PS0 PS1 PS2
  [[ ${PS1-} == "$__lifeline_ps1"* ]] || PS1=$__lifeline_ps1${PS1-}
  [[ $PS1 == *"$__lifeline_ps1_end" ]] || PS1+=$__lifeline_ps1_end
  [[ ${PS2-} == "$__lifeline_ps2"* ]] || PS2=$__lifeline_ps2${PS2-}
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
    PROMPT_COMMAND[0]="$__lifeline_run_prompt${PROMPT_COMMAND[0]:+$'\n'${PROMPT_COMMAND[0]}}"
    __lifeline_return "$__lifeline_status"
    __lifeline_prompt
  fi
  __lifeline_prompted=
  __lifeline_prompts_first
  return "$__lifeline_status"
}

PS0=$__lifeline_ps0${PS0-}
__lifeline_prompts_first
# Exported, it would reach nested shells, which do not have the functions.
case $(declare -p PROMPT_COMMAND 2>/dev/null) in 'declare -'*x*) export -n PROMPT_COMMAND ;; esac
__lifeline_install_hooks

if [ -n "$__lifeline_allexport" ]; then set -a; fi
unset __lifeline_allexport
