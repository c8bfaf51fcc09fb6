# fish, prompt-hook mode: run by --init-command after the user's config.fish and conf.d. The frames
# carry the session token (written in place of its placeholder).

# A fish that replaced the session's fish (`exec fish`) goes on counting where it left off.
set -g __lifeline_n 0
if string match -qr '^[0-9]+$' -- "$__lifeline_carried_n"
    set -g __lifeline_n $__lifeline_carried_n
end
set -e __lifeline_carried_n

# Each handler first shadows fish_trace (the user's tracing must not print the token).

# A command line percent-encoded for a start frame (all ASCII: fish encodes every other byte). A
# frame holds at most 256 KiB: a longer line is cut at 261,120 bytes, an escape cut in two left
# out, with a lone % after it (never in an encoded line) to say that it goes on.
function __lifeline_encoded_line --argument-names __lifeline_line
    set -l fish_trace
    set -l __lifeline_encoded (string escape --style=url -- "$__lifeline_line")
    if test (string length -- "$__lifeline_encoded") -gt 261120
        set __lifeline_encoded (string sub --length 261120 -- "$__lifeline_encoded" | string replace -r '%.?$' '')%
    end
    printf '%s' "$__lifeline_encoded"
end

# A prompt frame: the counter of the last command, the status given, and the cwd.
function __lifeline_prompt_frame --argument-names __lifeline_status
    set -l fish_trace
    printf '\e_lifeline;LIFELINE_SESSION_TOKEN;P;%s;%s;%s\e\\\\' $__lifeline_n $__lifeline_status (string escape --style=url -- $PWD)
end

function __lifeline_preexec --on-event fish_preexec
    set -l fish_trace
    # fish announces whitespace-only lines too; they run nothing, so they are not counted. Nor is a
    # line of comments a person entered (one typed by lifeline is: its run waits for its end).
    set -l __lifeline_line (string trim -- $argv)
    test -n "$__lifeline_line"; or return
    if test -z "$__lifeline_own_line"; and string match -q '*#*' -- "$argv"
        and not string split \n -- $argv | string match -qrv '^\s*(#.*)?$'
        return
    end
    set -g __lifeline_n (math $__lifeline_n + 1)
    printf '\e_lifeline;LIFELINE_SESSION_TOKEN;S;%s;%s\e\\\\' $__lifeline_n (__lifeline_encoded_line "$argv")
    # Split into words only for a line that may be an exec: this runs before every command.
    if string match -q '*exec*' -- "$argv"
        __lifeline_pass_to_exec "$argv"
    end
end

# `exec fish` (to read one's config again) replaces the shell. At startup fish reads the
# vendor_conf.d of each XDG_DATA_DIRS entry, before the user's config.fish: for an exec of a fish
# only, our directory goes first there and the counter is exported, so that the fish it starts reads
# our snippet, which gives XDG_DATA_DIRS back and runs this integration at its first prompt, and the
# session goes on with runs. Another program, or the shells it starts, would find the directory
# gone one day. If the exec fails (fish goes on), the end of the command gives back what was set.
set -g __lifeline_exec_data_dir LIFELINE_EXEC_DATA_DIR
function __lifeline_pass_to_exec --argument-names __lifeline_line
    set -l fish_trace
    # The first line, in words as fish reads them (quotes removed).
    printf '%s\n' $__lifeline_line | read -l --tokenize --list __lifeline_words
    test "$__lifeline_words[1]" = exec; or return
    set -l __lifeline_command $__lifeline_words[2]
    if contains -- $__lifeline_command '$SHELL' '{$SHELL}'
        set __lifeline_command "$SHELL"
    end
    test (string replace -r '.*/' '' -- "$__lifeline_command") = fish; or return
    # A host that removed the files (once the session's shell was ready) gets the old behaviour.
    test -r $__lifeline_exec_data_dir/fish/vendor_conf.d/lifeline-exec.fish; or return
    # This fish's own XDG_DATA_DIRS (a global, or none), to give back if the exec fails.
    set -g __lifeline_exec_xdg_flags
    set -g __lifeline_exec_xdg_values $XDG_DATA_DIRS
    if set -q -g XDG_DATA_DIRS
        set -g __lifeline_exec_xdg_flags -g -u --unpath
        set -q -g -x XDG_DATA_DIRS; and set __lifeline_exec_xdg_flags[2] -x
        set -q -g --path XDG_DATA_DIRS; and set __lifeline_exec_xdg_flags[3] --path
    end
    # What the new fish would have had, after our entry: the exported value, or (unset) the
    # directory fish then reads instead, told apart so that the new fish unsets it again.
    set -l __lifeline_previous (string join : -- $XDG_DATA_DIRS)
    if not set -q -x XDG_DATA_DIRS
        set __lifeline_previous (string replace -r '/fish$' '' -- $__fish_data_dir)
        set -gx __lifeline_xdg_data_dirs_unset 1
    end
    set -gx XDG_DATA_DIRS "$__lifeline_exec_data_dir:$__lifeline_previous"
    set -gx __lifeline_carried_n $__lifeline_n
    set -g __lifeline_exec_pending 1
