import { controlSequence } from '../terminal-sequences.js';
import { columnsOf } from './format.js';

/** The terminal as it is now, and the rows the live frame takes at its bottom. */
export interface ScreenArea {
  columns: number;
  rows: number;
  /** Rows of the frame drawn under the transcript (header, input line, a live run's screen). */
  frameRows: number;
}

/**
 * Text that redraws, in place, the transcript rows of the screen at a new width: the last lines of
 * `printed` (text as the transcript printer writes it, lines ending in `\n`) that fit above the
 * frame. With `anchor` `bottom` (the transcript fills the screen above the frame) they end where
 * the frame starts, and what the terminal holds above (its scrollback) is left as the terminal
 * reflowed it. With `top` (the transcript began on this screen, after a clear or a start on an
 * empty terminal, and has not filled it yet), the screen is drawn from its first row. Rows are
 * erased one by one rather than with a clear of the screen, which some terminals (tmux, kitty)
 * would push into the scrollback, as a second copy.
 */
export function screenRedraw(
  printed: string,
  { columns, rows, frameRows, anchor }: ScreenArea & { anchor: 'top' | 'bottom' },
): string {
  const lines = printed.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const room = Math.max(0, rows - frameRows);
  let used = 0;
  let first = lines.length;
  while (first > 0) {
    const needed = rowsOf(lines[first - 1] ?? '', columns);
    if (used + needed > room) break;
    used += needed;
    first -= 1;
  }
  const top = anchor === 'top' ? 1 : room - used + 1;
  let text = '';
  for (let row = top; row <= rows; row += 1) text += controlSequence(`${row};1`, 'H') + '\x1b[2K';
  text += controlSequence(`${top};1`, 'H');
  for (const line of lines.slice(first)) text += `${line}\n`;
  return text;
}

/** Rows `line` takes on a terminal `columns` wide (one when empty). */
function rowsOf(line: string, columns: number): number {
  return Math.max(1, Math.ceil(columnsOf(line) / Math.max(1, columns)));
}
