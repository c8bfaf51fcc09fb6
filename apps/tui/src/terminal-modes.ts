import { leaveAlternateScreen } from './session/passthrough-plan.js';

/**
 * The escape sequences that turn off every terminal mode programs commonly turn on: application
 * cursor keys and keypad, mouse reporting (all tracking modes and encodings), focus reporting,
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
    (options.alternateScreen ? leaveAlternateScreen : '') +
    // Application cursor keys, application keypad.
    '\x1b[?1l\x1b>' +
    // Mouse: click, drag and any-motion tracking; SGR and urxvt encodings.
    '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l' +
    // Focus reporting, bracketed paste, cursor shown, colours and attributes off.
    '\x1b[?1004l\x1b[?2004l\x1b[?25h\x1b[0m'
  );
}
