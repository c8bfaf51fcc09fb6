import { Box, Text } from 'ink';
import type { SessionSummary } from '@lifeline/protocol';
import { formatAge, shortSid } from './format.js';

/** Live (its shell idle), busy (a command runs: the last command shown) or ended. */
function StatusMark({ session }: { session: SessionSummary }) {
  if (session.status === 'ended') return <Text color="gray">○ ended</Text>;
  return session.running ? <Text color="yellow">● busy </Text> : <Text color="green">● live </Text>;
}

/** The `/sessions` list: ↑/↓ to move, Enter to resume, Esc to close. */
export function SessionPicker({ sessions, selected, current, now }: { sessions: readonly SessionSummary[]; selected: number; current: string | undefined; now: number }) {
  if (sessions.length === 0) return <Text dimColor>no sessions yet · Esc closes</Text>;
  return (
    <Box flexDirection="column">
      <Text dimColor>sessions · ↑/↓ move · Enter resumes · Esc closes</Text>
      {sessions.map((session, index) => (
        <Text key={session.sid} inverse={index === selected}>
          {session.sid === current ? '▸ ' : '  '}
          <StatusMark session={session} /> {shortSid(session.sid)} {session.name}{' '}
          <Text dimColor>
            {session.cwd} · {session.lastCommand ?? '(no runs)'} · {formatAge(session.lastActivityAt, now)}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
