import { Text } from 'ink';
import { cutAtCursor } from './cursor-cell.js';

/**
 * A row of a screen with the cursor drawn on it as an inverted cell (the terminal's own cursor is
 * hidden while the TUI draws), at `column`, kept within the terminal's `columns`.
 */
export function CursorRow({
  row,
  column,
  columns,
}: {
  row: string;
  column: number;
  columns: number;
}) {
  const cut = cutAtCursor(row, Math.min(column, columns - 1));
  return (
    <Text wrap="truncate-end">
      {cut.before}
      <Text inverse>{cut.under}</Text>
      {cut.after}
    </Text>
  );
}
