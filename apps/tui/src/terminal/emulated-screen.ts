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
  /** The screen takes a new size, as the program's terminal did (lines re-flow as in xterm). */
  resize(size: ScreenSize): void;
  /**
   * The screen's rows as they show now, down to the last one that shows something, or with
   * `throughCursor` down to the cursor's, which then ends at the cursor at least.
   */
  rows(throughCursor?: boolean): string[];
}

/** Bounds of the emulated screen. */
export const emulatedScreenLimits = {
  /**
   * Code units of output parsed before the lines that scrolled off are taken out. Each code unit
   * scrolls the screen by one row at most, so the emulator's own scrollback never overflows.
   */
  pieceLength: 4096,
  /** Rows kept above the screen between two takes (more than a piece and a half can scroll). */
  scrollback: 8192,
  /**
   * A line that wrapped over this many code units without ending is handed out as it is; the
   * rest continues in the next line.
   */
  maxLineLength: 64 * 1024,
} as const;

/** Erases the rows above the screen (ED 3): those were taken out already. */
const eraseScrollback = '\x1b[3J';

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
  const core = (terminal as unknown as { _core: { writeSync(data: string): void } })._core;
  const cell = terminal.buffer.normal.getNullCell();
  /** Rows above the screen already taken out. */
  let taken = 0;
  /** The start of a line whose rows are partly taken out and that continues on the screen. */
  let carried = '';
  let ended = false;

  /** Takes the rows that scrolled off the screen, as lines. */
  const takeScrolled = (lines: string[]) => {
    const normal = terminal.buffer.normal;
    for (; taken < normal.baseY; taken += 1) {
      const line = normal.getLine(taken);
      if (!line) continue;
      const continues = normal.getLine(taken + 1)?.isWrapped === true;
      carried += renderRow(line, cell, continues ? 'continued' : 'trim');
      if (!continues || carried.length >= emulatedScreenLimits.maxLineLength) {
        lines.push(carried);
        carried = '';
      }
    }
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
    push(data) {
      if (ended) return [];
      const lines: string[] = [];
      for (let start = 0; start < data.length;) {
        let end = Math.min(data.length, start + emulatedScreenLimits.pieceLength);
        if (end < data.length) {
          // Cut after a newline where there is one: the scrollback is erased only there, where no
          // escape sequence can be under way.
          const newline = data.lastIndexOf('\n', end - 1);
          if (newline >= start) end = newline + 1;
          else if (isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
        }
        core.writeSync(data.slice(start, end));
        takeScrolled(lines);
        const atLineStart = data.charCodeAt(end - 1) === 0x0a;
        if (
          taken > 0 &&
          terminal.buffer.active.type === 'normal' &&
          (atLineStart || taken > emulatedScreenLimits.scrollback / 4)
        ) {
          core.writeSync(eraseScrollback);
          taken = 0;
        }
        start = end;
      }
      return lines;
    },
    end() {
      if (ended) return [];
      ended = true;
      const lines: string[] = [];
      takeScrolled(lines);
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
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
