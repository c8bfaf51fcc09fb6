import fs from 'node:fs';
import path from 'node:path';
import { hasErrno } from '../errno.js';

/**
 * File name, inside a session's directory, of the time someone last had the session shown in a
 * client that shows it to them (the TUI), as it attached or left: one ISO 8601 time and a newline.
 * Kept apart from the session's record, which its live host writes: a gateway writes this one
 * while the host runs.
 */
export const LAST_ATTACH_FILE = 'attached-at';

/** An ISO 8601 time in UTC as `Date.toISOString` writes it. */
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Records that someone has the session shown now (attaches, or leaves it): atomically (temp file +
 * rename), readable by its owner only.
 * @returns the time recorded, as an ISO 8601 string
 * @throws the write's error (a full disk: `ENOSPC`); the time before stays then
 */
export function recordAttach(sessionDir: string, now: Date): string {
  const time = now.toISOString();
  const file = path.join(sessionDir, LAST_ATTACH_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${time}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return time;
}

/**
 * When someone last opened the session (see {@link recordAttach}).
 * @returns undefined when nobody has, or the file holds no time (it was not written by Lifeline:
 *   the time only orders `lifeline -c`'s choice, so the session is taken as never opened)
 * @throws the read's error other than `ENOENT`
 */
export function readLastAttach(sessionDir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(sessionDir, LAST_ATTACH_FILE), 'utf8');
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  const time = text.trimEnd();
  return isoTime.test(time) && !Number.isNaN(Date.parse(time)) ? time : undefined;
}
