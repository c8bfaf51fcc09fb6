import { Text, useStdout } from 'ink';
import { describeSupervisorState, type SupervisorState } from '@lifeline/recovery';
import type { SessionSummary } from '@lifeline/protocol';
import { STARTING_GATEWAY_TEXT } from './early-prompt-frame.js';
import { columnsOf, fitPath, homeRelativePath, resumableSid, shortSid } from './format.js';
import { startCommand } from '../started-as.js';

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

/** What the header says a live gateway is doing with the session. */
export type SessionActivity =
  'attaching' | 'running' | 'waiting for input' | 'ready' | 'shell exited';

/**
 * Session, cwd, the gateway's state and a full disk, on one line when the terminal is wide enough
 * for the state: the cwd gives way first (cut by its start), then the session's id, then its name.
 */
export function HeaderBar({
  session,
  cwd,
  home,
  connection,
  crashLogPath,
  diskFull = false,
  activity = 'ready',
}: {
  session: SessionSummary | undefined;
  cwd: string | undefined;
  /** The user's home directory: a cwd in it is shown as `~/…`. */
  home?: string | undefined;
  connection: SupervisorState;
  crashLogPath: string;
  /** The session's disk is full (its log waits in memory for room). @default false */
  diskFull?: boolean;
  /**
   * What a live gateway is said to be doing: attaching the session (its history not all shown
   * yet), running a command, running one that waits for someone to type, ready at the prompt, or
   * waiting for a command to start a new shell (the session's shell exited). @default 'ready'
   */
  activity?: SessionActivity;
}) {
  const { stdout } = useStdout();
  // A terminal that reports no width is laid out at 80 columns.
  const columns = stdout.columns || 80;
  const { state, showName, showSid, fixedColumns } = headerLayout(
    { session, connection, crashLogPath, diskFull, activity },
    columns,
  );
  const cwdColumns = columns - fixedColumns - separator.length;
  // The cwd gives way first: not shown once the session's id has had to.
  const cwdFits = cwd !== undefined && cwdColumns >= minCwdColumns;
  const shownCwd =
    cwdFits && (session === undefined || showSid)
      ? fitPath(homeRelativePath(cwd, home), cwdColumns)
      : undefined;
  return (
    <Text>
      <Text bold>lifeline</Text>
      {session && showName ? (
        <Text>
          {separator}
          {session.name}
          {showSid ? (
            <Text>
              {' '}
              <Text dimColor>{shortSid(session.sid)}</Text>
            </Text>
          ) : null}
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

/**
 * What the header shows on a terminal `columns` wide: the session's name and id while the line
 * still fits without the cwd (the id gives way first), and the columns it then takes without the
 * cwd; more than `columns` (a long state), and it wraps.
 */
export function headerLayout(
  {
    session,
    connection,
    crashLogPath,
    diskFull,
    activity,
  }: {
    session: SessionSummary | undefined;
    connection: SupervisorState;
    crashLogPath: string;
    diskFull: boolean;
    activity: SessionActivity;
  },
  columns: number,
): {
  state: { text: string; color: 'green' | 'yellow' | 'red' | 'gray' };
  showName: boolean;
  showSid: boolean;
  fixedColumns: number;
} {
  const state = describeConnection(connection, crashLogPath, session, activity, columns);
  const tail = `${separator}${state.text}${diskFull ? `${separator}${diskFullText}` : ''}`;
  const name = session ? `${separator}${session.name}` : '';
  const sid = session ? ` ${shortSid(session.sid)}` : '';
  const withSid = columnsOf(`lifeline${name}${sid}${tail}`);
  const withName = columnsOf(`lifeline${name}${tail}`);
  const showSid = session !== undefined && withSid <= columns;
  const showName = session !== undefined && (showSid || withName <= columns);
  const fixedColumns = showSid ? withSid : showName ? withName : columnsOf(`lifeline${tail}`);
  return { state, showName, showSid, fixedColumns };
}

function describeConnection(
  state: SupervisorState,
  crashLogPath: string,
  session: SessionSummary | undefined,
  activity: SessionActivity,
  columns: number,
): { text: string; color: 'green' | 'yellow' | 'red' | 'gray' } {
  switch (state.status) {
    case 'live':
      return {
        text: `● ${activity}`,
        color:
          activity === 'attaching'
            ? 'gray'
            : activity === 'shell exited' || activity === 'waiting for input'
              ? 'yellow'
              : 'green',
      };
    case 'recovering':
      return { text: describeSupervisorState(state, recoveryWords), color: 'yellow' };
    case 'gave-up': {
      // The crash log's path is long: where it does not fit on the line, the command that prints
      // the log stands for it, or nothing (the header says why the gateway is down on one line).
      const why = describeSupervisorState(state, recoveryWords);
      const text = [`${why} · crash log: ${crashLogPath}`, `${why} · lifeline logs`].find(
        (candidate) => columnsOf(`lifeline${separator}${candidate}`) <= columns,
      );
      return { text: text ?? why, color: 'red' };
    }
    case 'starting':
    case 'idle':
      return { text: STARTING_GATEWAY_TEXT, color: 'gray' };
    case 'stopped': {
      // The TUI quit; the session's shell goes on in its host, or its log is kept. Named by its
      // id, whole where it fits beside the session's name, else by its start, as shown: `-c` takes
      // the live session a TUI opened last, which may be another by then, and a name may be shared.
      if (!session) return { text: 'detached', color: 'gray' };
      // A session whose shell ended is still there to come back to, with a new shell.
      const left = activity === 'shell exited' ? 'detached · its shell ended' : 'detached';
      const resume = (sid: string) => `${left} · ${startCommand()} --resume ${sid}`;
      const whole = resume(session.sid);
      const fits = columnsOf(`lifeline${separator}${session.name}${separator}${whole}`) <= columns;
      return { text: fits ? whole : resume(resumableSid(session.sid)), color: 'gray' };
    }
  }
}
