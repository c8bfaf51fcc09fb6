import { cursorRowAndWidthQuery, screenSizeQuery } from '../terminal-sequences.js';
import { ConfirmedSize } from './confirmed-size.js';
import type { CursorRowAnswer, CursorRowProbe } from './cursor-row-probe.js';
import type { FrameHold } from './frame-hold.js';

/**
 * Time the frames held while a new size waits are held for beyond the longest the wait may take:
 * the timers that end the wait were set a moment after the hold's, and must fire first.
 */
const holdSlackMs = 250;

/**
 * The terminal's size as the TUI lays out and draws at it (see {@link ConfirmedSize}): a new size
 * counts once `probe` hears the terminal say it has it. The frames drawn meanwhile, and the
 * transcript's text, are held (`hold`) for as long as the wait may take: a hold that ended before
 * the answer came would draw them for the old size on a terminal that has the new one, and their
 * erase of the frame as drawn, taller than the terminal wrapped it, would erase rows of the
 * transcript above it.
 */
export function sizeConfirmedByProbe(
  stream: Pick<NodeJS.WriteStream, 'columns' | 'rows' | 'on'>,
  probe: CursorRowProbe,
  hold: FrameHold,
  confirms: () => boolean,
): ConfirmedSize {
  /** Asks `query`, and gives `answer` the terminal's answer (undefined from a silent one). */
  const asking = (query: string) => (answer: (answer: CursorRowAnswer | undefined) => void) => {
    if (probe.silent) {
      answer(undefined);
      return;
    }
    probe.ask(query);
    probe.whenAnswered(answer);
  };
  return new ConfirmedSize({
    stream,
    askWidth: asking(cursorRowAndWidthQuery),
    askHeight: (answer) => {
      asking(screenSizeQuery)((size) => {
        answer(size?.row);
      });
    },
    answerWaitMs: probe.longestWaitMs,
    confirms,
    waiting: (longestMs) => {
      hold.start(longestMs + holdSlackMs);
    },
    // Back at the size that counts, the terminal may be on its way on (a window's edge dragged
    // on, which tmux tells of 250 ms later): frames wait as they do after a redraw at a new width.
    unchanged: () => {
      hold.start();
    },
  });
}
