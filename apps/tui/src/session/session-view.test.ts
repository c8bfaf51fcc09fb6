import {
  createSessionId,
  type EventPayload,
  type SessionEvent,
  type SessionSummary,
} from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { createEmulatedScreen } from '../terminal/emulated-screen.js';
import { createDisplayLines } from './display-lines.js';
import { SessionView } from './session-view.js';

const sessionA = createSessionId();
const sessionB = createSessionId();

const summary = (
  sid: SessionSummary['sid'],
  fields: Partial<SessionSummary> = {},
): SessionSummary => ({
  sid,
  name: 'work',
  status: 'live',
  cwd: '/home/ada',
  shell: '/bin/bash',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  lastSeq: -1,
  ...fields,
});

const event = (seq: number, payload: EventPayload): SessionEvent => ({
  seq,
  time: seq,
  ...payload,
});

function viewWorld() {
  let newTranscripts = 0;
  const view = new SessionView({
    createLines: createDisplayLines,
    createRunLines: createEmulatedScreen,
    onNewTranscript: () => (newTranscripts += 1),
  });
  return { view, newTranscripts: () => newTranscripts };
}

test('showing a session starts its transcript afresh; a failed switch puts the one shown before back as it was', () => {
  const world = viewWorld();
  expect(world.view.sid).toBeUndefined();
  world.view.show(sessionA);
  expect(world.newTranscripts()).toBe(1);
  world.view.fold.apply(event(0, { type: 'run_start', runId: 'r1', command: 'ls' }));
  const shownBefore = world.view.fold;
  const putBack = world.view.show(sessionB);
  expect(world.newTranscripts()).toBe(2);
  expect(world.view.sid).toBe(sessionB);
  expect(world.view.fold.lastSeq).toBe(-1);
  putBack();
  expect(world.view.sid).toBe(sessionA);
  expect(world.view.fold).toBe(shownBefore);
  expect(world.view.fold.snapshot().history).toEqual(['ls']);
});

test('the cwd shown follows the shell as its runs end; a rename keeps it', () => {
  const world = viewWorld();
  world.view.show(sessionA);
  world.view.attached(summary(sessionA, { cwd: '/home/ada' }));
  expect(world.view.cwd).toBe('/home/ada');
  world.view.fold.apply(event(0, { type: 'run_start', runId: 'r1', command: 'cd /tmp' }));
  const end = event(1, {
    type: 'run_complete',
    runId: 'r1',
    startSeq: 0,
    exitCode: 0,
    cwd: '/tmp',
    durationMs: 1,
  });
  world.view.fold.apply(end);
  world.view.followCwd(end);
  expect(world.view.session?.cwd).toBe('/tmp');
  world.view.renamed(sessionA, summary(sessionA, { name: 'api', cwd: '/home/ada' }));
  expect(world.view.session).toMatchObject({ name: 'api', cwd: '/tmp' });
  // The rename of a session no longer shown changes nothing.
  world.view.renamed(sessionB, summary(sessionB, { name: 'other' }));
  expect(world.view.session?.name).toBe('api');
});
