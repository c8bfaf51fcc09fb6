import { Unicode11Addon } from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import type { OutputLines } from '../session/output-lines.js';
import { renderRow } from './screen-row.js';

/** Columns and rows of a terminal. */
export interface ScreenSize {
  cols: number;
  rows: number;
}

/**
 * What one run draws, on a screen of its own: an {@link OutputLines} whose lines are those that
 * scroll off the screen (as they do) and, at its end, those left on it.
 */
export interface EmulatedScreen extends OutputLines {
  /**
   * Adds raw output; returns the lines it completed. With `keepNewest`, lines wait on the
   * emulator's own scrollback until {@link takeLines} (or until they would leave it: then they are
   * handed out here), and only the newest `keepNewest` of those that wait are handed out: the
   * older ones are counted in {@link skippedLines} and never read (a view that bounds its memory
   * would drop them anyway). A flood costs the rows a view takes, not every row that scrolled by.
   */
  push(data: string, keepNewest?: number): string[];
  /** The lines completed and not handed out yet, or the newest `keepNewest` of them. */
  takeLines(keepNewest?: number): string[];
  /** Lines left out so far. */
  readonly skippedLines: number;
  /** The screen takes a new size, as the program's terminal did. */
  resize(size: ScreenSize): void;
  /**
   * The screen's rows as they show now, down to the last one that shows something, or with
   * `throughCursor` down to the cursor's, which then ends at the cursor at least.
   */
  rows(throughCursor?: boolean): string[];
  /** Where the cursor is now: its row on the screen and its column. */
  cursor(): { row: number; column: number };
}

/** Bounds of the emulated screen. */
export const emulatedScreenLimits = {
  /**
   * Code units of output parsed at a time. Each code unit scrolls the screen by one row at most, so
   * before each piece the rows it could push out of the emulator's own scrollback are taken out.
   */
  pieceLength: 1024,
  /**
   * Rows the emulator keeps above the screen: rows that scrolled off wait there until they are
   * taken out, so that those a newer line pushes out of what a view keeps are never read. Once they
   * are all in use, each row that scrolls off reuses the memory of the oldest instead of allocating.
   */
  scrollback: 4096,
  /**
   * A line that wrapped over this many code units without ending is handed out as it is; the
   * rest continues in the next line.
   */
  maxLineLength: 64 * 1024,
} as const;

/** What the emulator's internals offer that its API does not. */
interface EmulatorCore {
  /** Parses output now rather than on a later tick. */
  writeSync(data: string): void;
  /** The normal screen's rows, the scrollback's included; it says how many rows left its top. */
  buffers: {
    normal: {
      lines: {
        onTrim(listener: (rows: number) => void): unknown;
        /** A row, without the wrapper the API makes for each call. */
        get(index: number): { isWrapped: boolean } | undefined;
      };
    };
  };
}

/**
 * Makes a screen for one run's output: a maintained VT emulator (xterm.js) the size of the
 * session's terminal, so cursor-addressed redraws, scroll regions, erases and wide characters
 * (Unicode 11 widths) end as they would on a terminal. A progress bar redrawn a thousand times
 * leaves its last frame; `top` without the alternate screen leaves its last screen. The lines it
 * hands out are display text: characters and SGR styles, nothing else the program wrote.
 */
