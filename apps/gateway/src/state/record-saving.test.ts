import { stateLayout } from '@lifeline/protocol/state';
import { expect, test } from 'vitest';
import { createSessionFiles } from './new-session.js';
import { saveRecordWhereWritable } from './record-saving.js';
import { readSessionRecord } from './session-record.js';
import { sessionParams, temporaryDirectory } from '../test-utils/temporary-state.js';

/** A session's directory and record, as a new session has them. */
function newSession() {
  const stateDir = temporaryDirectory('lifeline-record-');
  const record = createSessionFiles(stateDir, sessionParams(stateDir));
  return { record, sessionDir: stateLayout.sessionDir(stateDir, record.sid) };
}

/** A write that fails as the system call would, with `code`. */
const failingWith = (code: string) => () => {
  throw Object.assign(new Error(`${code}: operation failed, open 'session.json.1.tmp'`), { code });
};

test('a record is written, and read back as it was saved', () => {
  const { record, sessionDir } = newSession();
  const said: string[] = [];
  const saved = saveRecordWhereWritable(sessionDir, { ...record, lastCommand: 'make' }, (event) =>
    said.push(event),
  );
  expect(saved).toBe(true);
  expect(readSessionRecord(sessionDir)).toMatchObject({ lastCommand: 'make' });
  expect(said).toEqual([]);
});

test.each(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS'])(
  'a record that cannot be written now (%s: a full disk, a directory made read-only) keeps the previous one, with a breadcrumb, and the session goes on',
  (code) => {
    const { record, sessionDir } = newSession();
    const said: { event: string; fields: Record<string, string> }[] = [];
    const saved = saveRecordWhereWritable(
      sessionDir,
      { ...record, lastCommand: 'make' },
      (event, fields) => said.push({ event, fields }),
      failingWith(code),
    );
    expect(saved).toBe(false);
    expect(readSessionRecord(sessionDir)).not.toHaveProperty('lastCommand');
    expect(said).toEqual([
      {
        event: 'record.not_saved',
        fields: { sid: record.sid, reason: expect.stringContaining(code) as unknown },
      },
    ]);
  },
);

test('any other failure (an I/O error) is thrown', () => {
  const { record, sessionDir } = newSession();
  expect(() =>
    saveRecordWhereWritable(sessionDir, record, () => undefined, failingWith('EIO')),
  ).toThrow(/EIO/);
});
