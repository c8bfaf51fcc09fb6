import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { sessionIdSchema, terminalSizeSchema } from '@lifeline/protocol';
import { hasErrno } from '../errno.js';
import { SESSION_RECORD_FILE, writeSessionRecordFile } from './session-record-file.js';
import { isSessionSocketPath } from './socket-path.js';

export { SESSION_RECORD_FILE, WRITER_LOCK_FILE } from './session-record-file.js';

/**
 * What a session needs to (re)start its host: written by the gateway that creates the session and
 * updated by the session's host as the shell moves around.
 */
export const sessionRecordSchema = z.object({
  sid: sessionIdSchema,
  name: z.string(),
  shell: z.string(),
  /** Extra environment variables for the shell. */
  env: z.record(z.string(), z.string()),
  /** Starting cwd at first, then the cwd of the latest completed run. */
  cwd: z.string(),
  ...terminalSizeSchema.shape,
  createdAt: z.iso.datetime(),
  lastCommand: z.optional(z.string()),
  socketPath: z.string(),
  /**
   * Written by a live host, for listings that do not ask it: how it tells runs apart, and the run
   * going on (`lastCommand` is its command). Meaningless once the host has ended.
   */
  completionMode: z.optional(z.enum(['prompt-hook', 'postamble'])),
  running: z.optional(
    z.object({
      runId: z.string(),
      startSeq: z.int().check(z.nonnegative()),
      waitsForInput: z.optional(z.boolean()),
    }),
  ),
});

/** What a session needs to (re)start its host. */
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

/**
 * Reads and validates a session record.
 * @throws Error naming the file and what is wrong with it: not JSON, not a record, a symlink, not
 * the user's own, or naming a socket that is not the session's
 */
export function readSessionRecord(sessionDir: string): SessionRecord {
  const file = path.join(sessionDir, SESSION_RECORD_FILE);
  const text = readOwnFile(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${(error as Error).message}); the session cannot be restarted`,
      { cause: error },
    );
  }
  const parsed = sessionRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`${file} is not a valid session record: ${z.prettifyError(parsed.error)}`);
  }
  const record = parsed.data;
  if (!isSessionSocketPath(sessionDir, record.sid, record.socketPath)) {
    throw new Error(
      `${file} names the socket ${record.socketPath}, which is not this session's; it was not written by Lifeline: move the session directory aside`,
    );
  }
  return record;
}

/**
 * Reads a file without following a symlink at its path, refusing one that another user owns or
 * could have written: what a record says is used to start a shell.
 */
function readOwnFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    if (hasErrno(error, 'ELOOP'))
      throw new Error(`${file} is a symbolic link; move the session directory aside`, {
        cause: error,
      });
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
    if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
      throw new Error(
        `${file} is not a private file of yours (uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}); move the session directory aside`,
      );
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Validates a session record, then writes it atomically (temp file + rename), owner-only. */
export function writeSessionRecord(sessionDir: string, record: SessionRecord): void {
  writeSessionRecordFile(sessionDir, sessionRecordSchema.parse(record));
}
