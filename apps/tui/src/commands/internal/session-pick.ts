import type { SessionSummary } from '@lifeline/protocol';

/** The session whose last event is the newest: what `exec` and `attach -c` pick. */
export function mostRecentlyActive(sessions: readonly SessionSummary[]): SessionSummary | undefined {
  let best: SessionSummary | undefined;
  for (const session of sessions) {
    if (!best || Date.parse(session.lastActivityAt) > Date.parse(best.lastActivityAt)) best = session;
  }
  return best;
}