end

# Gives back what an exec's handover changed: the exec did not replace this fish.
function __lifeline_exec_disarm
    set -l fish_trace
    set -e -g __lifeline_exec_pending
    set -e -g __lifeline_carried_n
    set -e -g __lifeline_xdg_data_dirs_unset
    set -e -g XDG_DATA_DIRS
    if set -q __lifeline_exec_xdg_flags[1]
        set $__lifeline_exec_xdg_flags XDG_DATA_DIRS $__lifeline_exec_xdg_values
    end
    set -e -g __lifeline_exec_xdg_flags
    set -e -g __lifeline_exec_xdg_values
end

# Completion is reported right after the command, before fish prints its partial-line mark.
function __lifeline_postexec --on-event fish_postexec
    set -l __lifeline_status $status
    set -l fish_trace
    if set -q __lifeline_exec_pending
        __lifeline_exec_disarm
    end
    __lifeline_prompt_frame $__lifeline_status
end

# fish keeps a line it cannot parse in the command line, with its error above, for the person to
# fix. A run typed by lifeline has nobody to fix it: Enter on such a line shows fish's error,
# clears the line and ends it as a command of its own with status 2 (what a shell reports for a
# syntax error).
function __lifeline_execute
    set -l fish_trace
    __lifeline_accept ''
end
# The Enter of a run typed by lifeline.
function __lifeline_execute_own
    set -l fish_trace
    __lifeline_accept 1
end
function __lifeline_accept --argument-names __lifeline_own
    set -l fish_trace
    set -g __lifeline_own_line $__lifeline_own
    if commandline --paging-mode
        commandline -f execute
        return
    end
    set -l __lifeline_line (commandline | string collect)
    # An empty line counts as invalid, but runs nothing and prints a prompt: fish handles it.
    if commandline --is-valid; or string match -qr '^\s*$' -- "$__lifeline_line"
        commandline -f execute
        return
    end
    # Typed by a person, fish does what it does without lifeline: it adds a line to an incomplete
    # one (an unterminated quote, a missing end, an escaped line end), and shows its error under
    # one it cannot parse, keeping it to be fixed. Either is still a half-typed line: a prompt
    # frame (no command started) says that fish edits it and has not run it, and a run typed
    # meanwhile sets it aside like any half-typed line. Typed by lifeline, it is rejected: nobody
    # is there to fix it or type its rest.
    if test -z "$__lifeline_own"
        commandline -f execute
        __lifeline_prompt_frame $__lifeline_last_status
        return
    end
    commandline -r ''
    printf '\r\n'
    set -l __lifeline_fish (status fish-path)
    command $__lifeline_fish --no-execute --command $__lifeline_line 2>&1
    set -g __lifeline_n (math $__lifeline_n + 1)
    printf '\e_lifeline;LIFELINE_SESSION_TOKEN;S;%s;%s\e\\\\' $__lifeline_n (__lifeline_encoded_line "$__lifeline_line")
    __lifeline_prompt_frame 2
    set -g __lifeline_last_status 2
    commandline -f repaint
