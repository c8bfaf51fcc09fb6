import { Box, Text } from 'ink';
import type { SessionSummary } from '@lifeline/protocol';
import { statusOf } from '../session/session-status.js';
import { formatAge, shortSid, visible } from './format.js';

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
 * The `/sessions` list, most recently active first, one line per session (cut at the terminal's
 * edge): `▸` and reverse video mark the session selected (↑/↓ move it, Enter resumes it, Esc
 * closes the list), and `(shown)` after its name the session the TUI shows now.
 */
export function SessionPicker({
  sessions,
  selected,
  current,
  now,
  listing = false,
}: {
  sessions: readonly SessionSummary[];
  selected: number;
  current: string | undefined;
  now: number;
  /** The list is on its way. */
  listing?: boolean;
}) {
  if (listing) return <Text dimColor>listing the sessions… · Esc closes</Text>;
  if (sessions.length === 0) return <Text dimColor>no sessions yet · Esc closes</Text>;
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-end">
        sessions · ↑/↓ move · Enter resumes · Esc closes · most recently active first
      </Text>
      {sessions.map((session, index) => (
        <Text key={session.sid} inverse={index === selected} wrap="truncate-end">
          {index === selected ? '▸ ' : '  '}
          <StatusMark session={session} /> {shortSid(session.sid)} {session.name}{' '}
          {session.sid === current ? <Text bold>(shown) </Text> : null}
          <Text dimColor>
            {visible(session.cwd)} ·{' '}
            {session.lastCommand === undefined ? '(no runs)' : visible(session.lastCommand)} ·{' '}
            {formatAge(session.lastActivityAt, now)}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
