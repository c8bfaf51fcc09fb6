import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionSummary } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import { CliError } from './cli-error.js';
import { checkSessionName, findSession, isSameDirectory } from './session-ref.js';

const session = (sid: string, name: string): SessionSummary =>
  ({
    sid,
    name,
    status: 'live',
    cwd: `/work/${name}`,
    shell: '/bin/bash',
    createdAt: '2026-11-23T16:00:00.000Z',
    lastActivityAt: '2026-11-23T16:00:00.000Z',
    lastSeq: 0,
  }) as SessionSummary;

const a = session('s_01m80eyhsykbmb761pfe6d0b9j', 'api');
const b = session('s_01m80eyhsykbmb761pfe6d0b9k', 'web');
const c = session('s_01m80eyhsykbmb761pfe6d0b9m', 'web');

/** The error a call throws, or undefined. */
function thrown(call: () => unknown): CliError | undefined {
  try {
    call();
  } catch (error) {
    if (CliError.isInstance(error)) return error;
    throw error;
  }
  return undefined;
}

test('a session is found by its id or by the name only it has', () => {
  expect(findSession([a, b], a.sid, '/state')).toBe(a);
  expect(findSession([a, b], 'api', '/state')).toBe(a);
});

test('an unknown id or name is not found (3); a shared name is a usage error listing each', () => {
  expect(thrown(() => findSession([a], 's_01m80eyhsykbmb761pfe6d0b9z', '/state'))).toMatchObject({
    exitCode: 3,
  });
  expect(thrown(() => findSession([a], 'nope', '/state'))?.message).toMatch(
    /^no session is named "nope" in \/state/,
  );
  const shared = thrown(() => findSession([a, b, c], 'web', '/state'));
  expect(shared?.exitCode).toBe(2);
  expect(shared?.message).toContain(
    `2 sessions are named "web": ${b.sid} (live, in /work/web), ${c.sid}`,
  );
});

test('the start of an id, as the header shows it (with or without its …), finds the one session it starts', () => {
  const other = session('s_01m85bg8xyzbmb761pfe6d0b9j', 'other');
  expect(findSession([a, other], 's_01m85bg8…', '/state')).toBe(other);
  // A whole id copied with the `…` after it.
  expect(findSession([a, other], `${other.sid}…`, '/state')).toBe(other);
  expect(findSession([a, other], 's_01m85bg8', '/state')).toBe(other);
  expect(findSession([a, other], 's_01m80eyh...', '/state')).toBe(a);
  const several = thrown(() => findSession([a, b, other], 's_01m80eyh…', '/state'));
  expect(several?.exitCode).toBe(2);
  expect(several?.message).toContain(
    `2 session ids start with s_01m80eyh…: ${a.sid} (live, in /work/api), ${b.sid}`,
  );
  expect(several?.message).toMatch(/; give more of the id$/);
  const none = thrown(() => findSession([a, other], 's_01zz', '/state'));
  expect(none?.exitCode).toBe(3);
  expect(none?.message).toMatch(/^no session id starts with s_01zz and no session is named/);
  // A name is looked for first; what cannot start an id is only a name.
  const named = session('s_01m90000000000000000000000', 's_01m85bg8');
  expect(findSession([other, named], 's_01m85bg8', '/state')).toBe(named);
  expect(thrown(() => findSession([a], 's_01mU', '/state'))?.message).toMatch(
    /^no session is named "s_01mU"/,
  );
});

test('`s_`, the start of every id, finds the only session, and with several lists them (2)', () => {
  expect(findSession([a], 's_', '/state')).toBe(a);
  const several = thrown(() => findSession([a, b], 's_', '/state'));
  expect(several?.exitCode).toBe(2);
  expect(several?.message).toMatch(/^2 session ids start with s_: /);
});

test('a value an option took by mistake (`-s -- cmd`, `-s ""`) is a usage error (2), not a session not found', () => {
  for (const [reference, said] of [
    ['--', '"--" looks like an option, not a session'],
    ['-v', '"-v" looks like an option, not a session'],
    ['', 'an empty session'],
  ]) {
    const error = thrown(() => findSession([a], reference ?? '', '/state'));
    expect(error?.exitCode, reference).toBe(2);
    expect(error?.message).toBe(`${said}: give the session's id, the start of its id, or its name`);
  }
  // A session named so is still found.
  expect(findSession([session(b.sid, '-v')], '-v', '/state').sid).toBe(b.sid);
});

test('a name that ended sessions kept as well means the live session; among ended ones it is shared', () => {
  const ended = { ...b, status: 'ended' } as SessionSummary;
  expect(findSession([ended, c], 'web', '/state')).toBe(c);
  expect(findSession([ended], 'web', '/state')).toBe(ended);
  const endedToo = { ...c, status: 'ended' } as SessionSummary;
  expect(thrown(() => findSession([ended, endedToo], 'web', '/state'))?.message).toContain(
    `2 sessions are named "web": ${b.sid} (ended, in /work/web)`,
  );
});

test('a name is 1 to 200 characters on one line, not like a session id or its start', () => {
  expect(checkSessionName('build box')).toBe('build box');
  expect(thrown(() => checkSessionName(''))?.exitCode).toBe(2);
  expect(thrown(() => checkSessionName('x'.repeat(201)))?.exitCode).toBe(2);
  expect(thrown(() => checkSessionName('a\tb'))?.message).toMatch(/no control characters/);
  expect(thrown(() => checkSessionName(a.sid))?.message).toMatch(/cannot look like a session id/);
  // The start of an id picks the session it starts: as a name, it would pick two.
  expect(thrown(() => checkSessionName(a.sid.slice(0, 8)))?.message).toMatch(
    /cannot look like a session id or its start/,
  );
  expect(thrown(() => checkSessionName('s_'))?.exitCode).toBe(2);
  // As the header and /sessions show it, shortened.
  expect(thrown(() => checkSessionName(`${a.sid.slice(0, 14)}…`))?.exitCode).toBe(2);
  // Not of that form: `i` is no letter of an id, and upper case is not either.
  expect(checkSessionName('s_api')).toBe('s_api');
  expect(checkSessionName('S_01')).toBe('S_01');
});

test('a directory reached through a symbolic link is the same directory', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-session-ref-'));
  try {
    const real = path.join(root, 'real');
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(root, 'link'));
    expect(isSameDirectory(real, path.join(root, 'link'))).toBe(true);
    expect(isSameDirectory(real, root)).toBe(false);
    expect(isSameDirectory(path.join(root, 'gone'), path.join(root, 'gone'))).toBe(true);
    expect(isSameDirectory(path.join(root, 'gone'), real)).toBe(false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
