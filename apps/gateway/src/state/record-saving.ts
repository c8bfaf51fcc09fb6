import { unlessUnwritable } from '../errno.js';
import { writeSessionRecord, type SessionRecord } from './session-record.js';

/**
 * Writes a session record, unless it cannot be written now (a full disk, a directory made
 * read-only): then the previous record stays (a listing shows the session as it was) and a
 * breadcrumb says why; the next change writes it whole. The session goes on either way: a run
 * whose command is typed already must not be reported as failed for it. Any other failure is
 * thrown.
 * @param write writes the record file (injected in tests)
 * @returns whether the record was written
 */
export function saveRecordWhereWritable(
  sessionDir: string,
  record: SessionRecord,
  breadcrumb: (event: string, fields: Record<string, string>) => void,
  write: (sessionDir: string, record: SessionRecord) => void = writeSessionRecord,
): boolean {
  const written = unlessUnwritable(
    () => {
      write(sessionDir, record);
      return true;
    },
    (reason) => {
      breadcrumb('record.not_saved', { sid: record.sid, reason });
    },
  );
  return written ?? false;
}
