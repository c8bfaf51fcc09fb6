import { expect, test } from 'vitest';
import { sessionSummary as session } from '../test-utils/session-summary.js';
import { otherSessionsNotice } from './other-sessions-notice.js';

test('counts the live sessions but the one shown, and names the newest', () => {
  const sessions = [
    session('s_current', { lastActivityAt: '2026-01-01T12:00:00.000Z' }),
    session('s_old', { name: 'old', lastActivityAt: '2026-01-01T09:00:00.000Z' }),
    session('s_api', {
      name: 'api',
      cwd: '/home/ada/api',
      lastActivityAt: '2026-01-01T11:00:00.000Z',
    }),
    session('s_ended', { status: 'ended', lastActivityAt: '2026-01-01T11:30:00.000Z' }),
  ];
  expect(otherSessionsNotice(sessions, 's_current', true)).toBe(
    '2 other sessions are running · Ctrl+] sessions switches · newest: "api" in /home/ada/api',
  );
  expect(otherSessionsNotice(sessions.slice(0, 2), 's_current', false)).toBe(
    '1 other session is running · /sessions switches · newest: "old" in /home/ada/work',
  );
});

test('says nothing when no other session runs', () => {
  expect(otherSessionsNotice([session('s_current')], 's_current', true)).toBeUndefined();
  expect(
    otherSessionsNotice(
      [session('s_current'), session('s_ended', { status: 'ended' })],
      's_current',
      true,
    ),
  ).toBeUndefined();
});
