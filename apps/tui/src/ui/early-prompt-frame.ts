// The first frame of the TUI, drawn by the entry point before Ink and the app have loaded: the
// same two lines the app draws first (the header while the gateway starts, and the input line
// with what was typed), with no dependency, so that it costs nothing to load.
import { bold, colored, dim } from '../terminal-sequences.js';

/** What the header says while the gateway starts. */
export const STARTING_GATEWAY_TEXT = 'starting gateway…';

/**
 * What the input line says while the session is being attached, before anything is typed; with
 * how much of a long log is shown already (`shown`, 0 to 1).
 */
export function attachingHint(shown?: number): string {
  const howFar = shown === undefined ? '' : ` ${Math.floor(shown * 100)}% shown ·`;
  return `  attaching the session…${howFar} what you type goes to it once it is shown`;
}

/** The narrowest terminal the early frame is drawn on: the prompt, one typed key and the cursor. */
export const EARLY_PROMPT_MIN_COLUMNS = 4;

/** What was typed at the early input line, as it shows it. */
export interface EarlyLine {
  /** The text typed, as the line editor will have it. */
  text: string;
  /**
   * Whether the line still shows what is typed: a key it does not edit (Enter, an arrow, a
   * control key, a paste) or a line about to outgrow the terminal leaves it as it is; the keys
   * still go to the app, which shows them once it has loaded.
   */
  echoing: boolean;
}

/** The early input line before anything is typed. */
export const EMPTY_EARLY_LINE: EarlyLine = { text: '', echoing: true };

/** Columns a string may take at most: wide characters take two, so anything not ASCII counts so. */
function mostColumns(text: string): number {
  let columns = 0;
  for (const character of text) columns += character.charCodeAt(0) < 0x80 ? 1 : 2;
  return columns;
}

/**
 * The early line after `input` was typed on a terminal `columns` wide: printable characters are
 * added, Backspace takes the last one away; any other key stops the echo (see {@link EarlyLine}).
 * @returns `line` itself when nothing shown changed
 */
export function typedAtEarlyPrompt(line: EarlyLine, input: string, columns: number): EarlyLine {
  if (!line.echoing) return line;
  let text = line.text;
  for (const character of input) {
    const code = character.codePointAt(0) ?? 0;
    if (code === 0x7f || code === 0x08) {
      text = Array.from(text).slice(0, -1).join('');
    } else if (code < 0x20 || (code >= 0x80 && code < 0xa0)) {
      return { text, echoing: false };
    } else if ('› '.length + mostColumns(text + character) + 1 > columns) {
      return { text, echoing: false };
    } else {
      text += character;
    }
  }
  return text === line.text ? line : { text, echoing: true };
}

/** `text` cut to `columns` (it is ASCII but for single-column `…`, `·` and `›`). */
function cut(text: string, columns: number): string {
  return text.length <= columns ? text : text.slice(0, Math.max(0, columns));
}

/**
 * The early frame on a terminal `columns` wide, as the app draws its first one: the header, then
 * the input line with `line`'s text, the cursor as an inverted cell after it and, while nothing is
 * typed, the hint. Each line ends in a line end; none is wider than the terminal.
 */
export function earlyPromptFrame(line: EarlyLine, columns: number): string {
  // On a terminal too narrow for the state, the header is the name alone (the app wraps it).
  const headerLine =
    columns >= `lifeline · ${STARTING_GATEWAY_TEXT}`.length
      ? `${bold('lifeline')} · \x1b[90m${STARTING_GATEWAY_TEXT}\x1b[39m`
      : bold(cut('lifeline', columns));
  const hint = line.text === '' ? cut(attachingHint(), columns - '› '.length - 1) : '';
  return `${headerLine}\n${colored('cyan', '› ')}${line.text}\x1b[7m \x1b[27m${hint === '' ? '' : dim(hint)}\n`;
}

/** Rows a line `width` columns wide takes on a terminal `columns` wide (one when empty). */
function rowsAt(width: number, columns: number): number {
  return Math.max(1, Math.ceil(width / Math.max(1, columns)));
}

/**
 * What erases the early frame drawn with `line` on a terminal `columns` wide, now that it is
 * `columnsNow` wide (a narrower terminal wrapped its lines again into more rows), and the
 * `rowsAbove` it (see {@link echoedBeforeRawRows}): from the row the cursor rests on under it, up
 * to its first row, the cursor left at its start.
 */
export function earlyPromptErased(
  line: EarlyLine,
  columns: number,
  columnsNow: number,
  rowsAbove = 0,
): string {
  const [header = '', input = ''] = earlyPromptFrame(line, columns)
    .split('\n')
    .map((text) => text.replace(/\x1b\[[0-9;]*m/g, ''));
  // One column a character, but for what was typed (see mostColumns).
  const inputColumns = input.length - line.text.length + mostColumns(line.text);
  // Its two lines as wrapped again, and the row the cursor rests on under them.
  const rows = rowsAt(header.length, columnsNow) + rowsAt(inputColumns, columnsNow) + 1 + rowsAbove;
  return `\x1b[2K${'\x1b[1A\x1b[2K'.repeat(rows - 1)}\x1b[G`;
}

/**
 * Rows the terminal's own echo took of the lines in `received` that were typed before the early
 * prompt put it in raw mode (the ones ended with a line feed: in raw mode Enter is a carriage
 * return), on a terminal `columns` wide: drawn where the cursor was, right above the early frame.
 * A control character is echoed as two columns (`^C`), a tab up to the next tab stop.
 */
export function echoedBeforeRawRows(received: string, columns: number): number {
  const end = received.lastIndexOf('\n');
  if (end === -1 || received.slice(0, end).includes('\r')) return 0;
  let rows = 0;
  for (const text of received.slice(0, end).split('\n')) {
    let width = 0;
    for (const character of text) {
      const code = character.codePointAt(0) ?? 0;
      if (character === '\t') width += 8 - (width % 8);
      else if (code < 0x20 || code === 0x7f) width += 2;
      else width += mostColumns(character);
    }
    rows += rowsAt(width, columns);
  }
  return rows;
}
