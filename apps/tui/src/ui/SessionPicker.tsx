import { Box, Text } from 'ink';
import type { SessionSummary } from '@lifeline/protocol';
import { statusOf } from '../session/session-status.js';
import { formatAge, homeRelativePath, shortSid, visible } from './format.js';

const marks = {
  live: <Text color="green">● live </Text>,
  busy: <Text color="yellow">● busy </Text>,
  waiting: <Text color="magenta">● waits</Text>,
  ended: <Text color="gray">○ ended</Text>,
} as const;

/** Live (its shell idle), busy (a command runs: the last command shown), waits (for someone to type) or ended. */
function StatusMark({ session }: { session: SessionSummary }) {
  return marks[statusOf(session)];
}

/**
 * The sessions the list shows when they do not all fit in `rows` (its header's included): as many
 * as fit, the selected one among them, as near their middle as the ends of the list allow.
 */
export function pickerWindow(
  count: number,
  selected: number,
  rows: number,
): { start: number; end: number } {
  const shown = Math.max(1, Math.min(count, rows - 1));
  const start = Math.max(0, Math.min(selected - Math.floor(shown / 2), count - shown));
  return { start, end: start + shown };
}

/**
 * The `/sessions` list, most recently active first, one line per session (cut at the terminal's
 * edge): `▸` and reverse video mark the session selected (↑/↓ move it, Enter resumes it, Esc
 * closes the list), and `(shown)` after its name the session the TUI shows now. More sessions than
 * `maxRows` holds scroll with the selection, the header saying which are shown.
 */
export function SessionPicker({
  sessions,
  selected,
  current,
  home,
  now,
  maxRows,
  listing = false,
}: {
  sessions: readonly SessionSummary[];
  selected: number;
  current: string | undefined;
  /** The user's home directory: a cwd in it is shown as `~/…`. */
  home?: string | undefined;
  now: number;
  /** Rows the list may take, its header's included. */
  maxRows: number;
  /** The list is on its way. */
  listing?: boolean;
}) {
  if (listing) return <Text dimColor>listing the sessions… · Esc closes</Text>;
  if (sessions.length === 0) return <Text dimColor>no sessions yet · Esc closes</Text>;
  const { start, end } = pickerWindow(sessions.length, selected, maxRows);
  const which = end - start < sessions.length ? ` ${start + 1}–${end} of ${sessions.length}` : '';
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-end">
        sessions{which} · ↑/↓ move · Enter resumes · Esc closes · most recently active first
      </Text>
      {sessions.slice(start, end).map((session, offset) => {
        const index = start + offset;
        return (
          <Text key={session.sid} inverse={index === selected} wrap="truncate-end">
            {index === selected ? '▸ ' : '  '}
            <StatusMark session={session} /> {shortSid(session.sid)} {session.name}{' '}
            {session.sid === current ? <Text bold>(shown) </Text> : null}
            <Text dimColor>
              {visible(homeRelativePath(session.cwd, home))} ·{' '}
              {session.lastCommand === undefined ? '(no runs)' : visible(session.lastCommand)} ·{' '}
              {formatAge(session.lastActivityAt, now)}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
