import { Box, Text } from 'ink';
import type { SessionSummary } from '@lifeline/protocol';
import { formatAge, shortSid } from './format.js';

/** The `/sessions` list: ↑/↓ to move, Enter to resume, Esc to close. */
export function SessionPicker({ sessions, selected, current, now }: { sessions: readonly SessionSummary[]; selected: number; current: string | undefined; now: number }) {
  if (sessions.length === 0) return <Text dimColor>no sessions yet · Esc closes</Text>;
  return (
    <Box flexDirection="column">
      <Text dimColor>sessions · ↑/↓ move · Enter resumes · Esc closes</Text>
      {sessions.map((session, index) => (
        <Text key={session.sid} inverse={index === selected}>
          {session.sid === current ? '▸ ' : '  '}
          <Text color={session.status === 'live' ? 'green' : 'gray'}>{session.status === 'live' ? '● live ' : '○ ended'}</Text> {shortSid(session.sid)} {session.name}{' '}
          <Text dimColor>
            {session.cwd} · {session.lastCommand ?? '(no runs)'} · {formatAge(session.lastActivityAt, now)}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
