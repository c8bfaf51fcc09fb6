import type { SessionSummary } from '@lifeline/protocol';

/**
 * A live session's summary as a gateway lists it, `extra` in place of its defaults: named `work`, in
 * `/home/ada/work`, created and last active at 10:00 on 1 January 2026.
 */
export function sessionSummary(sid: string, extra: Partial<SessionSummary> = {}): SessionSummary {
  return {
    sid: sid as SessionSummary['sid'],
    name: 'work',
    status: 'live',
    cwd: '/home/ada/work',
    shell: '/bin/bash',
    createdAt: '2026-01-01T10:00:00.000Z',
    lastActivityAt: '2026-01-01T10:00:00.000Z',
    lastSeq: 3,
    ...extra,
  };
}
