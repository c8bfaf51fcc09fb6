import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { SessionCatalog } from '../gateway/session-catalog.js';
import { sessionParams, temporaryDirectory } from '../test-utils/temporary-state.js';
import { LAST_ATTACH_FILE, readLastAttach, recordAttach } from './last-attach.js';

test('when someone opened a session is kept on disk: another gateway lists it, and the newest time wins', () => {
  const stateDir = temporaryDirectory('lifeline-attach-');
  const sid = new SessionCatalog(stateDir).create(sessionParams(stateDir)).sid;
  const sessionDir = new SessionCatalog(stateDir).sessionDir(sid);
  expect(new SessionCatalog(stateDir).summary(sid)).not.toHaveProperty('lastAttachedAt');

  recordAttach(sessionDir, new Date('2026-01-01T10:00:00.000Z'));
  expect(recordAttach(sessionDir, new Date('2026-01-01T11:00:00.000Z'))).toBe(
    '2026-01-01T11:00:00.000Z',
  );
  // A catalog of its own, as a gateway started later has.
  expect(new SessionCatalog(stateDir).list()).toEqual([
    expect.objectContaining({ sid, lastAttachedAt: '2026-01-01T11:00:00.000Z' }),
  ]);
  const file = path.join(sessionDir, LAST_ATTACH_FILE);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.readdirSync(sessionDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test('a file that holds no time counts as never opened; a session directory without one too', () => {
  const sessionDir = temporaryDirectory('lifeline-attach-');
  expect(readLastAttach(sessionDir)).toBeUndefined();
  for (const text of ['', 'yesterday\n', '2026-13-45T99:00:00.000Z\n', '{"at":1}']) {
    fs.writeFileSync(path.join(sessionDir, LAST_ATTACH_FILE), text);
    expect(readLastAttach(sessionDir)).toBeUndefined();
  }
});
