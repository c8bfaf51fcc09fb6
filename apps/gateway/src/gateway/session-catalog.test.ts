import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { EventLogWriter } from '../event-log/event-log-writer.js';
import { ACTIVE_SEGMENT_FILE } from '../event-log/segment-files.js';
import { WRITER_LOCK_FILE, writeSessionRecord } from '../state/session-record.js';
import { acquireWriterLock } from '../state/writer-lock.js';
import { SessionCatalog } from './session-catalog.js';
import { sessionParams, temporaryDirectory } from '../test-utils/temporary-state.js';

/** A state directory with two ended sessions; the log of the second one is damaged at seq 2. */
function catalogWithDamagedSession() {
  const stateDir = temporaryDirectory('lifeline-catalog-');
  const catalog = new SessionCatalog(stateDir);
  const session = () => catalog.create(sessionParams(stateDir));
  const intact = session();
  const damaged = session();
  for (const { sid } of [intact, damaged]) {
    const log = EventLogWriter.open(catalog.sessionDir(sid));
    log.append({ type: 'output', data: 'a' });
    log.append({ type: 'output', data: 'b' });
    log.close();
  }
  const segment = path.join(catalog.sessionDir(damaged.sid), ACTIVE_SEGMENT_FILE);
  fs.appendFileSync(
    segment,
    '{"seq":2,"time":0,"type":"outp{"seq":2,"time":0,"type":"output","data":"c"}\n',
  );
  return { catalog, intact: intact.sid, damaged: damaged.sid, segment };
}

test('a session whose log is damaged is still listed, and reading it says where the damage is', () => {
  const { catalog, intact, damaged, segment } = catalogWithDamagedSession();
  const listed = new Map(catalog.list().map((summary) => [summary.sid, summary.lastSeq]));
  expect(listed).toEqual(
    new Map([
      [intact, 1],
      [damaged, -1],
    ]),
  );
  expect(() => catalog.summary(damaged)).toThrow(EventLogDamagedError);
  expect(() => catalog.recordLostHost(damaged, 'gone')).toThrow(
    `event log damaged at seq 2 in ${segment}`,
  );
  expect(catalog.recordLostHost(intact, 'gone')).toBe(true);
});

test("a damaged session is dated by its log's last write: pruning sessions idle for an hour keeps one used a minute ago", () => {
  const { catalog, damaged, segment } = catalogWithDamagedSession();
  const createdAt = Date.parse(catalog.record(damaged).createdAt);
  // Whole seconds: a file time given in fractional seconds comes back a millisecond off.
  const lastWriteSeconds = Math.floor(createdAt / 1000) + 2 * 60 * 60;
  const lastWrite = lastWriteSeconds * 1000;
  fs.utimesSync(segment, lastWriteSeconds, lastWriteSeconds);
  expect(catalog.list().find((summary) => summary.sid === damaged)?.lastActivityAt).toBe(
    new Date(lastWrite).toISOString(),
  );
  expect(catalog.prune(60 * 60 * 1000, lastWrite + 60 * 1000)).not.toContain(damaged);
  expect(catalog.prune(60 * 60 * 1000, lastWrite + 2 * 60 * 60 * 1000)).toContain(damaged);
});

test('the run a live host has going and its mode are listed from its record; an ended session lists only the mode', () => {
  const stateDir = temporaryDirectory('lifeline-catalog-');
  const catalog = new SessionCatalog(stateDir);
  const { sid } = catalog.create(sessionParams(stateDir));
  const sessionDir = catalog.sessionDir(sid);
  writeSessionRecord(sessionDir, {
    ...catalog.record(sid),
    lastCommand: 'make watch',
    completionMode: 'prompt-hook',
    running: { runId: 'r1', startSeq: 3 },
  });
  // The record of a host that ended without clearing it (killed mid-run) says nothing then.
  expect(catalog.summary(sid)).toMatchObject({
    status: 'ended',
    lastCommand: 'make watch',
    completionMode: 'prompt-hook',
  });
  expect(catalog.summary(sid)).not.toHaveProperty('running');
  const lock = acquireWriterLock(path.join(sessionDir, WRITER_LOCK_FILE));
  expect(lock.acquired).toBe(true);
  expect(catalog.list()).toEqual([
    expect.objectContaining({
      sid,
      status: 'live',
      hostPid: process.pid,
      completionMode: 'prompt-hook',
      running: { runId: 'r1', command: 'make watch', startSeq: 3 },
    }),
  ]);
  if (lock.acquired) lock.release();
});

