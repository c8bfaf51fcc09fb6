import { Box, Text, useStdout } from 'ink';
import type { PromptScreen } from '../session/transcript-fold.js';
import { CursorRow } from './CursorRow.js';
import { clipStyledLine } from './format.js';

/**
 * The shell's prompt and the line being edited, as its terminal shows them (completion lists and
 * reverse search included), with the cursor drawn as an inverted cell.
 */
export function PromptView({
  prompt,
  maxRows,
}: {
  prompt: PromptScreen;
  /** Rows shown at most: the lowest ones down to the cursor's. */
  maxRows: number;
}) {
  const { stdout } = useStdout();
  const columns = Math.max(1, stdout.columns || 80);
  const first = Math.max(0, prompt.rows.length - Math.max(1, maxRows));
  return (
    <Box flexDirection="column">
      {prompt.rows.slice(first).map((row, offset) => {
        const index = first + offset;
        if (index !== prompt.cursor.row)
          return (
            <Text key={index} wrap="truncate-end">
              {row === '' ? ' ' : clipStyledLine(row, columns)}
            </Text>
          );
        return <CursorRow key={index} row={row} column={prompt.cursor.column} columns={columns} />;
      })}
    </Box>
  );
}