end
for __lifeline_mode in default insert
    bind -M $__lifeline_mode \r __lifeline_execute
    bind -M $__lifeline_mode \n __lifeline_execute
    bind -M $__lifeline_mode \e\[9\;5~ __lifeline_execute_own
end
set -e __lifeline_mode

# A run typed by lifeline starts with a key that sets aside what the user had typed at the prompt
# (the run would be typed onto it), and a key typed once the runs are done brings it back.
# The line is kept as a list of its lines: a block typed over several lines may end with an empty
# one, which a command substitution (commandline | string collect) would drop.
set -g __lifeline_aside
set -g __lifeline_aside_cursor 0
function __lifeline_set_aside
    set -l fish_trace
    set -l __lifeline_lines (commandline)
    test -n "$__lifeline_lines"; or return
    if test (count $__lifeline_aside) -eq 0
        set -g __lifeline_aside_cursor (commandline --cursor)
        set -g __lifeline_aside $__lifeline_lines
    else
        set -g __lifeline_aside[-1] "$__lifeline_aside[-1]$__lifeline_lines[1]"
        set -e __lifeline_lines[1]
        set -g -a __lifeline_aside $__lifeline_lines
    end
    commandline -r ''
end
function __lifeline_bring_back
    set -l fish_trace
    test (count $__lifeline_aside) -gt 0; or return
    set -l __lifeline_lines (commandline)
    set -l __lifeline_whole $__lifeline_aside
    set __lifeline_whole[-1] "$__lifeline_whole[-1]$__lifeline_lines[1]"
    set -e __lifeline_lines[1]
    set -a __lifeline_whole $__lifeline_lines
    # Given several strings, commandline joins them with line ends.
    commandline -r -- $__lifeline_whole
    commandline --cursor $__lifeline_aside_cursor
    set -g __lifeline_aside
end
for __lifeline_mode in default insert
    bind -M $__lifeline_mode \e\[9\;7~ __lifeline_set_aside
    bind -M $__lifeline_mode \e\[9\;6~ __lifeline_bring_back
end
set -e __lifeline_mode

# Ctrl+C typed at the prompt comes as this key (not as the interrupt the terminal makes of Ctrl+C,
# which fish may act on late, and which throws away the keys fish had not read yet, a paste's end
# among them). It does what fish's own Ctrl+C does in each mode; in the middle of a paste, it ends
# the paste first, and the half-pasted line goes with the rest.
function __lifeline_interrupt
    set -l fish_trace
    if test "$fish_bind_mode" = paste
        __fish_stop_bracketed_paste
    end
    switch $fish_bind_mode
        case visual
            set fish_bind_mode default
            commandline -f end-selection repaint-mode
        case default replace replace_one
            # vi's normal mode (and its replace modes): the line is cleared and typing goes on.
            if test "$fish_key_bindings" = fish_vi_key_bindings
                set fish_bind_mode insert
                commandline -f cancel-commandline repaint-mode
            else
                commandline -f cancel-commandline
            end
        case '*'
            commandline -f cancel-commandline
    end
    # A search closed on an empty line is no fish_cancel.
    __lifeline_editing \cc
end
for __lifeline_mode in default insert visual replace replace_one paste
    bind -M $__lifeline_mode \e\[9\;3~ __lifeline_interrupt
end
set -e __lifeline_mode

# Keys someone typed may leave fish in a mode of its own (the history search of Ctrl+R), where a
# run's text would be taken as keys of that mode. Where fish goes back to editing the line, an
# editing frame says so, with the key (as lifeline was told of it) that did it: the functions run
# before what they queue (cancel), which fish does before it reads another key. Not in vi's normal
# mode (fish_bind_mode default with vi bindings), which is a mode of its own.
function __lifeline_editing --argument-names __lifeline_keys
    set -l fish_trace
    if test "$fish_bind_mode" = insert; or begin
            test "$fish_bind_mode" = default; and test "$fish_key_bindings" = fish_default_key_bindings
        end
        printf '\e_lifeline;LIFELINE_SESSION_TOKEN;E;%s;%s\e\\\\' $__lifeline_n (string escape --style=url -- $__lifeline_keys)
    end
end
# Esc, as fish binds it (cancel: it closes the search and the completion list), unless the user
# bound it.
function __lifeline_escape
    set -l fish_trace
    commandline -f cancel
    __lifeline_editing \e
end
if not bind --user -M default \e >/dev/null 2>&1
    bind -M default \e __lifeline_escape
end

# Ctrl+C on a typed line clears it and redraws the prompt without a new fish_prompt: a prompt frame
# (of the last command, which ended long ago) says the line is gone and the prompt is fresh.
function __lifeline_cancel --on-event fish_cancel
    set -l fish_trace
    __lifeline_prompt_frame 130
end

# The status of the last command, for a prompt frame printed later (see __lifeline_accept).
set -g __lifeline_last_status 0

# Every prompt, including the first one (ready) and the one after an empty line.
function __lifeline_prompt --on-event fish_prompt
    set -l __lifeline_status $status
    set -l fish_trace
    set -g __lifeline_last_status $__lifeline_status
    __lifeline_prompt_frame $__lifeline_status
end
