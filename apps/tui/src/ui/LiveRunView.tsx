import { Box, Text, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { LiveRun } from '../session/transcript-fold.js';
import { clipStyledLine, formatDuration } from './format.js';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The command running now: a spinner, its elapsed time, and the line it is writing. */
export function LiveRunView({ run, now }: { run: LiveRun; now: () => number }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setTick((value) => value + 1);
    }, 100);
    return () => {
      clearInterval(timer);
    };
  }, []);
  const { stdout } = useStdout();
  const elapsed = Math.max(0, now() - run.startedAt);
  return (
    <Box flexDirection="column">
      {run.partial === '' ? null : <Text wrap="truncate-end">{clipStyledLine(run.partial, Math.max(1, stdout.columns))}</Text>}
      <Text>
        <Text color="cyan">{spinner[tick % spinner.length]}</Text>
        <Text dimColor>
          {' '}
          {run.command} · {formatDuration(elapsed)}
        </Text>
      </Text>
    </Box>
  );
}
