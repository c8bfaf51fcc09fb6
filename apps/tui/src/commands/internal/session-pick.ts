import type { SessionSummary } from '@lifeline/protocol';

/** The sessions, the one whose last event is the newest first. */
export function byRecentActivity(sessions: readonly SessionSummary[]): SessionSummary[] {
  return [...sessions].sort(
    (left, right) => Date.parse(right.lastActivityAt) - Date.parse(left.lastActivityAt),
  );
}

/**
 * The session `lifeline -c` (and `lifeline attach -c`) goes back to: of the live sessions, the one
 * someone left in the TUI last (`lastAttachedAt`: when a TUI last opened or left it); when none was
 * ever opened there (all started by programs, or listed by a gateway that does not record it), the
 * one whose last event is the newest.
 */
export function sessionToContinue(sessions: readonly SessionSummary[]): SessionSummary | undefined {
  const live = sessions.filter((session) => session.status === 'live');
  const opened = live.flatMap((session) =>
    session.lastAttachedAt === undefined
      ? []
      : [{ session, at: Date.parse(session.lastAttachedAt) }],
  );
  if (opened.length === 0) return byRecentActivity(live)[0];
  return opened.reduce((latest, next) => (next.at > latest.at ? next : latest)).session;
}
