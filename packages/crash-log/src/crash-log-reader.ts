import fs from 'node:fs';
import { CrashLogError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import {
  type CrashLogEntry,
  formatValue,
  parseCrashLogLine,
  sanitiseEvent,
  sanitiseKey,
  sanitiseSource,
} from './line-format.js';

/** Options of {@link readCrashLog}. */
export interface ReadCrashLogOptions {
  /** Only entries at or after this time (a `Date`, epoch milliseconds or an ISO string). */
  readonly since?: Date | number | string;
  /** Only the newest `limit` entries (after `since`): an integer ≥ 0. */
  readonly limit?: number;
  /**
   * How many files the log rotates through (as given to the logger): an integer ≥ 1.
   * @default 3
   */
  readonly maxFiles?: number;
  /** Called for each line that does not parse (it is skipped). */
  readonly onMalformed?: (line: string, file: string) => void;
}

/** The files of a rotated log, oldest first: `crash.log.2`, `crash.log.1`, `crash.log`. */
export function crashLogFiles(logPath: string, maxFiles = 3): string[] {
  const files = [logPath];
  for (let index = 1; index < maxFiles; index += 1) files.unshift(`${logPath}.${index}`);
  return files;
}

function sinceMs(since: Date | number | string | undefined): number {
  if (since === undefined) return Number.NEGATIVE_INFINITY;
  const value =
    since instanceof Date ? since.getTime() : typeof since === 'number' ? since : Date.parse(since);
  if (Number.isNaN(value)) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `since is not a time: ${describeValue(since)}; give a Date, epoch milliseconds or an ISO string`,
    );
  }
  return value;
}

/**
 * Reads the crash log and its rotated files back as entries in time order (lines from every
 * process interleaved by their time; equal times keep file order). Missing files are skipped, so
 * a log that does not exist yet reads as `[]`.
 * @throws CrashLogError (`READ_FAILED`) when a file exists but cannot be read;
 *   (`INVALID_OPTION`) when `since` is not a time, `limit` not an integer ≥ 0 or `maxFiles` not an
 *   integer ≥ 1
 */
export function readCrashLog(logPath: string, options: ReadCrashLogOptions = {}): CrashLogEntry[] {
  const from = sinceMs(options.since);
  const { limit, maxFiles } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `limit must be an integer ≥ 0, the number of newest entries to read (got ${describeValue(limit)}); leave it out to read them all`,
    );
  }
  if (maxFiles !== undefined && !(Number.isInteger(maxFiles) && maxFiles >= 1)) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `maxFiles must be an integer ≥ 1, as given to the logger (got ${describeValue(maxFiles)})`,
    );
  }
  const entries: CrashLogEntry[] = [];
  for (const file of crashLogFiles(logPath, maxFiles)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new CrashLogError(
        'READ_FAILED',
        `could not read the crash log ${file}: ${(error as Error).message}; check its permissions`,
        { cause: error },
      );
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const entry = parseCrashLogLine(line);
      if (!entry) {
        options.onMalformed?.(line, file);
        continue;
      }
      if (entry.epochMs >= from) entries.push(entry);
    }
  }
  // Array#sort is stable, so entries with the same time keep their file order.
  entries.sort((left, right) => left.epochMs - right.epochMs);
  return limit === undefined ? entries : limit === 0 ? [] : entries.slice(-limit);
}

/** Options of {@link formatCrashLogEntry}. */
export interface FormatCrashLogEntryOptions {
  /**
   * `iso`: the time as written; `time-of-day`: local `HH:MM:SS.mmm`, for narrow views.
   * @default 'iso'
   */
  readonly time?: 'iso' | 'time-of-day';
}

function timeOfDay(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * One entry as one display line for `/logs` and `lifeline logs`: the log's own format
 * (`[source] time event key=value …`), values re-encoded by the same quoting rule, so the line is
 * safe to print to a terminal whatever the entry holds.
 */
export function formatCrashLogEntry(
  entry: CrashLogEntry,
  options: FormatCrashLogEntryOptions = {},
): string {
  const time =
    options.time === 'time-of-day' ? timeOfDay(entry.epochMs) : sanitiseEvent(entry.time);
  let line = `[${sanitiseSource(entry.source)}] ${time} ${sanitiseEvent(entry.event)}`;
  for (const [key, value] of Object.entries(entry.fields)) {
    line += ` ${sanitiseKey(key)}=${formatValue(value)}`;
  }
  if (entry.truncatedChars > 0) line += ` … [truncated ${entry.truncatedChars} chars]`;
  return line;
}
