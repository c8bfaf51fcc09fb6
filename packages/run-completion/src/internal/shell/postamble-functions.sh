# shellcheck shell=sh
# The functions each postamble line calls: lifelinebegin <token>; eval '<command>'; lifelineend <token>.
# lifelinebegin notes the run's token; lifelineend prints its C frame with $? and $PWD and keeps $?;
# lifelineprompt, expanded by PS1, reports a run whose line the shell abandoned before lifelineend
# (a syntax error, Ctrl-C), straight to the terminal: busybox reads a prompt's backslashes as
# escapes. The escape byte and the _ of the frame are octal escapes, so no echo holds a frame.
# One function a line: the probe line types them joined with "; ".
lifelinebegin() { lifelinepending=$1; }
lifelineend() { lifelinestatus=$?; printf '\033\137lifeline;%s;C;%s;%s\033\134' "$1" "$lifelinestatus" "$PWD"; unset lifelinepending; return "$lifelinestatus"; }
lifelineprompt() { lifelinestatus=$?; if [ -n "${lifelinepending-}" ]; then printf '\033\137lifeline;%s;C;%s;%s\033\134' "$lifelinepending" "$lifelinestatus" "$PWD" >&2; fi; }
