import { Box, Text, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { LiveRun } from '../session/transcript-fold.js';
import { CursorRow } from './CursorRow.js';
import { clipCommand, clipStyledLine, columnsOf, formatDuration } from './format.js';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Milliseconds each spinner frame shows. */
const spinnerStepMs = 100;

/**
 * The command running now: the screen it draws, with its cursor as an inverted cell where the
 * program shows it, then a spinner and its elapsed time.
 */
export function LiveRunView({
  run,
  now,
  maxRows,
  leftRunning = false,
  cutOff = false,
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
    ? ` · ${formatDuration(elapsed)} so far · still running`
    : cutOff
      ? ` · ${formatDuration(elapsed)}, then the gateway was lost · /recover shows the rest`
      : ` · ${formatDuration(elapsed)}`;
  // One row whatever the command: the spinner, a space, the command cut to fit, the time; and a
  // column to spare, so that no terminal wraps it (a wrapped row is left behind on every frame).
  const room = Math.max(1, stdout.columns - 2 - columnsOf(time) - 1);
  const columns = Math.max(1, stdout.columns);
  // The program's cursor stays in view (it is where the user types): above the lowest rows, the
  // rows shown start at its own.
  const first = Math.min(
    Math.max(0, run.screen.length - maxRows),
    run.cursor?.row ?? Number.POSITIVE_INFINITY,
  );
  return (
    <Box flexDirection="column">
      {run.screen.slice(first, first + maxRows).map((row, offset) => {
        const index = first + offset;
        if (index === run.cursor?.row)
          return <CursorRow key={offset} row={row} column={run.cursor.column} columns={columns} />;
        // Rows are the screen's own: at most as wide as it, but the terminal may just have shrunk.
        // An empty row keeps its height.
        return (
          <Text key={offset} wrap="truncate-end">
            {row === '' ? ' ' : clipStyledLine(row, columns)}
          </Text>
        );
      })}
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
          {clipCommand(run.command, room)}
          {time}
        </Text>
      </Text>
    </Box>
  );
}
