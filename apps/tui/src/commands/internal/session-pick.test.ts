import { expect, test } from 'vitest';
import { sessionSummary as session } from '../../test-utils/session-summary.js';
import { sessionToContinue } from './session-pick.js';

test('-c goes back to the live session opened last, even when another printed something since', () => {
  const left = session('s_left', {
    lastAttachedAt: '2026-01-01T11:00:00.000Z',
    lastActivityAt: '2026-01-01T11:05:00.000Z',
  });
  const busy = session('s_busy', {
    lastAttachedAt: '2026-01-01T10:30:00.000Z',
    lastActivityAt: '2026-01-01T12:00:00.000Z',
  });
  const byAProgram = session('s_program', { lastActivityAt: '2026-01-01T12:30:00.000Z' });
  const ended = session('s_ended', {
    status: 'ended',
    lastAttachedAt: '2026-01-01T11:30:00.000Z',
  });
  expect(sessionToContinue([busy, byAProgram, left, ended])?.sid).toBe('s_left');
});

test('-c takes the live session active last when none was ever opened in a TUI', () => {
  const sessions = [
    session('s_quiet', { lastActivityAt: '2026-01-01T10:00:00.000Z' }),
    session('s_newest', { lastActivityAt: '2026-01-01T12:00:00.000Z' }),
    session('s_ended', {
      status: 'ended',
      lastActivityAt: '2026-01-01T13:00:00.000Z',
      lastAttachedAt: '2026-01-01T13:00:00.000Z',
    }),
  ];
  expect(sessionToContinue(sessions)?.sid).toBe('s_newest');
  expect(sessionToContinue([session('s_gone', { status: 'ended' })])).toBeUndefined();
});
