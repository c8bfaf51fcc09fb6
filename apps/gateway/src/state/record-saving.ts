import { diskFullCodes, hasErrno } from '../errno.js';
import { writeSessionRecord, type SessionRecord } from './session-record.js';

/**
 * Writes a session record, unless the disk has no room for it: then the previous record stays (a
 * listing shows the session as it was) and a breadcrumb says so; the next change writes it whole.
 * Any other failure is thrown.
 * @returns whether the record was written
 */
export function saveRecordUnlessDiskFull(
  sessionDir: string,
  record: SessionRecord,
  breadcrumb: (event: string, fields: Record<string, string>) => void,
): boolean {
  try {
    writeSessionRecord(sessionDir, record);
    return true;
  } catch (error) {
    if (!hasErrno(error, ...diskFullCodes)) throw error;
    breadcrumb('record.not_saved', { sid: record.sid, reason: (error as Error).message });
    return false;
  }
}
