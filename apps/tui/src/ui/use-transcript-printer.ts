import { useStdout } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ControllerSnapshot } from '../connection/session-controller.js';
import type { CursorRowProbe } from './cursor-row-probe.js';
import type { PassthroughMode } from '../session/passthrough-plan.js';
import {
  frameLinesAboveScreen,
  frameLinesAboveLowerScreen,
  frameLinesInScrollback,
  transcriptEndRowAfterResize,
  transcriptRowsAfterResize,
  type DrawnFrame,
  type FrameLinesPushed,
} from './drawn-frame.js';
import type { PrintQueue } from './print-queue.js';
import { withoutLines } from './run-rows-in-scrollback.js';
import { linesIn, TranscriptPrinter, type PrintRate } from './transcript-text.js';
import { lastRowsOf } from './format.js';
import { useLatest } from './use-latest.js';
import { rowsBlankedAbove, wrapping } from '../terminal-sequences.js';

/** How long after a frame that held a flood's output it is looked at again: output that has not come for this long is over. */
const floodCheckMs = 250;

/** What {@link useTranscriptPrinter} prints from, and where. */
export interface TranscriptPrinterOptions {
  snapshot: ControllerSnapshot;
  /** Rows the live frame takes under the transcript now, the row the cursor rests on included. */
  frameRows: () => number;
  /** Set on every render to the handover state drawn, so output written after a frame matches it. */
  renderedPassthrough: { current: PassthroughMode } | undefined;
  /** Where transcript text waits for its frame; without it, text is written as soon as it is taken. */
  printQueue: PrintQueue | undefined;
  /** Whether what the program wrote while the user was attached reached the terminal. */
  attachedOutputShown: () => boolean;
  /** The frame as the renderer drew it, followed from what it writes (where the terminal is a real one). */
  drawnFrame?: DrawnFrame | undefined;
  /** Asks the terminal where its cursor is as its width changes (where the terminal is a real one). */
  cursorRowProbe?: CursorRowProbe | undefined;
  /** How many lines of output are printed, at most. @default defaultPrintRate */
  printRate?: PrintRate | undefined;
}

/** What the app prints into the transcript of its own. */
export interface TranscriptPrinting {
  /** Prints Lifeline's own lines (help, the crash log, a warning): one line as a note in `tone`. */
  printLocal: (lines: string[], tone?: 'info' | 'warning' | 'error') => void;
  /**
   * Clears the terminal (`/clear`, Ctrl+L at Lifeline's command line) and draws the frame again at
   * its top; what was printed before is not printed again (the session's log keeps it).
   */
  clear: () => void;
}

/**
 * Prints the transcript above the live area as plain text after each commit: no layout, so a flood
 * costs what its text costs. Nothing of the session is printed while it is being attached (its
 * history comes in one piece) or while a program has the terminal; a new width draws the screen's
 * rows again at that width, from memory, and leaves the scrollback to the terminal.
 */
