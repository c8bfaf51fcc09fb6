import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stateLayout } from '@lifeline/protocol/state';
import { expect, test } from 'vitest';
import { UNWRITTEN_SEQ_FILE, UnwrittenSeqMark } from '../event-log/unwritten-seq-mark.js';
import { createSessionFiles, defaultSessionName, firstFreeName } from './new-session.js';

test('a session given no name is named after its directory, numbered past the names taken', () => {
  expect(defaultSessionName('/home/ada/work')).toBe('work');
  expect(defaultSessionName('/')).toBe('/');
  expect(firstFreeName('work', new Set())).toBe('work');
  expect(firstFreeName('work', new Set(['work', 'work-2', 'work-4']))).toBe('work-3');
  expect(firstFreeName('work', new Set(['work-2']))).toBe('work');
});

test("a new session's directory holds the mark of unwritten seqs from the start, saying none is held, at its fixed size", () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-new-session-'));
  try {
    const request = { cwd: '/tmp', shell: '/bin/sh', env: {}, cols: 80, rows: 24, name: undefined };
    const { sid } = createSessionFiles(stateDir, request);
    const sessionDir = stateLayout.sessionDir(stateDir, sid);
    expect(UnwrittenSeqMark.read(sessionDir)).toBe(-1);
    // A host rewrites it in place on a full disk, where it could not grow.
    expect(fs.statSync(path.join(sessionDir, UNWRITTEN_SEQ_FILE)).size).toBe(16);
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
