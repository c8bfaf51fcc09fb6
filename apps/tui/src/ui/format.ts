import { endingSignalOf } from '../session/ending-signal.js';
import { stopSignalOf } from '../session/stop-signal.js';
import type { TranscriptBlock } from '../session/transcript-fold.js';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { resetAttributes } from '../terminal-sequences.js';
import { graphemesOf, type Grapheme } from './graphemes.js';

/** After the command of a run Lifeline typed for a program (`lifeline exec`, an agent), not a person at the shell. */
export const programRunMark = '  ⚙ run by a program';

/**
 * How a command left running says how long it has run (`2.3s so far · still running`): on the
 * last frame of a TUI that quits, and above the next session's line when the TUI switches.
 */
export function stillRunningFor(ms: number): string {
  return `${formatDuration(ms)} so far · still running`;
}

/** `1.2s`, `340ms`, `2m05s`. */
export function formatDuration(ms: number): string {
  // Each unit takes what it would round to the next one's least: 999.6 ms is `1.0s`, not `1000ms`.
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(Math.max(ms, 60_000) / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/**
 * The footer of a finished run: `✓ 0 · 1.2s`, `✗ 2 · 0.3s`, `✗ 130 SIGINT · 0.5s` (a status from
 * 129 to 159 is named after the signal that gives it, see {@link endingSignalOf}: a plain
 * `exit 130` reads the same), `⏸ 148 stopped by SIGTSTP · 2.0s · fg resumes it`, `⚠ the shell
 * exited (code 0)`.
 */
export function formatFooter(outcome: Extract<TranscriptBlock, { kind: 'footer' }>['outcome']): {
  text: string;
  tone: 'ok' | 'failed' | 'warning';
} {
  if (outcome.kind === 'unfinished') return { text: '⚠ no result recorded', tone: 'warning' };
  if (outcome.kind === 'shell-exited')
    return { text: `⚠ the shell exited (${outcome.how})`, tone: 'warning' };
  const duration = formatDuration(outcome.durationMs);
  const stoppedBy = stopSignalOf(outcome.exitCode);
  if (stoppedBy !== null) {
    return {
      text: `⏸ ${outcome.exitCode} stopped by ${stoppedBy} · ${duration} · fg resumes it`,
      tone: 'warning',
    };
  }
  if (outcome.exitCode === 0) return { text: `✓ 0 · ${duration}`, tone: 'ok' };
  const endedBy = endingSignalOf(outcome.exitCode);
  const status = endedBy === null ? `${outcome.exitCode}` : `${outcome.exitCode} ${endedBy}`;
  return { text: `✗ ${status} · ${duration}`, tone: 'failed' };
}

/** `cwd` as a shell's prompt shows it: `~` for the home directory, `~/src` for one in it. */
export function homeRelativePath(cwd: string, home: string | undefined): string {
  if (!home || home === '/') return cwd;
  if (cwd === home) return '~';
  return cwd.startsWith(`${home}/`) ? `~${cwd.slice(home.length)}` : cwd;
}

/** `3m ago`, `2h ago`, `5d ago`. */
export function formatAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/**
 * The short form of a session id shown in the header and `/sessions`: `s_01m80d15c72e…`, its time
 * of creation to the millisecond and a little of its random part, so that sessions started in the
 * same moment are told apart (`-s` takes it as it is).
 */
export function shortSid(sid: string): string {
  return `${resumableSid(sid)}…`;
}

/** The start of a session id that names it to `--resume` (and is shown as its short id). */
export function resumableSid(sid: string): string {
  return sid.slice(0, 14);
}

/** Columns `text` takes in a terminal: two for a wide character, none for a combining mark or a control. */
export function columnsOf(text: string): number {
  if (text.length <= LONG_TEXT) return stringWidth(text);
  // string-width segments its text whole (see graphemesOf): a long one is measured in pieces.
  const plain = stripVTControlCharacters(text);
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let columns = 0;
  let piece = '';
  for (const { segment } of graphemesOf(plain)) {
    piece += segment;
    if (piece.length < LONG_TEXT) continue;
    columns += stringWidth(piece);
    piece = '';
  }
  return columns + stringWidth(piece);
}

/** Longest text measured whole. */
const LONG_TEXT = 1024;

/** A line as a person reads it: without its styles and trailing blanks. */
export function plainText(line: string): string {
  return stripVTControlCharacters(line).trimEnd();
}

/** Rows text `columns` wide takes on a terminal `width` columns wide (one when empty). */
export function rowsTaken(columns: number, width: number): number {
  return Math.max(1, Math.ceil(columns / Math.max(1, width)));
}

/**
 * Rows a line of text (styles and all) takes on a terminal `width` columns wide, as the terminal
 * wraps it: a character that does not fit in what is left of a row goes whole to the next one, so
 * a wide character that would start in a row's last column leaves that column empty (one row when
 * empty). A combining mark stays in its character's cell.
 */
export function rowsOf(line: string, width: number): number {
  const text = stripVTControlCharacters(line);
  if (/^[\x20-\x7e]*$/.test(text)) return rowsTaken(text.length, width);
  return rowStarts(text, width).length;
}

/** The text of the last `count` rows a line (styles and all) takes, as {@link rowsOf} counts them. */
export function lastRowsOf(line: string, width: number, count: number): string {
  const text = stripVTControlCharacters(line);
  if (count <= 0) return '';
  if (/^[\x20-\x7e]*$/.test(text)) {
    const rows = rowsTaken(text.length, width);
    return text.slice(Math.max(0, rows - count) * Math.max(1, width));
  }
  const starts = rowStarts(text, width);
  return text.slice(starts[Math.max(0, starts.length - count)]);
}

/**
 * The rows a line (styles and all) takes on a terminal `width` columns wide, as {@link rowsOf}
 * counts them, each as plain text without trailing blanks.
 */
export function rowTextsOf(line: string, width: number): string[] {
  const text = stripVTControlCharacters(line);
  const starts = rowStarts(text, width);
  return starts.map((start, index) => text.slice(start, starts[index + 1]).trimEnd());
}

/** Where each row plain `text` takes on a terminal `width` columns wide starts (see {@link rowsOf}). */
function rowStarts(text: string, width: number): number[] {
  const columns = Math.max(1, width);
  const starts = [0];
  let used = 0;
  for (const { segment, index } of charactersOf(text)) {
    if (segment === '\t') {
      // To the next multiple of 8, never past the last column: a tab does not wrap.
      if (used < columns) used = Math.min(columns - 1, (Math.floor(used / 8) + 1) * 8);
      continue;
    }
    const taken = characterColumns(segment);
    if (used + taken > columns) {
      starts.push(index);
      used = 0;
    }
    used += taken;
  }
  return starts;
}

/**
 * Text whose every code unit is a character of its own: printable ASCII, Latin-1 and Latin
 * Extended letters, kana (but for its two combining marks), CJK ideographs and Hangul syllables
 * (none of them joins the character before or after it, and none is half of a surrogate pair).
 * Most lines of output are.
 */
const OWN_CHARACTERS =
  /^[\t\x20-\x7e\xa0-\u024f\u3040-\u3098\u309b-\u30ff\u4e00-\u9fff\uac00-\ud7a3]*$/;

/** The characters of plain `text` as {@link graphemesOf} gives them, without segmenting what needs none. */
function* charactersOf(text: string): Generator<Grapheme> {
  if (!OWN_CHARACTERS.test(text)) {
    yield* graphemesOf(text);
    return;
  }
  for (let index = 0; index < text.length; index += 1) yield { segment: text.charAt(index), index };
}

/** Columns of each character measured so far: a line is mostly characters it has had before. */
const measuredColumns = new Map<string, number>();
const MOST_MEASURED = 4096;

/** {@link columnsOf} one character, remembered. */
function characterColumns(character: string): number {
  let columns = measuredColumns.get(character);
  if (columns === undefined) {
    columns = columnsOf(character);
    if (measuredColumns.size >= MOST_MEASURED) measuredColumns.clear();
    measuredColumns.set(character, columns);
  }
  return columns;
}

/**
 * The most columns any terminal gives `text`: each code point of an emoji sequence on its own
 * (terminals that do not join ZWJ sequences or skin tones draw every part), so a line measured
 * this way never wraps, whichever terminal draws it.
 */
export function mostColumnsOf(text: string): number {
  let columns = 0;
  for (const codePoint of text) columns += columnsOf(codePoint);
  return columns;
}

/** A command on one line: its line breaks show as `⏎`. */
function oneLine(command: string): string {
  return command.replace(/\r?\n/g, ' ⏎ ');
}

/** The most columns a command takes on one line (see {@link clipCommand}), uncut. */
export function commandColumns(command: string): number {
  return mostColumnsOf(oneLine(command));
}

/**
 * A command on one line, cut to at most `columns` columns as the widest terminal would draw it
 * (see {@link mostColumnsOf}), ending in `…` when cut; line breaks show as `⏎`. Never splits a
 * character.
 */
export function clipCommand(command: string, columns: number): string {
  return clipToColumns(oneLine(command), columns, mostColumnsOf);
}

/**
 * `text` cut to at most `columns` columns as `measure` counts them, ending in `…` when cut: whole
 * characters as a person counts them (an emoji with its modifiers is one), never split.
 */
export function clipToColumns(
  text: string,
  columns: number,
  measure: (text: string) => number = columnsOf,
): string {
  if (measure(text) <= columns) return text;
  if (columns < 1) return '';
  return `${text.slice(0, fittingEnd(text, columns - 1, measure))}…`;
}

/**
 * Where the longest start of plain `text` at most `columns` wide ends, as `measure` counts each
 * character: whole characters as a person counts them, never split.
 */
export function fittingEnd(
  text: string,
  columns: number,
  measure: (character: string) => number = characterColumns,
): number {
  let width = 0;
  let end = 0;
  for (const { segment, index } of charactersOf(text)) {
    width += measure(segment);
    if (width > columns) break;
    end = index + segment.length;
  }
  return end;
}

/**
 * A path cut to at most `columns` columns by its start: `…/apps/tui` keeps the directories nearest
 * the end whole when it can, and never splits a character.
 */
export function fitPath(path: string, columns: number): string {
  if (columnsOf(path) <= columns) return path;
  if (columns < 2) return columns < 1 ? '' : '…';
  const characters = Array.from(path);
  let start = characters.length;
  for (let width = 0; start > 0; start -= 1) {
    width += columnsOf(characters[start - 1] ?? '');
    if (width > columns - 1) break;
  }
  const tail = characters.slice(start).join('');
  const slash = tail.indexOf('/');
  return `…${slash > 0 ? tail.slice(slash) : tail}`;
}

const sgrAt = /\x1b\[[0-9;:]*m/y;

/** The SGR style sequence (`ESC [ … m`) that starts at `index` of `text`, if one does. */
export function styleAt(text: string, index: number): string | undefined {
  sgrAt.lastIndex = index;
  return sgrAt.exec(text)?.[0];
}

/**
 * The start of a line with SGR styles, cut after `columns` characters: style sequences are kept
 * whole, and a cut line ends in the default style. Keeps the live area cheap to lay out whatever
 * a program writes on one line.
 */
export function clipStyledLine(line: string, columns: number): string {
  let visible = 0;
  let index = 0;
  while (index < line.length) {
    const style = styleAt(line, index);
    if (style) {
      index += style.length;
      continue;
    }
    if (visible === columns) return `${line.slice(0, index)}${resetAttributes}`;
    const code = line.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
    visible += 1;
  }
  return line;
}

/**
 * Control characters written as escapes (`\n`, `\x1b`), so a cell is one harmless line; with
 * `keepTabs`, a tab stays one (a command printed as typed, to be copied as it is).
 */
export function visible(text: string, keepTabs = false): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (character) => {
    if (character === '\n') return '\\n';
    if (character === '\t') return keepTabs ? '\t' : '\\t';
    if (character === '\r') return '\\r';
    const code = character.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
