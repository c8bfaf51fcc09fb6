import { columnsOf, rowsOf } from './format.js';

/** The cursor moves, erases, modes and styles the TUI writes, the cursor saved and restored, and a line end. */
const sequences = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b([78])|\n/g;

/** What a row of the screen holds: a row of the transcript (its number, see {@link LateWritesScreen}), the frame's, or nothing. */
type Row = number | 'frame' | undefined;

/** Whose a row written is. */
type Kind = 'frame' | 'transcript';

/** The rows `lines` take on a terminal `columns` wide, each `kind`. */
function kindsOf(lines: readonly string[], kind: Kind, columns: number): Kind[] {
  return lines.flatMap((line) => Array.from({ length: rowsOf(line, columns) }, () => kind));
}

/**
 * The screen of a terminal that changed its width before it read what the TUI wrote last (tmux
 * wraps its lines again at once, and reads what waits from the TUI after): it wrapped them with
 * `frameLines` (the frame drawn before those writes) at its bottom, the cursor on the row under
 * them and the transcript above, as many of its rows as the screen has room for (pulled back out
 * of its scrollback as the terminal got wider); then it read the writes ({@link write}) at its new
 * width. Their erases go up as many rows as the frame took at the old width: through rows of the
 * transcript above it, where the frame takes fewer rows now (a line a command's terminal wrapped,
 * drawn as one, takes fewer). Those rows are in neither the scrollback nor on the screen any more,
 * and are still the transcript's last (see {@link transcriptRowsOffScrollback}).
 *
 * Transcript rows are numbered in order, at the new width: those on the screen as the terminal
 * wrapped its lines again from -1 up (the last), those written after from 0 on.
 */
export class LateWritesScreen {
  readonly #columns: number;
  readonly #rows: Row[];
  /** The cursor's row, from 0. */
  #cursor: number;
  #savedCursor: number;
  /** The number of the transcript's last row in the scrollback. */
  #lastInScrollback: number;
  #nextTranscriptRow = 0;
  /** Columns the line being written takes so far, and whether the terminal wraps it. */
  #lineColumns = 0;
  #wraps = true;
  /** Whether the scrollback got a row that is not the transcript's next, or a move not followed here. */
  #lost = false;

