import type { SessionSummary } from '@lifeline/protocol';

/** The live sessions among `sessions`, the one used last first. */
function liveSessionsNewestFirst(sessions: readonly SessionSummary[]): SessionSummary[] {
  return sessions
    .filter((session) => session.status === 'live')
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
}

/**
 * The line a new session starts with when other sessions of the user are still running (left
 * detached by a TUI that quit, or started by `lifeline exec`): how many, how to switch to one, and
 * the newest of them, e.g. `2 other sessions are running · Ctrl+] sessions switches ·
 * newest: "api" in /home/ada/api`. None when no other session runs.
 *
 * @param sessions every session the gateway knows (`session.list`)
 * @param currentSid the session shown, which is not counted
 * @param shellEditsLines whether Lifeline's commands are reached with Ctrl+] (the shell edits its
 * own line) rather than typed with their slash
 */
export function otherSessionsNotice(
  sessions: readonly SessionSummary[],
  currentSid: string,
  shellEditsLines: boolean,
): string | undefined {
  const others = liveSessionsNewestFirst(sessions).filter((session) => session.sid !== currentSid);
  const newest = others[0];
  if (!newest) return undefined;
  const count =
    others.length === 1
      ? '1 other session is running'
      : `${others.length} other sessions are running`;
  const command = shellEditsLines ? 'Ctrl+] sessions' : '/sessions';
  return `${count} · ${command} switches · newest: "${newest.name}" in ${newest.cwd}`;
}
