# shellcheck shell=sh
# A command that needs more lines is dropped, not completed by the lines typed after it: dash,
# busybox sh and bash expand PS2 (a command substitution, run in a subshell) when they ask for the
# next line. It prints the message and an I frame, and has the shell interrupt itself. The frame
# carries the session token (written in place of the placeholder).
__lifeline_incomplete() {
  { set +xv; } 2>/dev/null
  printf '%s\n' 'lifeline: the command is incomplete (an unterminated quote or bracket, a missing keyword, a trailing | or &&, or a here-document) and was not run' >&2
  printf '\033_lifeline;LIFELINE_SESSION_TOKEN;I;%s\033\134' "$PWD" >&2
  kill -INT $$
}
unset PS2
# shellcheck disable=SC2016 # expanded by the shell when it asks for more lines
PS2='$(__lifeline_incomplete)'
