import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { sessionIdSchema, terminalSizeSchema } from '@lifeline/protocol';

/** File name of a session's record inside its directory. */
export const SESSION_RECORD_FILE = 'session.json';

/** File name of the single-writer lock inside a session directory. */
export const WRITER_LOCK_FILE = 'host.lock';

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
  lastCommand: z.string().optional(),
  socketPath: z.string(),
});

/** What a session needs to (re)start its host. */
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

/**
 * Reads and validates a session record.
 * @throws Error naming the file and what is wrong with it
 */
export function readSessionRecord(sessionDir: string): SessionRecord {
  const file = path.join(sessionDir, SESSION_RECORD_FILE);
  const text = fs.readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); the session cannot be restarted`, { cause: error });
  }
  const parsed = sessionRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`${file} is not a valid session record: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Writes a session record atomically (temp file + rename), readable by its owner only. */
export function writeSessionRecord(sessionDir: string, record: SessionRecord): void {
  fs.mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  const file = path.join(sessionDir, SESSION_RECORD_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(sessionRecordSchema.parse(record), null, 2)}\n`, {
    mode: 0o600,
  });
  fs.renameSync(temporary, file);
}
