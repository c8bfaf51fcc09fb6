# shellcheck shell=sh
# An interrupt must not discard what was typed ahead.
if [ -t 0 ]; then stty noflsh 2>/dev/null; fi
# The shell is ready: the frame carries the session token (written in place of the placeholder).
printf '\033_lifeline;LIFELINE_SESSION_TOKEN;R\033\134'
