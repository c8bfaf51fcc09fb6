// The private frame every integration prints. One APC string (ESC _ … ESC \), which terminals
// ignore, so a frame that ever reached a screen would still show nothing:
//
//   ESC _ lifeline ; <token> ; S ; <counter> ESC \                      command started (prompt-hook)
//   ESC _ lifeline ; <token> ; P ; <counter> ; <status> ; <cwd%> ESC \  prompt shown (prompt-hook)
//   ESC _ lifeline ; <token> ; C ; <status> ; <cwd> ESC \               run finished (postamble)
//   ESC _ lifeline ; <token> ; R ESC \                                  shell ready (postamble)
//   ESC _ lifeline ; <token> ; I ; <cwd> ESC \                          command incomplete (postamble)
//
// `<cwd%>` is $PWD with `%`, ESC, LF and CR percent-encoded; `<cwd>` is $PWD as printed.

/** The escape byte every frame starts with. */
export const ESC = 0x1b;
/** The fixed prefix every frame shares, up to and including the `;` before the token. */
export const FRAME_PREFIX = '\x1b_lifeline;';
/** String terminator: ends every frame. */
export const FRAME_END = '\x1b\\';
/** Longest token the scanner reads before deciding the escape is not a frame. */
export const MAX_TOKEN_LENGTH = 64;
/** Longest frame (with a percent-encoded PATH_MAX cwd) before it counts as malformed. */
export const MAX_FRAME_LENGTH = 16 * 1024;

/** Frame kinds: command started, prompt, postamble completion, ready, command incomplete. */
export type FrameKind = 'S' | 'P' | 'C' | 'R' | 'I';

/** One authenticated frame as the scanner found it. */
export interface Frame {
  kind: FrameKind;
  /** The token it carried (always one the coordinator knows). */
  token: string;
  /** The shell's command counter (`S`, `P`), else -1. */
  counter: number;
  /** `$?` (`P`, `C`), else -1. */
  status: number;
  /** `$PWD` decoded (`P`, `C`, `I`), else ''. */
  cwd: string;
}

/**
 * The echo prefix shared by every postamble and probe line. The escape byte, the underscore and
 * (in the terminator) the backslash are octal escapes: the first so that an echo can never contain
 * a frame, the others for ksh93's line editor, which echoes every `_` as ` \b_` and, after an
 * interrupt, stops at a doubled backslash.
 */
export const POSTAMBLE_PREFIX = " printf '\\033\\137lifeline;";

/**
 * The postamble line for one run: prints a `C` frame with `$?` and `$PWD`. The leading space keeps
 * it out of history in shells that honour that. `token` must not contain `_` (see above).
 */
export function postambleLine(token: string): string {
  return `${POSTAMBLE_PREFIX}${token};C;%s;%s\\033\\134' $? "$PWD"`;
}

/** The probe line: prints an `R` frame and turns on `noflsh` (see the README). */
export function probeLine(token: string): string {
  return `${POSTAMBLE_PREFIX}${token};R\\033\\134'; stty noflsh 2>/dev/null`;
}
