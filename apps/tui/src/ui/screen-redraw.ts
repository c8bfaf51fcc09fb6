import { controlSequence, rowsErased } from '../terminal-sequences.js';
import { lastRowsOf, rowsOf } from './format.js';

/** The terminal as it is now, and the rows the live frame takes at its bottom. */
export interface ScreenArea {
  columns: number;
  rows: number;
  /** Rows of the frame drawn under the transcript (header, input line, a live run's screen). */
  frameRows: number;
  /**
   * Rows the transcript keeps at the top of a screen it fills, when fewer than those above the
   * frame: what the terminal scrolled into its scrollback as it wrapped its lines again is not drawn
   * a second time.
   */
  transcriptRows?: number;
  /**
   * For a transcript drawn from the top: the row (from 1) its last row is on, as the terminal
   * reports it after wrapping its lines again. Terminals differ there: some push rows off the top
   * into their scrollback as lines grow, or pull them back as the screen gets taller, and the rows
   * above the transcript may be the user's, from before Lifeline. Without it, the transcript starts
   * on the first row.
   */
  transcriptEndRow?: number;
  /**
   * Rows at the top of the screen that hold the rest of a line of the frame whose first rows the
   * terminal pushed into its scrollback as it wrapped the frame again: left as they are, they
   * follow the line's start there, and the transcript is drawn under them. @default 0
   */
  frameRowsAtTop?: number;
  /** What those rows held, when they were blanked since: drawn there again, from their first. */
  frameRowsAtTopText?: string;
}

/** What {@link screenRedraw} writes, and where it draws the transcript. */
export interface ScreenRedraw {
  text: string;
  /**
   * Whether the transcript is drawn from the top of the screen (under `rowsAbove` rows), the frame
   * right under it: the rows under the frame are empty, and the screen is not full.
   */
  fromTop: boolean;
  /**
   * Rows above those the transcript drawn from the top writes, left as they are: not its own, or
   * the last rows of its line the screen starts in the middle of, as the terminal wrapped them.
   */
  rowsAbove: number;
}

/**
 * Text that redraws, in place, the transcript rows of the screen at a new width: the last lines of
 * `printed` (text as the transcript printer writes it, lines ending in `\n`) that fit above the
 * frame. With `anchor` `bottom` (the transcript fills the screen above the frame) they end on the
 * last of its `transcriptRows` (where the frame starts, by default), so that they continue what the
 * terminal holds above (its scrollback), which is left as the terminal reflowed it; the frame is
 * drawn right under them. With `top` (the transcript began on this screen, after a clear or a start
 * on an empty terminal, and has not filled it yet; or the terminal said where it ends), the screen
 * is drawn from its first row. Rows are erased one by one rather than with a clear of the screen,
 * which some terminals (tmux, kitty) would push into the scrollback, as a second copy.
 */
export function screenRedraw(
  printed: string,
  {
    columns,
    rows,
    frameRows,
    transcriptRows,
    transcriptEndRow,
    frameRowsAtTop = 0,
    frameRowsAtTopText,
    anchor,
  }: ScreenArea & { anchor: 'top' | 'bottom' },
): ScreenRedraw {
  const lines = printed.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const aboveFrame = rows - frameRows;
  const frameRest = Math.max(0, Math.min(frameRowsAtTop, aboveFrame));
  // The transcript's rows the terminal had on the screen, more than the rows above the new frame:
  // the renderer erased its old frame as drawn, taller than as the terminal wrapped it again (wider
  // now), and drew a frame as tall over the rows the terminal had pulled back out of its
  // scrollback above it. They are drawn again all the same, from the first row (none holds the rest
  // of a frame's line then): the frame drawn under them scrolls the first into the scrollback,
  // after the rows there before, as a terminal scrolls lines printed above a frame.
  const overflows =
    anchor === 'bottom' &&
    frameRest === 0 &&
    transcriptRows !== undefined &&
    transcriptRows > aboveFrame;
  const room = overflows
    ? transcriptRows
    : Math.max(
        0,
        anchor === 'bottom'
          ? Math.min(aboveFrame - frameRest, transcriptRows ?? aboveFrame)
          : Math.min(rows, transcriptEndRow ?? aboveFrame) - frameRest,
      );
  let used = 0;
  let first = lines.length;
  while (first > 0) {
    const needed = rowsOf(lines[first - 1] ?? '', columns);
    if (used + needed > room) break;
    used += needed;
    first -= 1;
  }
  // Filled (not every line fits): the transcript continues what the terminal kept at the top of
  // the screen (its scrollback above), and the frame is drawn right under it; the rows between its
  // last row and the bottom (what the terminal wrapped the old frame into) are left empty under
  // the frame, never among the lines, where they would go into the scrollback as empty lines.
  const fromTop = !overflows && (anchor === 'top' || first > 0);
  // From the top, the transcript ends where the terminal has its last row: the rows above it are
  // not its own, or its first rows went into the scrollback (then it starts on the first row).
  const top = fromTop
    ? frameRest + (transcriptEndRow === undefined || first > 0 ? 1 : room - used + 1)
    : frameRest + (overflows ? 1 : room - used + 1);
  // The line the screen starts in the middle of: its last rows are the first of the screen (the
  // rest is in the scrollback). They are the terminal's own, as it wrapped the line again: left as
  // they are, they stay one line with its start in the scrollback the next time the terminal wraps
  // lines (rows written there, or rows left empty above them, would make them a line of their own
  // then, one row more than the transcript counts, and part of the line shown twice).
  const cut = fromTop && first > 0 && used < room;
  const keptRows = cut ? room - used : 0;
  const start = top + keptRows;
  // Written over the blanks those rows keep (see rowsBlankedAbove): erased, they would no longer be
  // the rest of the line to the terminal.
  const restDrawn =
    frameRest > 0 && frameRowsAtTopText !== undefined
      ? controlSequence('1;1', 'H') + frameRowsAtTopText
      : '';
  let text = restDrawn + rowsErased(start, rows) + controlSequence(`${start};1`, 'H');
  // Drawn again where the renderer erased them, the last rows of the line whose first rows are in
  // the scrollback come first.
  if (overflows && first > 0 && used < room)
    text += `${lastRowsOf(lines[first - 1] ?? '', columns, room - used)}\n`;
  for (const line of lines.slice(first)) text += `${line}\n`;
  return {
    text,
    fromTop,
    rowsAbove: fromTop ? start - 1 : 0,
  };
}
