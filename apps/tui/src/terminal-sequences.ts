// Every escape sequence the TUI writes to the user's terminal, in one place: its own modes, lines
// and colours, and the canonical forms in which it passes a program's colours, line edits and
// links on (from the output sanitiser, or from the program's emulated screen). Modules that look
// for these sequences in what programs or the terminal send use the same values.

/** Switches to the alternate screen, saving the cursor. */
export const enterAlternateScreen = '\x1b[?1049h';
/** Leaves the alternate screen, restoring the cursor saved as it was entered. */
export const leaveAlternateScreen = '\x1b[?1049l';
/** Asks the terminal to bracket pastes (the TUI reads them as one piece). */
export const bracketedPasteOn = '\x1b[?2004h';
/** Asks the terminal to stop bracketing pastes. */
export const bracketedPasteOff = '\x1b[?2004l';
/** Starts a bracketed paste. */
export const pasteStart = '\x1b[200~';
/** Ends a bracketed paste. */
export const pasteEnd = '\x1b[201~';

/** Wraps text as a bracketed paste, for a program that asked for them. */
export function bracketedPaste(text: string): string {
  return `${pasteStart}${text}${pasteEnd}`;
}

/** Hides the cursor. */
const cursorHidden = '\x1b[?25l';
/** Shows the cursor. */
const cursorShown = '\x1b[?25h';
/** Lines longer than the terminal is wide go on at the start of the next row (the terminal's default). */
export const autowrapOn = '\x1b[?7h';
/** Lines longer than the terminal is wide stop at its last column. */
export const autowrapOff = '\x1b[?7l';

/**
 * Text of the transcript as it goes to the terminal: its long lines wrap, as a terminal's do. It
 * starts with {@link autowrapOn}, which tells it from the frame (see `rendererStream`).
 */
export function wrapping(text: string): string {
  return text === '' ? text : `${autowrapOn}${text}`;
}

/**
 * What the renderer writes (the frame), with the terminal's line wrapping off while it is written:
 * a frame laid out for a wider terminal (drawn before the TUI hears of a narrower one) then takes
 * the rows it was laid out for, and scrolls none of its lines into the scrollback. Wrapping is on
 * again after it, so that a TUI killed without a word leaves the terminal wrapping lines.
 */
export function unwrapped(frame: string): string {
  return `${autowrapOff}${frame}${autowrapOn}`;
}

/** The modes the TUI sets on the user's terminal: bracketed paste, the cursor hidden (the command line draws its own). */
export const tuiModesOn = `${bracketedPasteOn}${cursorHidden}`;
/** The TUI's modes off, while a program has the terminal. */
export const tuiModesOff = `${bracketedPasteOff}${cursorShown}`;
/** Up one row, to its start. */
export const upToLineStart = '\x1b[A\r';
/**
 * The scroll region back to the whole screen, as a terminal sets it when it changes size; setting
 * it moves the cursor home, so the cursor is saved around it.
 */
export const scrollRegionReset = '\x1b7\x1b[r\x1b8';
/** Clears the screen and the scrollback, the cursor home. */
export const clearScreenAndScrollback = '\x1b[H\x1b[2J\x1b[3J';
/** Clears the screen (not the scrollback), the cursor home. */
export const clearScreen = '\x1b[2J\x1b[H';

/** Every colour and attribute back to the default. */
export const resetAttributes = '\x1b[0m';
/** Dim text on: what follows is drawn faint (until {@link resetAttributes}). */
export const dimOn = '\x1b[2m';

/** Sets the terminal's window title to `title` (printable text: the caller's to make sure). */
export function windowTitle(title: string): string {
  return `\x1b]2;${title}\x07`;
}

/** A control sequence (CSI) with its parameters and final character, as `CSI parameters final`. */
export function controlSequence(parameters: string, final: string): string {
  return `\x1b[${parameters}${final}`;
}

/**
 * What turns the SGR style `from` into `to` (each the parameters of one SGR sequence, `''` for
 * the default style), as a program's colours are carried over from its screen.
 */
export function styleChange(from: string, to: string): string {
  if (to === '') return resetAttributes;
  return controlSequence(from === '' ? to : `0;${to}`, 'm');
}

/** Starts a hyperlink (OSC 8) with `parameters` (`params;uri`), as a program wrote it. */
export function hyperlinkStart(parameters: string): string {
  return `\x1b]8;${parameters}\x07`;
}

/** Ends a hyperlink (OSC 8). */
export const hyperlinkEnd = hyperlinkStart(';');

/** `text` in bold. */
export function bold(text: string): string {
  return `\x1b[1m${text}\x1b[22m`;
}

/** `text` dimmed. */
export function dim(text: string): string {
  return `${dimOn}${text}\x1b[22m`;
}

