import type { SessionSummary } from '@lifeline/protocol';
import { statusOf } from '../../session/session-status.js';
import { clipToColumns, columnsOf, formatAge, homeRelativePath, visible } from '../../ui/format.js';

/** Options of {@link formatSessionTable}. */
export interface SessionTableOptions {
  /** Now, in epoch milliseconds, for the ages. */
  now: number;
  /** The user's home directory, shown as `~`. */
  home: string | undefined;
  /**
   * Columns available (a terminal's width); cwd and command are shortened to fit. Without it (the
   * table goes to a pipe), the command is cut at {@link PIPED_COMMAND_COLUMNS}: a pasted script as a
   * session's last command made every row as wide (`--json` has it whole).
   */
  width?: number;
}

/** Widest the last command is shown where the table has no width (see `SessionTableOptions.width`). */
export const PIPED_COMMAND_COLUMNS = 80;

const headers = ['STATUS', 'SID', 'NAME', 'CWD', 'LAST COMMAND', 'AGE'] as const;
const gap = '  ';
// Columns that give way, in order, when the table is wider than the terminal; and how narrow.
const shrinkable = [
  { column: 4, min: 12 },
  { column: 3, min: 12 },
  { column: 2, min: 8 },
] as const;

/**
 * `lifeline sessions` as a table, one line per session: status (see {@link statusOf}), sid, name,
 * cwd, last command and age. Control characters in names, paths and commands are shown escaped, never sent to the
 * terminal.
 */
export function formatSessionTable(
  sessions: readonly SessionSummary[],
  options: SessionTableOptions,
): string[] {
  const rows = sessions.map((session) => [
    statusOf(session),
    session.sid,
    visible(session.name),
    visible(homeRelativePath(session.cwd, options.home)),
    visible(session.lastCommand ?? ''),
    formatAge(session.lastActivityAt, options.now),
  ]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => columnsOf(row[column] ?? ''))),
  );
  if (options.width === undefined) widths[4] = Math.min(widths[4] ?? 0, PIPED_COMMAND_COLUMNS);
  else {
    let excess =
      widths.reduce((sum, width) => sum + width, 0) +
      gap.length * (headers.length - 1) -
      options.width;
    for (const { column, min } of shrinkable) {
      if (excess <= 0) break;
      const current = widths[column] ?? 0;
      const cut = Math.min(excess, Math.max(0, current - min));
      widths[column] = current - cut;
      excess -= cut;
    }
  }
  return [headers, ...rows].map((row) =>
    row
      .map((cell, column) => fit(cell, widths[column] ?? 0, column === row.length - 1))
      .join(gap)
      .trimEnd(),
  );
}

/** `cell` in `width` columns: cut with `…` where it is wider, padded unless it is the last. */
function fit(cell: string, width: number, last: boolean): string {
  const shown = clipToColumns(cell, width);
  return last ? shown : shown + ' '.repeat(Math.max(0, width - columnsOf(shown)));
}
