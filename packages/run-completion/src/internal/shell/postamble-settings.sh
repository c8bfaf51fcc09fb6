# shellcheck shell=sh
# Postamble mode, after the user's files (which may set PS1). Each run is typed as one line:
# lifelinebegin <token>; eval '<command>'; lifelineend <token>. The shell has read all of it before
# the command runs, so the report never waits in the terminal for a program to read it. A prompt
# would end every run's output: PS1 only reports a run whose line the shell abandoned (a syntax
# error, Ctrl-C). Whoever shows the session draws its own prompt. (Unset first: in bash that drops
# the user's export, which would hand the prompt to nested shells.)
unset PS1
# shellcheck disable=SC2016 # expanded by the shell at each prompt
PS1='$(lifelineprompt)'
# Nobody edits lines in this shell (whoever shows the session has its own editor): the line
# editors of bash and the kshs would redraw a long line (wrapping, horizontal scrolling, ksh93's
# echo of _), and the terminal's plain echo is what the sanitiser removes.
# shellcheck disable=SC3040 # only run by bash and the kshs, which have these options
case ${KSH_VERSION-}${BASH_VERSION-} in ?*) set +o emacs +o vi ;; esac
# shellcheck disable=SC3040
case ${KSH_VERSION-} in ?*) set +o gmacs ;; esac
