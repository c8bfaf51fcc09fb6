// Every escape sequence the TUI writes to the user's terminal of its own (the transcript's colours
// aside), in one place.

/** Switches to the alternate screen, saving the cursor. */
export const enterAlternateScreen = '\x1b[?1049h';
/** Leaves the alternate screen, restoring the cursor saved as it was entered. */
export const leaveAlternateScreen = '\x1b[?1049l';
/** Asks the terminal to bracket pastes (the TUI reads them as one piece). */
export const bracketedPasteOn = '\x1b[?2004h';

/** Wraps text as a bracketed paste, for a program that asked for them. */
export function bracketedPaste(text: string): string {
  return `\x1b[200~${text}\x1b[201~`;
}

/** The modes the TUI sets on the user's terminal: bracketed paste, the cursor hidden (the command line draws its own). */
export const tuiModesOn = '\x1b[?2004h\x1b[?25l';
/** The TUI's modes off, while a program has the terminal. */
export const tuiModesOff = '\x1b[?2004l\x1b[?25h';
/** Up one row, to its start. */
export const upToLineStart = '\x1b[A\r';
/** Clears the screen and the scrollback, the cursor home. */
export const clearScreenAndScrollback = '\x1b[2J\x1b[3J\x1b[H';
/** Clears the screen (not the scrollback), the cursor home. */
export const clearScreen = '\x1b[2J\x1b[H';

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
    // would scroll inside it). Setting it moves the cursor home, so the cursor is saved around it.
    '\x1b7\x1b[r\x1b8' +
    (options.alternateScreen ? leaveAlternateScreen : '') +
    // Application cursor keys, application keypad.
    '\x1b[?1l\x1b>' +
    // Mouse: click, drag and any-motion tracking; SGR and urxvt encodings.
    '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l' +
    // Focus reporting, bracketed paste, cursor shown, colours and attributes off.
    '\x1b[?1004l\x1b[?2004l\x1b[?25h\x1b[0m'
  );
}
