import { Box, Text, useStdout } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LiveRun } from '../session/transcript-fold.js';
import { CursorRow } from './CursorRow.js';
import type { ContinuedFrameRows } from './continued-frame-rows.js';
import { clipStyledLine, columnsOf, formatDuration, plainText, stillRunningFor } from './format.js';
import { leadingRowsPushed, type FrameRowsPushed } from './frame-rows-pushed.js';
import type { RunRowsAboveFrame } from './run-rows-above-frame.js';
import { runningHints, runStatusLayout } from './run-status-line.js';
import { screenAsIs, screenAtWidth } from './screen-at-width.js';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Milliseconds each spinner frame shows. */
const spinnerStepMs = 100;

/**
 * The command running now: the screen it draws, with its cursor as an inverted cell where the
 * program shows it, then one row with a spinner, the command and its elapsed time, and (while the
 * TUI's other lines give the program their rows) the session's state and what the keys do.
 */
export function LiveRunView({
  run,
  now,
  maxRows,
  leftRunning = false,
  cutOff = false,
  state,
  message,
  framePushed,
  continuedRows,
  rowsAbove,
}: {
  run: LiveRun;
  now: () => number;
  /** Rows of its screen shown at most: the lowest ones, or from the cursor's if it is above them. */
  maxRows: number;
  /**
   * The TUI quit while the command runs: the last frame says it goes on, without a spinner that
   * would stand still on the terminal.
   */
  leftRunning?: boolean;
  /**
   * Recovery gave up on the gateway: nothing says whether the run goes on or has ended, so its time
   * stops where it was, and the row says how to see the rest. @default false
   */
  cutOff?: boolean;
  /**
   * What the session is doing (`● running`, or the gateway's state), said on the run's row with
   * what the keys do, where no header and input line are shown under it.
   */
  state?: { text: string; color: 'green' | 'yellow' | 'red' | 'gray' } | undefined;
  /**
   * A message of the TUI's said on the run's row, after the state, in place of what the keys do (see
   * `fitsRunRow`): on a row of its own, it would take one of the rows the program's screen has.
   */
  message?: { text: string; color: 'yellow' | 'red' | 'gray' } | undefined;
  /**
   * Rows of its screen the terminal pushed into its scrollback off the top of the frame: while
   * they are the first rows shown, they are left out; once they are not, they are forgotten (rows
   * only move up, and others may read the same).
   */
  framePushed?: FrameRowsPushed | undefined;
  /**
   * Told which rows it draws go on on the next (the frame's first lines are its rows): where the
   * program's terminal wrapped a line, the terminal is to hold them as one line too.
   */
  continuedRows?: ContinuedFrameRows | undefined;
  /** Told which rows of its screen it does not show at the top (those in the scrollback aside). */
  rowsAbove?: RunRowsAboveFrame | undefined;
}) {
  // The spinner and the time move on every frame, and at least every tenth of a second: a frame
  // drawn for the run's output (a flood draws them as fast as it can) is not followed by one of
  // their own. Cut off, they stand still.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (cutOff) return undefined;
    const timer = setTimeout(() => {
      setTick((value) => value + 1);
    }, spinnerStepMs);
    return () => {
      clearTimeout(timer);
    };
  });
  const { stdout } = useStdout();
  // Kept from the first frame drawn cut off, for as long as it is.
  const cutOffAt = useRef<number | undefined>(undefined);
  if (cutOff) cutOffAt.current ??= now();
  else cutOffAt.current = undefined;
  const elapsed = Math.max(0, (cutOffAt.current ?? now()) - run.startedAt);
  const time = leftRunning
    ? ` · ${stillRunningFor(elapsed)}`
    : cutOff
      ? ` · ${formatDuration(elapsed)}, then the gateway was lost · /recover shows the rest`
      : ` · ${formatDuration(elapsed)}`;
  // One row whatever the command (a wrapped row is left behind on every frame): the command and a
  // hint give way to the time and the state.
  const columns = Math.max(1, stdout.columns);
  const status = runStatusLayout({
    columns,
    command: run.command,
    time,
    state: state?.text,
    hints: state === undefined ? [] : runningHints,
    note: message?.text,
  });
  // Wider than the terminal for a moment after it got narrower: its lines wrapped at the width,
  // where the program's screen fills the rows the frame gives it already (a frame taller at once
  // would push its first rows off a screen the transcript has not filled).
  const screen =
    run.screen.length + (run.rowsLeftOut ?? 0) >= maxRows
      ? screenAtWidth(run, columns)
      : screenAsIs(run);
  // The program's cursor stays in view (it is where the user types): above the lowest rows, the
  // rows shown start at its own.
  const lowest = Math.min(
    Math.max(0, screen.rows.length - maxRows),
    screen.cursor?.row ?? Number.POSITIVE_INFINITY,
  );
  const shown = screen.rows.slice(lowest, lowest + maxRows);
  // Rows the scrollback has are not drawn again at the top, where the next change of width would
  // push them there a second time: the rows under them move up, and as many empty rows under the
  // screen keep the frame as high as before (the terminal keeps its rows at the bottom).
  const rowsPushed = framePushed?.of(run.runId) ?? [];
  const leadingPushed =
    rowsPushed.length === 0 ? 0 : leadingRowsPushed(rowsPushed, shown.map(plainText));
  useLayoutEffect(() => {
    if (leadingPushed === 0 && rowsPushed.length > 0) framePushed?.forget(run.runId);
  });
  const pushed = Math.min(
    leadingPushed,
    Math.max(0, (screen.cursor?.row ?? Number.POSITIVE_INFINITY) - lowest),
  );
  // The last frame, left on the terminal as the TUI goes, starts with a line of the screen: the
  // rows of one that the rows above it begin are printed above it with them (see rowsAbove), so
  // that the terminal holds the line as one.
  let restOfLineAbove = 0;
  if (leftRunning && rowsAbove && pushed === 0)
    while (
      lowest + restOfLineAbove > 0 &&
      restOfLineAbove + 1 < shown.length &&
      lowest + restOfLineAbove < (screen.cursor?.row ?? Number.POSITIVE_INFINITY) &&
      screen.continued[lowest + restOfLineAbove - 1] === true
    )
      restOfLineAbove += 1;
  const first = lowest + pushed + restOfLineAbove;
  const rows = screen.rows.slice(first, lowest + shown.length);
  // Rows left out at the top leave as many empty under the screen: the frame keeps its height.
  const emptyUnder = pushed + restOfLineAbove;
  // Told as the frame is laid out, for the renderer's next write of it, which draws this layout.
  if (continuedRows) {
    const continued = new Set<number>();
    rows.forEach((row, offset) => {
      // Not a row cut at the terminal's width (the command's screen is wider for a moment).
      const goesOn = offset + 1 < rows.length && screen.continued[first + offset] === true;
      if (goesOn && columnsOf(row) <= columns) continued.add(offset);
    });
    continuedRows.rows = continued;
  }
  useLayoutEffect(
    () => () => {
      if (continuedRows) continuedRows.rows = new Set();
    },
    [continuedRows],
  );
  if (rowsAbove) {
    // Less those the terminal pushed into its scrollback at a change of size (see framePushed).
    const above = screen.rows.slice(0, lowest + restOfLineAbove);
    const inScrollback =
      rowsPushed.length === 0 ? 0 : leadingRowsPushed(rowsPushed, above.map(plainText));
    rowsAbove.rows = above.slice(inScrollback);
    rowsAbove.continued = screen.continued.slice(inScrollback, above.length);
  }
  useLayoutEffect(
    () => () => {
      if (rowsAbove) {
        rowsAbove.rows = [];
        rowsAbove.continued = [];
      }
    },
    [rowsAbove],
  );
  return (
    <Box flexDirection="column">
      {rows.map((row, offset) => {
        const index = first + offset;
        if (index === screen.cursor?.row)
          return (
            <CursorRow key={offset} row={row} column={screen.cursor.column} columns={columns} />
          );
        // Rows are the screen's own: at most as wide as it, but the terminal may just have shrunk.
        // An empty row keeps its height.
        return (
          <Text key={offset} wrap="truncate-end">
            {row === '' ? ' ' : clipStyledLine(row, columns)}
          </Text>
        );
      })}
      {Array.from({ length: emptyUnder }, (_, offset) => (
        <Text key={`pushed-${offset}`}> </Text>
      ))}
      {/* Cut by the renderer too: drawn at a new width before this is laid out again, it stays one row. */}
      <Text wrap="truncate-end">
        <Text color={cutOff ? 'yellow' : 'cyan'}>
          {leftRunning
            ? '…'
            : cutOff
              ? '⚠'
              : spinner[Math.floor(elapsed / spinnerStepMs) % spinner.length]}
        </Text>
        <Text dimColor>
          {' '}
          {status.command}
          {/* The command gave way to a message: the time comes first. */}
          {status.command === '' ? time.slice(' · '.length) : time}
        </Text>
        {state ? (
          <Text>
            {' · '}
            <Text color={state.color}>{state.text}</Text>
          </Text>
        ) : null}
        {status.hint === undefined ? null : message ? (
          <Text>
            {' · '}
            <Text color={message.color}>{status.hint}</Text>
          </Text>
        ) : (
          <Text dimColor>{` · ${status.hint}`}</Text>
        )}
      </Text>
    </Box>
  );
}