/** The foreground colours of the TUI's own lines (SGR codes). */
const foregroundCodes = { red: 31, green: 32, yellow: 33, cyan: 36 } as const;

/** A foreground colour of the TUI's own lines. */
export type Foreground = keyof typeof foregroundCodes;

/** `text` in the foreground colour `color`. */
export function colored(color: Foreground, text: string): string {
  return `\x1b[${foregroundCodes[color]}m${text}\x1b[39m`;
}

/**
 * The escape sequences that turn off every terminal mode programs commonly turn on: a scroll
 * region, application cursor keys and keypad, mouse reporting (all tracking modes and encodings), focus reporting,
 * bracketed paste, a hidden cursor and colours; with `alternateScreen`, the alternate screen too.
 *
 * Written whenever a program's screen is handed back to the TUI and whenever the TUI gives the
 * terminal back to the user: a program that crashed or was killed never restored its modes, and
 * left on, they make arrows and clicks type escape sequences into whatever reads the keys next.
 * The TUI turns the modes it uses back on itself afterwards.
 *
 * @param options.alternateScreen whether the alternate screen may be on: leaving it also restores
 * the cursor saved when it was entered, which would move the cursor when it is not on.
 */
export function terminalModesReset(options: { alternateScreen: boolean }): string {
  return (
    // The scroll region back to the whole screen (a program sized for fewer rows, such as vim
    // started while the TUI's lines took the bottom rows, leaves it short: everything drawn after
    // would scroll inside it).
    scrollRegionReset +
    (options.alternateScreen ? leaveAlternateScreen : '') +
    // Application cursor keys, application keypad.
    '\x1b[?1l\x1b>' +
    // Mouse: click, drag and any-motion tracking; SGR and urxvt encodings.
    '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l' +
    // Focus reporting, bracketed paste, cursor shown, lines wrapped, colours and attributes off.
    `\x1b[?1004l${bracketedPasteOff}${cursorShown}${autowrapOn}${resetAttributes}`
  );
}

/**
 * Erases the screen's rows `from` to `to` one by one, leaving the cursor at the start of `to`. A
 * clear of the screen would put a copy of it in some terminals' scrollback (tmux, kitty).
 */
export function rowsErased(from: number, to: number): string {
  let text = '';
  for (let row = from; row <= to; row += 1) text += controlSequence(`${row};1`, 'H') + '\x1b[2K';
  return text;
}

/**
 * Blanks the `count` rows above the cursor's (those the screen has, when fewer), and puts the
 * cursor back where it was: counted back down instead, it would end up lower than it was whenever
 * the moves up stopped at the first row, and what is drawn there next would scroll the screen.
 * Each row keeps a blank in its first column: a row made empty is a line of its own to tmux, which
 * no longer joins it to the row above, the start of a line it wrapped (which may be in its
 * scrollback).
 */
export function rowsBlankedAbove(count: number): string {
  return count > 0 ? `${cursorSaved}${'\x1b[A\r \x1b[K'.repeat(count)}${cursorRestored}` : '';
}

/** Saves the cursor's position (DECSC), for {@link cursorRestored}. */
export const cursorSaved = '\x1b7';

/** Puts the cursor back where {@link cursorSaved} saved it (DECRC). */
export const cursorRestored = '\x1b8';

/** Asks the terminal where its cursor is; it answers with {@link cursorPositionReport}'s form. */
export const cursorPositionQuery = '\x1b[6n';

/**
 * Asks the terminal where its cursor's row is and how wide it is now: the cursor is moved as far
 * right as it goes (to the last column) for the question, and back where it was after. The answer
 * has {@link cursorPositionReport}'s form, its column the terminal's width.
 */
export const cursorRowAndWidthQuery = `${cursorSaved}\x1b[999C${cursorPositionQuery}${cursorRestored}`;

/**
 * Asks the terminal how high and how wide it is now: the cursor is moved to the last row and column
 * for the question, and back where it was after. The answer has {@link cursorPositionReport}'s
 * form, its row the terminal's height, its column its width.
 */
export const screenSizeQuery = `${cursorSaved}\x1b[999B\x1b[999C${cursorPositionQuery}${cursorRestored}`;

/** The row and column (from 1) in a terminal's answer to {@link cursorPositionQuery}, `CSI row ; column R`. */
export function cursorPositionReport(
  sequence: string,
): { row: number; column: number } | undefined {
  const match = /^\x1b\[(\d{1,5});(\d{1,5})R$/.exec(sequence);
  if (!match) return undefined;
  return { row: Number(match[1]), column: Number(match[2]) };
}

/** `text` without its SGR sequences (colours and styles): what it says, as plain text. */
export function withoutStyles(text: string): string {
  return text.includes('\x1b') ? text.replace(/\x1b\[[0-9;:]*m/g, '') : text;
}
