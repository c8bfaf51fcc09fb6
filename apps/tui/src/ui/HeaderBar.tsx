import { Text } from 'ink';
import { describeSupervisorState, type SupervisorState } from '@lifeline/recovery';
import type { SessionSummary } from '@lifeline/protocol';
import { shortSid } from './format.js';

/** Session, cwd and the gateway's state, always visible. */
export function HeaderBar({
  session,
  cwd,
  connection,
  crashLogPath,
}: {
  session: SessionSummary | undefined;
  cwd: string | undefined;
  connection: SupervisorState;
  crashLogPath: string;
}) {
  const state = describeConnection(connection, crashLogPath);
  return (
    <Text>
      <Text bold>lifeline</Text>
      {session ? (
        <Text>
          {' · '}
          {session.name} <Text dimColor>{shortSid(session.sid)}</Text>
        </Text>
      ) : null}
      {cwd ? <Text dimColor> · {cwd}</Text> : null}
      {' · '}
      <Text color={state.color}>{state.text}</Text>
    </Text>
  );
}

function describeConnection(state: SupervisorState, crashLogPath: string): { text: string; color: 'green' | 'yellow' | 'red' | 'gray' } {
  switch (state.status) {
    case 'live':
      return { text: '● ready', color: 'green' };
    case 'recovering':
      return { text: describeSupervisorState(state), color: 'yellow' };
    case 'gave-up':
      return { text: `${describeSupervisorState(state)} · crash log: ${crashLogPath}`, color: 'red' };
    case 'starting':
    case 'idle':
      return { text: 'starting gateway…', color: 'gray' };
    case 'stopped':
      return { text: 'stopped', color: 'gray' };
  }
}
