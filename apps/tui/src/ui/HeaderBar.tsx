import { Text, useStdout } from 'ink';
import { describeSupervisorState, type SupervisorState } from '@lifeline/recovery';
import type { SessionSummary } from '@lifeline/protocol';
import { columnsOf, fitPath, resumableSid, shortSid } from './format.js';

const separator = ' · ';
/** A cwd cut shorter than this says too little: it is left out instead. */
const minCwdColumns = 8;
/** How the status line names what the recovery supervisor looks after. */
const recoveryWords = {
  subject: 'gateway',
  targetName: 'session',
  recoverCommand: '/recover',
} as const;

/** What the status line says while the session's disk is full. */
const diskFullText = '⚠ disk full: log held in memory';

/**
 * Session, cwd, the gateway's state and a full disk, always visible, on one line when the terminal is wide
 * enough for all but the cwd: the cwd gives way, cut by its start.
 */
export function HeaderBar({
  session,
  cwd,
  connection,
  crashLogPath,
  diskFull = false,
}: {
  session: SessionSummary | undefined;
  cwd: string | undefined;
  connection: SupervisorState;
  crashLogPath: string;
  /** The session's disk is full (its log waits in memory for room). @default false */
  diskFull?: boolean;
}) {
  const state = describeConnection(connection, crashLogPath, session);
  const { stdout } = useStdout();
  const rest = headerColumns(session, connection, crashLogPath, diskFull);
  // A terminal that reports no width is laid out at 80 columns.
  const cwdColumns = (stdout.columns || 80) - rest - separator.length;
  const shownCwd =
    cwd === undefined || cwdColumns < minCwdColumns ? undefined : fitPath(cwd, cwdColumns);
  return (
    <Text>
      <Text bold>lifeline</Text>
      {session ? (
        <Text>
          {separator}
          {session.name} <Text dimColor>{shortSid(session.sid)}</Text>
        </Text>
      ) : null}
      {shownCwd ? (
        <Text dimColor>
          {separator}
          {shownCwd}
        </Text>
      ) : null}
      {separator}
      <Text color={state.color}>{state.text}</Text>
      {diskFull ? (
        <Text>
          {separator}
          <Text color="red">{diskFullText}</Text>
        </Text>
      ) : null}
    </Text>
  );
}

/** Columns the header takes without the cwd (which gives way): more than the terminal's, and it wraps. */
export function headerColumns(
  session: SessionSummary | undefined,
  connection: SupervisorState,
  crashLogPath: string,
  diskFull = false,
): number {
  const state = describeConnection(connection, crashLogPath, session);
  return columnsOf(
    `lifeline${session ? `${separator}${session.name} ${shortSid(session.sid)}` : ''}${separator}${state.text}${diskFull ? `${separator}${diskFullText}` : ''}`,
  );
}

function describeConnection(
  state: SupervisorState,
  crashLogPath: string,
  session: SessionSummary | undefined,
): { text: string; color: 'green' | 'yellow' | 'red' | 'gray' } {
  switch (state.status) {
    case 'live':
      return { text: '● ready', color: 'green' };
    case 'recovering':
      return { text: describeSupervisorState(state, recoveryWords), color: 'yellow' };
    case 'gave-up':
      return {
        text: `${describeSupervisorState(state, recoveryWords)} · crash log: ${crashLogPath}`,
        color: 'red',
      };
    case 'starting':
    case 'idle':
      return { text: 'starting gateway…', color: 'gray' };
    case 'stopped':
      // The TUI quit; the session's shell goes on in its host, or its log is kept. Named by the
      // start of its id, as shown: `-c` takes the most recent live session, which may be another,
      // and a name may be shared.
      return {
        text: session ? `detached · lifeline --resume ${resumableSid(session.sid)}` : 'detached',
        color: 'gray',
      };
  }
}
