import type { TerminalQuery } from '../terminal/output-sanitizer.js';

/**
 * What a terminal types in answer to `queries` (see {@link TerminalQuery}), in order: the cursor's
 * place (1-based row and column, `CSI row ; column R`), that all is well (`CSI 0 n`), and that it
 * is a VT100 with advanced video, the answer that promises no extra feature (`CSI ? 1 ; 2 c`). A
 * cursor position cannot be told without `cursor`: that question is left unanswered.
 */
export function terminalReplies(
  queries: readonly TerminalQuery[],
  cursor: { row: number; column: number } | undefined,
): string {
  let replies = '';
  for (const query of queries) {
    if (query === 'cursor-position') {
      if (cursor) replies += `\x1b[${cursor.row + 1};${cursor.column + 1}R`;
    } else if (query === 'status') {
      replies += '\x1b[0n';
    } else {
      replies += '\x1b[?1;2c';
    }
  }
  return replies;
}