  /**
   * The screen as the terminal wrapped its lines again at `columns` × `rows`, its cursor on
   * `cursorRow` (from 1, kept where it was): the rows right above it are `above` (what the TUI
   * wrote since its frame's last erase, from the top, its rows at the new width), and those above
   * them the transcript's, as many as there is room for.
   */
  constructor(above: readonly Kind[], cursorRow: number, columns: number, rows: number) {
    this.#columns = Math.max(1, columns);
    this.#cursor = Math.min(rows, Math.max(1, cursorRow)) - 1;
    const shown = above.slice(Math.max(0, above.length - this.#cursor));
    const transcriptRows = this.#cursor - shown.length;
    let numbered = -transcriptRows - shown.filter((kind) => kind === 'transcript').length;
    this.#rows = [
      ...Array.from({ length: transcriptRows }, (): Row => numbered++),
      ...shown.map((kind): Row => (kind === 'frame' ? 'frame' : numbered++)),
      ...Array.from({ length: rows - this.#cursor }, (): Row => undefined),
    ];
    this.#savedCursor = this.#cursor;
    this.#lastInScrollback =
      -transcriptRows - shown.filter((kind) => kind === 'transcript').length - 1;
  }

  /**
   * The screen as the terminal wrapped its lines again with `frameLines` (the frame drawn last) at
   * the bottom, the cursor on the row under them.
   */
  static underFrame(
    frameLines: readonly string[],
    columns: number,
    rows: number,
  ): LateWritesScreen {
    return new LateWritesScreen(kindsOf(frameLines, 'frame', columns), rows, columns, rows);
  }

  /** The row the cursor is on (from 1), as the terminal would say. */
  get cursorRow(): number {
    return this.#cursor + 1;
  }

  /**
   * How many of the transcript's last rows are not in the terminal's scrollback: on the screen, or
   * erased from it while out of the scrollback. Undefined when the writes scrolled into the
   * scrollback what is not the transcript's next row, or moved the cursor in a way not followed.
   */
  get transcriptRowsOffScrollback(): number | undefined {
    return this.#lost ? undefined : this.#nextTranscriptRow - 1 - this.#lastInScrollback;
  }

  /**
   * The screen's rows were erased, and the cursor put on the first (nothing scrolled into the
   * scrollback): the rows the transcript has off it are still those it had.
   */
  erased(): void {
    this.#rows.fill(undefined);
    this.#cursor = 0;
  }

  /** `text` reached the terminal: the transcript's text (`transcript`), or the frame's and erases. */
  write(text: string, transcript: boolean): void {
    let from = 0;
    for (const match of text.matchAll(sequences)) {
      this.#printed(text.slice(from, match.index));
      from = match.index + match[0].length;
      if (match[0] === '\n') this.#lineEnded(transcript);
      else if (match[3] === '7') this.#savedCursor = this.#cursor;
      else if (match[3] === '8') this.#cursor = this.#savedCursor;
      else this.#controlled(match[1] ?? '', match[2] ?? '');
    }
    this.#printed(text.slice(from));
  }

  #controlled(parameters: string, final: string): void {
    if (parameters === '?7' && (final === 'h' || final === 'l')) this.#wraps = final === 'h';
    else if (final === 'K') this.#rows[this.#cursor] = undefined;
    else if (final === 'A')
      this.#cursor = Math.max(0, this.#cursor - Math.max(1, Number.parseInt(parameters, 10) || 1));
    // Styles, modes, a column (the line's start, the right edge) or a question: the row stays.
    else if (!'mhlGCn'.includes(final)) this.#lost = true;
  }

  #printed(text: string): void {
    const plain = text.replaceAll('\r', '');
    if (plain === '') return;
    const columns = this.#lineColumns + columnsOf(plain);
    this.#lineColumns = this.#wraps ? columns : Math.min(this.#columns, columns);
  }

  #lineEnded(transcript: boolean): void {
    const taken = Math.max(1, Math.ceil(this.#lineColumns / this.#columns));
    this.#lineColumns = 0;
    for (let row = 0; row < taken; row += 1) {
      if (row > 0) this.#down();
      this.#rows[this.#cursor] = transcript ? this.#nextTranscriptRow++ : 'frame';
    }
    this.#down();
  }

  /** The cursor to the next row, the screen scrolled up a row under the last. */
  #down(): void {
    if (this.#cursor < this.#rows.length - 1) {
      this.#cursor += 1;
      return;
    }
    const top = this.#rows.shift();
    this.#rows.push(undefined);
    if (top === this.#lastInScrollback + 1) this.#lastInScrollback = top;
    else this.#lost = true;
  }
}

/** A write to the terminal as the TUI followed it (see `DrawnFrame`). */
export interface WriteSeen {
  text: string;
  /** Whether it is the transcript's text (else the frame's, or an erase). */
  transcript: boolean;
  /** How wide and how high the terminal was as it was written. */
  columns: number;
  rows: number;
  /** The frame's lines on the screen before it, as written (none: the transcript's text was last). */
  frameBefore: readonly string[];
  /** Whether it starts with an erase of that frame, the cursor on the screen's last row under it. */
  startsAtRest: boolean;
}

/**
 * The screen of a terminal `columns` × `rows` that said its cursor is on `answeredRow` after
 * `writes` (the TUI's last, oldest first), not the row where they left it (it read some of them
 * after it changed its width): none when no moment of the change puts the cursor there; else the
 * screen after the latest moment that does (see {@link LateWritesScreen}). The terminal may have changed before a write that erases
 * the frame at rest, or at a line end in what follows that erase (a write the system handed on in
 * pieces, the terminal having read too little of the last).
 */
export function screenAfterLateWrites(
  writes: readonly WriteSeen[],
  answeredRow: number,
  columns: number,
  rows: number,
): LateWritesScreen | undefined {
  const restAt = writes.flatMap((write, index) => (write.startsAtRest ? [index] : []));
  for (let group = restAt.length - 1; group >= 0; group -= 1) {
    const first = restAt[group] ?? 0;
    const end = restAt[group + 1] ?? writes.length;
    for (const screen of screensAfterChange(writes.slice(first), end - first, columns, rows))
      if (screen.cursorRow === answeredRow && screen.transcriptRowsOffScrollback !== undefined)
        return screen;
  }
  return undefined;
}

/**
 * The screens `writes` leave (the first erases the frame at rest) had the terminal changed its
 * width to `columns` before them, or at a line end in the first `ownWrites` of them (those up to
 * the next erase at rest): the latest change first.
 */
function* screensAfterChange(
  writes: readonly WriteSeen[],
  ownWrites: number,
  columns: number,
  rows: number,
): Generator<LateWritesScreen> {
  const [start] = writes;
  if (!start) return;
  yield replayed(LateWritesScreen.underFrame(start.frameBefore, columns, rows), writes);
  const old = LateWritesScreen.underFrame(start.frameBefore, start.columns, rows);
  const above: Kind[] = [];
  const changes: LateWritesScreen[] = [];
  for (let index = 0; index < ownWrites; index += 1) {
    const write = writes[index];
    if (!write) break;
    const pieces = write.text.split('\n');
    for (let piece = 0; piece + 1 < pieces.length; piece += 1) {
      const line = pieces[piece] ?? '';
      old.write(`${line}\n`, write.transcript);
      above.push(...kindsOf([line], write.transcript ? 'transcript' : 'frame', columns));
      const screen = new LateWritesScreen(above, old.cursorRow, columns, rows);
      screen.write(pieces.slice(piece + 1).join('\n'), write.transcript);
      changes.push(replayed(screen, writes.slice(index + 1)));
    }
    old.write(pieces.at(-1) ?? '', write.transcript);
  }
  yield* changes.reverse();
}

/** `screen` once `writes` reached it. */
function replayed(screen: LateWritesScreen, writes: readonly WriteSeen[]): LateWritesScreen {
  for (const write of writes) screen.write(write.text, write.transcript);
  return screen;
}
