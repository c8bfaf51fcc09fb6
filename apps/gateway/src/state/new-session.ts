import fs from 'node:fs';
import path from 'node:path';
import { createSessionId, stateLayout, type SessionId } from '@lifeline/protocol/state';
import { UNWRITTEN_SEQ_FILE, UnwrittenSeqMark } from '../event-log/unwritten-seq-mark.js';
import { writeSessionRecordFile } from './session-record-file.js';
import type { SessionRecord } from './session-record.js';
import { chooseSocketPath } from './socket-path.js';

/** What `session.create` asks for, after defaults. */
export interface NewSession {
  cwd: string;
  shell: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  name: string | undefined;
}

/**
 * Creates the directory and record of a new session in a state directory. Loads no schema: a
 * gateway asked for a session at its start creates it before the rest of it has loaded.
 */
export function createSessionFiles(
  stateDir: string,
  request: NewSession,
  now = new Date(),
): SessionRecord {
  const sid = createSessionId({ now: () => now.getTime() });
  const sessionDir = stateLayout.sessionDir(stateDir, sid);
  fs.mkdirSync(stateLayout.sessionsDir(stateDir), { recursive: true, mode: 0o700 });
  fs.mkdirSync(sessionDir, { mode: 0o700 });
  try {
    const record = newRecord(sid, sessionDir, request, now);
    // Made now, while the disk has room: its hosts rewrite it in place once the disk is full.
    UnwrittenSeqMark.create(sessionDir);
    writeSessionRecordFile(sessionDir, record);
    return record;
  } catch (error) {
    // A directory without a record would be listed by no one and pruned by no one. It holds the
    // mark at most (a record that failed to save leaves nothing), and removing them needs no
    // descriptor.
    fs.rmSync(path.join(sessionDir, UNWRITTEN_SEQ_FILE), { force: true });
    fs.rmdirSync(sessionDir);
    throw error;
  }
}

function newRecord(
  sid: SessionId,
  sessionDir: string,
  request: NewSession,
  now: Date,
): SessionRecord {
  return {
    sid,
    name: request.name ?? defaultSessionName(request.cwd),
    shell: request.shell,
    env: request.env,
    cwd: request.cwd,
    cols: request.cols,
    rows: request.rows,
    createdAt: now.toISOString(),
    socketPath: chooseSocketPath(sessionDir, sid),
  };
}

/** `base`, or the first of `base-2`, `base-3`… that is not `taken`. */
export function firstFreeName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let suffix = 2; taken.has(name); suffix += 1) name = `${base}-${suffix}`;
  return name;
}

/** The name of a session that was given none: the last part of its starting directory. */
export function defaultSessionName(cwd: string): string {
  return path.basename(cwd) || cwd;
}
