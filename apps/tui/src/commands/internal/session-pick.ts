import type { SessionSummary } from '@lifeline/protocol';

/** The sessions, the one whose last event is the newest first. */
export function byRecentActivity(sessions: readonly SessionSummary[]): SessionSummary[] {
  return [...sessions].sort(
    (left, right) => Date.parse(right.lastActivityAt) - Date.parse(left.lastActivityAt),
  );
}

/** The session whose last event is the newest: what `attach -c` picks. */
export function mostRecentlyActive(
  sessions: readonly SessionSummary[],
): SessionSummary | undefined {
  return byRecentActivity(sessions)[0];
}
