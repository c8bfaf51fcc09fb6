import { POSTAMBLE_FUNCTIONS_SH } from './shell-files.js';

// The private frame every integration prints. One APC string (ESC _ … ESC \), which terminals
// ignore, so a frame that ever reached a screen would still show nothing:
//
//   ESC _ lifeline ; <token> ; S ; <counter> [; <command%>] ESC \      command started (prompt-hook)
//   ESC _ lifeline ; <token> ; P ; <counter> ; <status> ; <cwd%> ESC \  prompt shown (prompt-hook)
//   ESC _ lifeline ; <token> ; K ; <counter> ESC \                      more lines asked for (prompt-hook)
//   ESC _ lifeline ; <token> ; E ; <counter> [; <keys%>] ESC \           editing the line (prompt-hook)
//   ESC _ lifeline ; <token> ; D ; <counter> ESC \                      prompt drawn (prompt-hook, bash)
//   ESC _ lifeline ; <token> ; C ; <status> ; <cwd> ESC \               run finished (postamble)
//   ESC _ lifeline ; <token> ; R ESC \                                  shell ready (postamble)
//   ESC _ lifeline ; <token> ; I ; <cwd> ESC \                          command incomplete (postamble)
//
// `<cwd%>` is $PWD with `%`, ESC, LF and CR percent-encoded (`<command%>`, the command line as the
// shell read it, likewise; fish encodes more); `<cwd>` is $PWD as printed. A `<command%>` longer
// than MAX_COMMAND_BYTES is cut there (an escape cut in two left out) and ends in a lone `%`,
// which no encoding holds: the line goes on.

/** The escape byte every frame starts with. */
export const ESC = 0x1b;
/** The fixed prefix every frame shares, up to and including the `;` before the token. */
export const FRAME_PREFIX = '\x1b_lifeline;';
/** String terminator: ends every frame. */
export const FRAME_END = '\x1b\\';
/** Longest token the scanner reads before deciding the escape is not a frame. */
export const MAX_TOKEN_LENGTH = 64;
/**
 * Longest frame before it counts as malformed: one that carries a command line holds a person's
 * pasted line of tens of kilobytes (a program's command is at most 64 KiB, 192 KiB percent-encoded).
 */
export const MAX_FRAME_LENGTH = 256 * 1024;
/**
 * Longest encoded command line the integrations send whole (the frame's own bytes fit in the
 * rest of MAX_FRAME_LENGTH); a longer one is sent cut, marked by a lone `%` at its end. The
 * prompt hooks hold this figure too.
 */
export const MAX_COMMAND_BYTES = 255 * 1024;
/** What a command line cut by its integration ends with, once decoded. */
export const CUT_COMMAND_END = '…';

/**
 * Frame kinds: command started, prompt, continuation (the shell asks the terminal for the next
 * line of a command), editing (the line editor takes keys into the command line, in no mode of its
 * own: no search, completion list or question, vi command mode or prefix key), prompt drawn (the
 * end of the prompt string), postamble completion, ready, command incomplete.
 */
export type FrameKind = 'S' | 'P' | 'K' | 'E' | 'D' | 'C' | 'R' | 'I';

/** One authenticated frame as the scanner found it. */
export interface Frame {
  kind: FrameKind;
  /** The token it carried (always one the coordinator knows). */
  token: string;
  /** The shell's command counter (`S`, `P`, `K`, `E`), else -1. */
  counter: number;
  /** `$?` (`P`, `C`), else -1. */
  status: number;
  /** `$PWD` decoded (`P`, `C`, `I`), else ''. */
  cwd: string;
  /**
   * The command line decoded (`S`, when the integration reports it), or the keys the line editor
   * read last (`E`), else `undefined`.
   */
  command: string | undefined;
  /**
   * Set when the integration cut the command line (`S`): `command` holds its start, then
   * CUT_COMMAND_END.
   */
  commandCut?: true;
}

/**
 * The echo prefix shared by every postamble and probe line: a call of the session's
 * `lifelinebegin` function (see {@link POSTAMBLE_FUNCTIONS}). The backslash keeps an alias of that
 * name from applying; it is also the byte the echo sanitiser searches for, rare in program output.
 * No `_` is typed in these lines: ksh93's line editor echoes every `_` as ` \b_`.
 */
export const POSTAMBLE_PREFIX = ' \\lifelinebegin ';

/**
 * The functions every postamble line calls (see `shell/postamble-functions.sh`), on one line: the
 * session's ENV file defines them, or the probe line does.
 */
export const POSTAMBLE_FUNCTIONS = POSTAMBLE_FUNCTIONS_SH.split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .join('; ');

/**
 * The line typed for one run: the command, quoted as one word for `eval`, between the calls that
 * report it. The shell reads the whole line before it runs the command, so a program that reads
 * the terminal (`read`, `cat`, `vim`) never sees the report; the command is parsed on its own, so a
 * syntax error in it cannot take the report with it. `token` must not contain `_` (see above).
 */
export function postambleLine(token: string, command: string): string {
  return `${POSTAMBLE_PREFIX}${token}; eval ${posixWord(command)}; \\lifelineend ${token}`;
}

/**
 * The probe line: defines the postamble functions, prints an `R` frame and turns on `noflsh` (see
 * the README). It starts like every postamble line; in a shell that has no `lifelinebegin` yet,
 * that first call fails quietly.
 */
export function probeLine(token: string): string {
  return `${POSTAMBLE_PREFIX}${token} 2>/dev/null; ${POSTAMBLE_FUNCTIONS}; printf '\\033\\137lifeline;${token};R\\033\\134'; stty noflsh 2>/dev/null`;
}

/** `value` quoted as one word for every POSIX shell. */
function posixWord(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