test('a listing that cannot be read fails, rather than answering that there are no sessions', () => {
  const { catalog, intact } = catalogWithDamagedSession();
  expect(catalog.list().map((summary) => summary.sid)).toContain(intact);
  const sessionsDir = path.join(catalog.stateDir, 'sessions');
  fs.rmSync(sessionsDir, { recursive: true });
  fs.writeFileSync(sessionsDir, '');
  expect(() => catalog.list()).toThrow(/ENOTDIR/);
});

test('a listing by session id holds that session alone, or nothing when there is none', () => {
  const { catalog, intact, damaged } = catalogWithDamagedSession();
  const listed = (sid?: string) =>
    catalog.list(sid).map((summary) => [summary.sid, summary.lastSeq]);
  expect(listed(intact)).toEqual([[intact, 1]]);
  expect(listed(damaged)).toEqual([[damaged, -1]]);
  expect(listed('s_01m80eyhsykbmb761pfe6d0b9j')).toEqual([]);
  expect(listed()).toHaveLength(2);
});

/** A new state directory with one session, created in `<state dir>/<directory>`, no host yet. */
function catalogWithSessionIn(directory: string) {
  const stateDir = temporaryDirectory('lifeline-catalog-');
  const catalog = new SessionCatalog(stateDir);
  const session = catalog.create(sessionParams(path.join(stateDir, directory)));
  return { catalog, session };
}

test('a name is held while its session’s first host starts, and free once a host opened the log and ended, even with nothing logged', () => {
  const { catalog, session: created } = catalogWithSessionIn('work');
  // Created a moment ago, no host yet: its name is taken.
  expect(catalog.freeName('work')).toBe('work-2');
  expect(catalog.holderOfName('work')?.sid).toBe(created.sid);
  // A host took the session and ended (closed at once) before it logged anything.
  const lock = acquireWriterLock(path.join(catalog.sessionDir(created.sid), WRITER_LOCK_FILE));
  EventLogWriter.open(catalog.sessionDir(created.sid)).close();
  if (lock.acquired) lock.release();
  expect(catalog.freeName('work')).toBe('work');
  expect(catalog.holderOfName('work')).toBeUndefined();
});

test('an ended session stays ended, its name free, while a gateway holds its lock to tidy its files', () => {
  const { catalog, session: ended } = catalogWithSessionIn('work');
  const log = EventLogWriter.open(catalog.sessionDir(ended.sid));
  log.append({ type: 'host_exit', code: 0, signal: null });
  log.close();
  // What a gateway does while it records a lost host's exit, renames or prunes the session.
  const lockFile = path.join(catalog.sessionDir(ended.sid), WRITER_LOCK_FILE);
  const upkeep = acquireWriterLock(lockFile, { upkeep: true });
  expect(upkeep.acquired).toBe(true);
  expect(catalog.list()).toEqual([expect.objectContaining({ sid: ended.sid, status: 'ended' })]);
  expect(catalog.liveHostPid(ended.sid)).toBeUndefined();
  expect(catalog.freeName('work')).toBe('work');
  // The catalog's own upkeep takes the same kind of lock: a rename is refused while it is held.
  expect(catalog.renameEnded(ended.sid, 'other')).toBe(false);
  if (upkeep.acquired) upkeep.release();
  expect(catalog.renameEnded(ended.sid, 'other')).toBe(true);
});