export function createEmulatedScreen(size: ScreenSize): EmulatedScreen {
  const terminal = new xterm.Terminal({
    cols: size.cols,
    rows: size.rows,
    scrollback: emulatedScreenLimits.scrollback,
    allowProposedApi: true,
    logLevel: 'off',
  });
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = '11';
  // The session's events are applied synchronously, in order (a run's lines must be out before
  // its footer): the emulator parses each piece at once rather than on a later tick.
  const core = (terminal as unknown as { _core: EmulatorCore })._core;
  const cell = terminal.buffer.normal.getNullCell();
  // Rows are counted from the first the normal screen ever had: `trimmed` of them left the top of
  // its scrollback (their memory reused, or erased by the program), those before `taken` were
  // taken out.
  let trimmed = 0;
  let taken = 0;
  core.buffers.normal.lines.onTrim((rows) => {
    trimmed += rows;
  });
  /** The start of a line whose rows are partly taken out and that continues on the screen. */
  let carried = '';
  /** Whether the line whose rows are being taken out is left out (counted, not rendered). */
  let skippingLine = false;
  /**
   * Rows (counted like `taken`) that end a line, from `lineEndsHead` on, among those not taken out
   * yet and before `scannedTo`: how many newer lines follow a row, without reading the rows again.
   */
  let lineEnds: number[] = [];
  let lineEndsHead = 0;
  let scannedTo = 0;
  /** Lines left out so far (see {@link EmulatedScreen.push}). */
  let skippedLines = 0;
  let ended = false;

  /**
   * Takes the rows that scrolled off the screen, up to row `until` (counted like `taken`), as
   * lines. With `keep`, a line that at least `keep` newer lines follow among the rows that
   * scrolled off is left out: counted in the returned number, never rendered.
   * @returns how many lines were left out
   */
  const takeScrolled = (lines: string[], until: number, keep: number): number => {
    const normal = terminal.buffer.normal;
    // Rows the program erased (ED 3) before they were taken are gone, as from a terminal's history.
    taken = Math.max(taken, trimmed);
    const scrolledEnd = trimmed + normal.baseY;
    const end = Math.min(until, scrolledEnd);
    if (end <= taken) return 0;
    const rows = core.buffers.normal.lines;
    /** Whether the line that row `row` is in ends there (the next row does not continue it). */
    const endsLine = (row: number) => rows.get(row + 1 - trimmed)?.isWrapped !== true;
    let skipped = 0;
    // The rows before `renderFrom` are in lines that `keep` newer ones follow.
    let renderFrom = taken;
    if (Number.isFinite(keep)) {
      // A row's line is known to end there once the row after it scrolled off too.
      scannedTo = Math.max(scannedTo, taken);
      for (; scannedTo < scrolledEnd - 1; scannedTo += 1)
        if (endsLine(scannedTo)) lineEnds.push(scannedTo);
      while (lineEndsHead < lineEnds.length && (lineEnds[lineEndsHead] ?? 0) < taken)
        lineEndsHead += 1;
      if (lineEndsHead > emulatedScreenLimits.scrollback) {
        lineEnds.splice(0, lineEndsHead);
        lineEndsHead = 0;
      }
      const older = lineEnds.length - 1 - keep;
      const olderEnd = lineEnds[older];
      if (olderEnd !== undefined && older >= lineEndsHead && olderEnd < end) {
        // Whole lines up to `olderEnd` are left out, counted by their ends.
        skipped += older - lineEndsHead + 1;
        lineEndsHead = older + 1;
        taken = olderEnd + 1;
        skippingLine = false;
        carried = '';
      } else if (olderEnd !== undefined && older >= lineEndsHead) {
        renderFrom = end;
      }
    }
    for (; taken < renderFrom; taken += 1) {
      skippingLine = true;
      if (endsLine(taken)) {
        skipped += 1;
        skippingLine = false;
        carried = '';
      }
    }
    for (; taken < end; taken += 1) {
      const continues = !endsLine(taken);
      if (skippingLine) {
        if (!continues) {
          skipped += 1;
          skippingLine = false;
          carried = '';
        }
        continue;
      }
      const line = normal.getLine(taken - trimmed);
      if (line) {
        carried += renderRow(line, cell, continues ? 'continued' : 'trim');
        if (!continues || carried.length >= emulatedScreenLimits.maxLineLength) {
          lines.push(carried);
          carried = '';
        }
      }
    }
    return skipped;
  };

  /** The newest `keep` of `lines`; the others are counted as left out. */
  const keepOnly = (lines: string[], keep: number): string[] => {
    if (lines.length <= keep) return lines;
    skippedLines += lines.length - keep;
    return lines.slice(lines.length - keep);
  };

  /** The lines the normal screen shows, wrapped rows joined, without blank lines at the end. */
  const screenLines = (): string[] => {
    const normal = terminal.buffer.normal;
    const lines: string[] = [];
    let current = carried;
    carried = '';
    for (let row = normal.baseY; row < normal.baseY + terminal.rows; row += 1) {
      const line = normal.getLine(row);
      if (!line) continue;
      const continues =
        normal.getLine(row + 1)?.isWrapped === true && row + 1 < normal.baseY + terminal.rows;
      current += renderRow(line, cell, continues ? 'continued' : 'trim');
      if (!continues) {
        lines.push(current);
        current = '';
      }
    }
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  };

  return {
    push(data, keepNewest = Number.POSITIVE_INFINITY) {
      if (ended) return [];
      const lines: string[] = [];
      const normal = terminal.buffer.normal;
      const maxRows = terminal.rows + emulatedScreenLimits.scrollback;
      for (let start = 0; start < data.length;) {
        let end = Math.min(data.length, start + emulatedScreenLimits.pieceLength);
        // A character is not cut in two (the emulator would take each half for one).
        if (end < data.length && isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
        // Rows this piece may push out of the emulator's scrollback are taken out first.
        const kept = trimmed + normal.length + (end - start) - maxRows;
        skippedLines += takeScrolled(lines, kept, keepNewest);
        core.writeSync(start === 0 && end === data.length ? data : data.slice(start, end));
        start = end;
      }
      // Without a bound every line is wanted at once; with one, the rest waits for takeLines.
      if (!Number.isFinite(keepNewest))
        takeScrolled(lines, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      return keepOnly(lines, keepNewest);
    },
    takeLines(keepNewest = Number.POSITIVE_INFINITY) {
      if (ended) return [];
      const lines: string[] = [];
      skippedLines += takeScrolled(lines, Number.POSITIVE_INFINITY, keepNewest);
      return keepOnly(lines, keepNewest);
    },
    get skippedLines() {
      return skippedLines;
    },
    end() {
      if (ended) return [];
      ended = true;
      const lines: string[] = [];
      skippedLines += takeScrolled(lines, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      lines.push(...screenLines());
      terminal.dispose();
      return lines;
    },
    get partial() {
      if (ended) return '';
      const buffer = terminal.buffer.active;
      const line = buffer.getLine(buffer.baseY + buffer.cursorY);
      return line ? renderRow(line, cell, 'trim') : '';
    },
    resize({ cols, rows }) {
      if (ended || (cols === terminal.cols && rows === terminal.rows)) return;
      terminal.resize(cols, rows);
      // The rows are wrapped again: where lines end is read afresh.
      lineEnds = [];
      lineEndsHead = 0;
      scannedTo = 0;
    },
    rows(throughCursor = false) {
      if (ended) return [];
      const buffer = terminal.buffer.active;
      const rows: string[] = [];
      for (let row = 0; row < terminal.rows; row += 1) {
        const line = buffer.getLine(buffer.baseY + row);
        const keepColumns = throughCursor && row === buffer.cursorY ? buffer.cursorX : 0;
        rows.push(line ? renderRow(line, cell, 'trim', keepColumns) : '');
      }
      const shown = throughCursor ? buffer.cursorY + 1 : 0;
      while (rows.length > shown && rows.at(-1) === '') rows.pop();
      return rows;
    },
    cursor() {
      const buffer = terminal.buffer.active;
      return { row: buffer.cursorY, column: buffer.cursorX };
    },
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