export function useTranscriptPrinter({
  snapshot,
  frameRows,
  renderedPassthrough,
  printQueue,
  attachedOutputShown,
  drawnFrame,
  cursorRowProbe,
  printRate,
}: TranscriptPrinterOptions): TranscriptPrinting {
  const { stdout, write } = useStdout();
  const [, setRedraw] = useState(0);
  const printer = useRef(new TranscriptPrinter(printRate ? { rate: printRate } : {}));
  const latestSnapshot = useLatest(snapshot);
  const latestFrameRows = useLatest(frameRows);
  // While a program has the terminal nothing is printed; what a user attached to was shown raw, so
  // its output is not printed again, but its result line (added as it ended) still is. Given back
  // before any of it was shown (it ended before the empty frame was out), it is all printed.
  const passthrough = snapshot.passthrough;
  const previousPassthrough = useRef(passthrough);
  if (previousPassthrough.current === 'attached' && passthrough === 'off' && attachedOutputShown())
    printer.current.skipOutput(snapshot.transcript);
  previousPassthrough.current = passthrough;
  if (renderedPassthrough) renderedPassthrough.current = passthrough;
  // As the terminal is handed over, what the transcript holds so far (a run's header, lines before
  // a full-screen program's switch) is printed first: the program's output continues under it.
  const printedFor = useRef<PassthroughMode>('off');
  const floodCheck = useRef<NodeJS.Timeout | undefined>(undefined);
  // Text taken for a frame that a lower terminal made out of date (see the resize below).
  const awaitingLayout = useRef('');
  // Width changes so far: a redraw waiting for the terminal's answer is dropped by a later one.
  const widthChanges = useRef(0);
  // Rows blanked between the transcript and the frame, until the transcript is drawn again.
  const blankRowsAboveFrame = useRef(0);
  useEffect(() => () => clearTimeout(floodCheck.current), []);
  useEffect(
    () =>
      drawnFrame?.hold.onRelease(() => {
        setRedraw((value) => value + 1);
      }),
    [drawnFrame],
  );
  // The width the transcript is drawn at (see the resize below).
  const drawnWidth = useRef(stdout.columns);
  useLayoutEffect(() => {
    // The app laid out again at a new width before the transcript is drawn again at it: what the
    // transcript added meanwhile is printed after that redraw, which takes the screen as it was.
    if (
      passthrough === 'off' &&
      drawnFrame?.resizing === true &&
      stdout.columns !== drawnWidth.current
    )
      return;
    const handedOverAlready = printedFor.current !== 'off';
    printedFor.current = passthrough;
    if (passthrough !== 'off' && handedOverAlready) return;
    // The session's history is printed once it is all applied, as the session stands: what a
    // clear of the scrollback removed is never shown, whatever frames the history took to arrive.
    // A program taking the terminal over draws under everything printed so far, a flood's too.
    printer.current.describe(snapshot.session);
    const text = printer.current.take(
      snapshot.historyApplied ? snapshot.transcript : undefined,
      snapshot.historyThroughSeq,
      passthrough === 'off',
    );
    // Output held during a flood is printed once it slows down: looked at again a little later,
    // whether or not anything else changes by then.
    clearTimeout(floodCheck.current);
    if (printer.current.holdsOutput)
      floodCheck.current = setTimeout(() => {
        setRedraw((value) => value + 1);
      }, floodCheckMs);
    const waiting = awaitingLayout.current + text;
    awaitingLayout.current = '';
    if (waiting === '') return;
    if (printQueue) {
      printQueue.text += waiting;
      printQueue.write = (queued) => {
        write(wrapping(queued));
      };
    } else write(wrapping(waiting));
  });

  // A new width: the rows of the screen are drawn again at that width, from memory, at once (the
  // renderer has just drawn its frame at it, and nothing else may scroll the screen before); the
  // scrollback is left as the terminal reflowed it.
  useEffect(() => {
    let height = stdout.rows;
    const onResize = () => {
      const frame = drawnFrame?.takeResize(stdout.columns);
      const rowsBefore = height;
      height = stdout.rows;
      if (latestSnapshot.current.passthrough !== 'off') return;
      const rows = stdout.rows;
      // Filled before, the frame was at the bottom of the screen, where the terminal keeps it (a
      // narrower terminal wraps its lines, a lower one takes rows off its top). A frame that shrank
      // since (a run's screen ending) left rows empty under it: the terminal says where it is then.
      const filledBefore =
        frame !== undefined &&
        frame.cursorOnLastRow &&
        printer.current.fillsScreen(frame.rowsDrawn + 1, rowsBefore);
      const framePushed: FrameLinesPushed =
        frame && filledBefore
          ? frameLinesInScrollback(rows, frame)
          : { lines: [], restOnScreen: 0, after: [] };
      if (stdout.columns === drawnWidth.current) {
        // Lower, on a screen the transcript may not have filled (under lines that were there before
        // Lifeline, it cannot tell): a frame taller than the screen now lost its first lines off
        // the top all the same.
        const pushed =
          frame && !filledBefore && rows < rowsBefore
            ? frameLinesAboveLowerScreen(rows, frame)
            : framePushed;
        const leftScreen = printer.current.framePushedIntoScrollback(
          latestSnapshot.current.transcript,
          pushed,
          stdout.columns,
        );
        // The renderer drew its frame again as laid out for the old height, taller than the screen
        // now: text written above it would scroll part of it into the scrollback. What waits to be
        // printed waits for the frame laid out at the new height, but for the lines the
        // scrollback has now.
        if (printQueue && rows < rowsBefore) {
          awaitingLayout.current += withoutLines(printQueue.text, leftScreen, stdout.columns);
          printQueue.text = '';
          setRedraw((value) => value + 1);
        }
        return;
      }
      const columnsBefore = drawnWidth.current;
      drawnWidth.current = stdout.columns;
      widthChanges.current += 1;
      const change = widthChanges.current;
      const redraw = (
        transcriptEndRow: number | undefined,
        pushed = framePushed,
        pushedRestBlanked?: string,
      ) => {
        const transcript = latestSnapshot.current.transcript;
        const transcriptRows = frame ? transcriptRowsAfterResize(stdout.rows, frame) : undefined;
        // What waits for the next frame is not on the terminal yet: the redraw ends before it, and
        // it is printed after, but for the lines the scrollback has now.
        const queued = printQueue?.text ?? '';
        printer.current.redrawScreen(
          transcript,
          {
            columns: stdout.columns,
            rows: stdout.rows,
            frameRows: frame ? frame.rowsNow + 1 : latestFrameRows.current(),
            ...(transcriptRows === undefined ? {} : { transcriptRows }),
            ...(transcriptEndRow === undefined ? {} : { transcriptEndRow }),
            frameRowsAtTop: pushed.restOnScreen,
            ...(pushedRestBlanked === undefined ? {} : { frameRowsAtTopText: pushedRestBlanked }),
          },
          linesIn(queued, 0),
          rows > rowsBefore,
        );
        blankRowsAboveFrame.current = 0;
        const leftScreen = printer.current.framePushedIntoScrollback(
          transcript,
          pushed,
          columnsBefore,
        );
        const text = printer.current.take(undefined);
        // What waits is printed right after the redraw, before the frames that follow are held
        // (see FrameHold): it left the command's screen before the frame on the terminal was drawn,
        // so the screen then holds every line up to that frame's, and the frames held are its.
        const waiting = awaitingLayout.current + withoutLines(queued, leftScreen, columnsBefore);
        awaitingLayout.current = '';
        if (printQueue) printQueue.text = '';
        if (text + waiting !== '') write(wrapping(text + waiting));
        drawnFrame?.hold.start();
        setRedraw((value) => value + 1);
      };
      // A transcript that has not filled the screen is drawn again where the terminal kept it,
      // once it says where its cursor was as it wrapped the lines again (see CursorRowProbe). So is
      // one that filled it, on a terminal made taller: the terminal may have pulled rows back
      // out of its scrollback (tmux and xterm.js do), all of them when they are fewer than the rows
      // it gained, and the frame is no longer at the bottom. Until then, the rows the renderer left
      // of the old frame are blanked: wrapped again by a later change, they would take rows no one
      // can count.
      // Where the terminal read the TUI's last writes after it changed, the rows off its scrollback
      // are known (see LateWritesScreen): they are drawn again from the top.
      const late = frame?.transcriptRowsOffScrollback !== undefined;
      if (!cursorRowProbe || !frame || late || (filledBefore && rows <= rowsBefore)) {
        redraw(undefined);
        return;
      }
      const blankRowsBefore = blankRowsAboveFrame.current;
      const leftOfOldFrame = Math.max(0, frame.rewrappedRows - frame.rowsDrawn);
      if (leftOfOldFrame > 0) {
        write(rowsBlankedAbove(leftOfOldFrame));
        blankRowsAboveFrame.current += leftOfOldFrame;
      }
      cursorRowProbe.whenAnswered((answer) => {
        if (change !== widthChanges.current) return;
        const cursorRow = answer?.row;
        if (cursorRow === undefined) {
          redraw(undefined);
          return;
        }
        // The frame's lines wrapped again may have pushed its first ones off the top (a running
        // command's screen, say): they are in the scrollback as they leave that screen. The rest of
        // the last, cut there, was blanked with what the renderer left of the old frame: it is
        // drawn again, to follow its start into the scrollback.
        const pushed = frameLinesAboveScreen(frame, cursorRow, stdout.rows);
        const cut = pushed.lines.at(-1) ?? '';
        redraw(
          transcriptEndRowAfterResize(frame, cursorRow, stdout.rows, blankRowsBefore),
          pushed,
          leftOfOldFrame > 0 ? lastRowsOf(cut, stdout.columns, pushed.restOnScreen) : undefined,
        );
      });
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);

  return {
    printLocal: (lines, tone = 'info') => {
      if (lines.length === 1 && lines[0] !== undefined)
        printer.current.local({ kind: 'note', text: lines[0], tone });
      else printer.current.local({ kind: 'lines', lines });
      setRedraw((value) => value + 1);
    },
    clear: () => {
      printer.current.reset(latestSnapshot.current.transcript, false);
      printer.current.clearTerminal();
      setRedraw((value) => value + 1);
    },
  };
}
