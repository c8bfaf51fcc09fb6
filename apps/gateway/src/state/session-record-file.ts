import fs from 'node:fs';
import path from 'node:path';
import type { SessionRecord } from './session-record.js';

/** File name of a session's record inside its directory. */
export const SESSION_RECORD_FILE = 'session.json';

/** File name of the single-writer lock inside a session directory. */
export const WRITER_LOCK_FILE = 'host.lock';

/**
 * Writes a session record atomically (temp file + rename), readable by its owner only, as it is:
 * `writeSessionRecord` validates first. Loads no schema, so a gateway can create a session before
 * the rest of it has loaded.
 */
export function writeSessionRecordFile(sessionDir: string, record: SessionRecord): void {
  fs.mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  const file = path.join(sessionDir, SESSION_RECORD_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    // A full disk leaves no half-written temporary file behind; the record is as it was.
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
