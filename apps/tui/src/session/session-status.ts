import type { SessionSummary } from '@lifeline/protocol';

/**
 * `live` (its shell idle), `busy` (a command runs: the last command shown), `waiting` (that command
 * waits for someone to type: `lifeline sessions input` answers it) or `ended`.
 */
export function statusOf(session: SessionSummary): 'live' | 'busy' | 'waiting' | 'ended' {
  if (session.status === 'ended') return 'ended';
  if (session.running === undefined) return 'live';
  return session.running.waitsForInput === true ? 'waiting' : 'busy';
}
