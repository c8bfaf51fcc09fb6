import fs from 'node:fs';
import path from 'node:path';
import { CrashLogError } from './errors.js';
import { summariseError } from './error-summary.js';
import { describeValue } from './internal/describe-value.js';
import { CRASH_LOG_LINE_LIMIT, formatCrashLogLine } from './line-format.js';
import { defaultCrashLogPath, type StateEnvironment } from './state-paths.js';

/** A field value: strings are written as they are, everything else is turned into a string. */
export type BreadcrumbValue = unknown;

/** Fields of one breadcrumb, written in insertion order; `undefined` values are left out. */
export type BreadcrumbFields = Readonly<Record<string, BreadcrumbValue>>;

/** Anything breadcrumbs can be written to: a {@link CrashLogger}, or a test double. */
export interface BreadcrumbWriter {
  /** Appends one breadcrumb. Never throws. */
  breadcrumb(event: string, fields?: BreadcrumbFields): void;
}

/** Options of {@link createCrashLogger}. */
export interface CrashLoggerOptions {
  /** Who is writing: `tui`, `gateway` or `host:<sid>`. Required: a non-empty string. */
  readonly source: string;
  /**
   * The log file.
   * @default defaultCrashLogPath(env): `<state dir>/logs/crash.log`
   */
  readonly path?: string;
  /**
   * Write breadcrumbs at all. Wins over `LIFELINE_CRASH_LOG` and test-runner detection.
   * @default isCrashLogEnabled(env): on, except under a test runner unless `LIFELINE_CRASH_LOG=1`
   */
  readonly enabled?: boolean;
  /**
   * Environment read for the default path and the default of `enabled`.
   * @default process.env
   */
  readonly env?: StateEnvironment;
  /**
   * Rotate when appending would take the file past this many bytes; 0 turns rotation off.
   * @default 1048576 (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Files kept, the live one included: `crash.log`, `crash.log.1`, … `crash.log.<maxFiles-1>`.
   * @default 3
   */
  readonly maxFiles?: number;
  /**
   * Clock for the breadcrumb time, in milliseconds since the epoch.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Where the first write failure is reported (only the first: later ones are silent).
   * @default a synchronous write to stderr
   */
  readonly reportFailure?: (message: string) => void;
}

/** One process's handle on the shared crash log. */
export interface CrashLogger extends BreadcrumbWriter {
  /** The source token written in front of every line. */
  readonly source: string;
  /** The log file. */
  readonly path: string;
  /** Whether breadcrumbs are written; a disabled logger does nothing at all. */
  readonly enabled: boolean;
  /** The first error met while writing, if any (it was reported once). */
  readonly firstFailure: Error | undefined;
  /**
   * Appends `[<source>] <ISO time> <event> key=value …` synchronously, so it lands even on an exit
   * path. Never throws; the first failure is reported once.
   */
  breadcrumb(event: string, fields?: BreadcrumbFields): void;
}

const enabledWords = new Set(['1', 'true', 'on', 'yes']);
const disabledWords = new Set(['0', 'false', 'off', 'no']);

/**
 * Whether the crash log is on for this environment: `LIFELINE_CRASH_LOG=1|true|on|yes` turns it on
 * and `0|false|off|no` off; otherwise it is on, except under a test runner (`VITEST` or
 * `JEST_WORKER_ID` set), so tests never write to the user's real log by accident.
 * @default env process.env
 */
export function isCrashLogEnabled(env: StateEnvironment = process.env): boolean {
  const flag = env.LIFELINE_CRASH_LOG?.trim().toLowerCase();
  if (flag !== undefined && enabledWords.has(flag)) return true;
  if (flag !== undefined && disabledWords.has(flag)) return false;
  const underTestRunner =
    (env.VITEST !== undefined && env.VITEST !== '') || env.JEST_WORKER_ID !== undefined;
  return !underTestRunner;
}

/** Turns any field value into the string that is written. Never throws. */
export function stringifyFieldValue(value: BreadcrumbValue): string {
  try {
    switch (typeof value) {
      case 'string':
        return value;
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'symbol':
        return value.toString();
      case 'undefined':
        return 'undefined';
      case 'function':
        return `[function ${value.name || 'anonymous'}]`;
      default:
        break;
    }
    if (value === null) return 'null';
    if (value instanceof Error) return summariseError(value).message;
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    }
    // Anything bigger than a line is cut by the formatter anyway; JSON keeps structure readable.
    const json = JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'bigint' ? inner.toString() : inner,
    ) as string | undefined;
    return json ?? Object.prototype.toString.call(value);
  } catch {
    return '[unserialisable]';
  }
}

function defaultReportFailure(message: string): void {
  try {
    // Synchronous on purpose: the first failure may happen on an exit path.
    fs.writeSync(2, `${message}\n`);
  } catch {
    // Nowhere left to report to.
  }
}

const staleLockMs = 10_000;

/** Creates the directory chain with 0700 when it is missing. */
function ensureDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
}

function isErrorCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/**
 * Rotation shared safely between processes: an exclusive lock file guards the rename chain, the
 * size is checked again under the lock (another process may have rotated already), and a process
 * that cannot take the lock just appends: the file may overshoot a little, nothing is lost.
 */
function rotate(logPath: string, stillTooBig: (size: number) => boolean, maxFiles: number): void {
  const lockPath = `${logPath}.lock`;
  let lock: number;
  try {
    lock = fs.openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
    try {
      if (Date.now() - fs.statSync(lockPath).mtimeMs > staleLockMs) fs.unlinkSync(lockPath);
    } catch {
      // Someone else removed or replaced it: fine either way.
    }
    return;
  }
  try {
    let size: number;
    try {
      size = fs.statSync(logPath).size;
    } catch {
      return;
    }
    if (!stillTooBig(size)) return;
    if (maxFiles <= 1) {
      fs.unlinkSync(logPath);
      return;
    }
    for (let index = maxFiles - 1; index >= 1; index -= 1) {
      const from = index === 1 ? logPath : `${logPath}.${index - 1}`;
      try {
        fs.renameSync(from, `${logPath}.${index}`);
      } catch (error) {
        if (!isErrorCode(error, 'ENOENT')) throw error;
      }
    }
  } finally {
    fs.closeSync(lock);
    try {
      fs.unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  }
}

const appendNoFollow =
  fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;

/**
 * Opens the log for appending without following a symlink at its path, and only when it is a
 * regular file of this user: a link or a file planted by someone else never receives breadcrumbs
 * (nor has its mode changed).
 * @throws CrashLogError (`UNSAFE_FILE`) naming the file and what to do
 */
function openOwnFile(logPath: string): number {
  let fd: number;
  try {
    fd = fs.openSync(logPath, appendNoFollow, 0o600);
  } catch (error) {
    if (isErrorCode(error, 'ELOOP')) {
      throw new CrashLogError(
        'UNSAFE_FILE',
        `${logPath} is a symbolic link; remove it so the crash log can be written`,
        { cause: error },
      );
    }
    throw error;
  }
  const stats = fs.fstatSync(fd);
  const uid = typeof process.getuid === 'function' ? process.getuid() : stats.uid;
  if (!stats.isFile() || stats.uid !== uid) {
    fs.closeSync(fd);
    const what = stats.isFile()
      ? `belongs to uid ${stats.uid}, not you (uid ${uid})`
      : 'is not a regular file';
    throw new CrashLogError(
      'UNSAFE_FILE',
      `${logPath} ${what}; remove it so the crash log can be written`,
    );
  }
  return fd;
}

function writeAll(fd: number, data: Buffer): void {
  // One write call per line: with O_APPEND the kernel places it whole at the end of the file, so
  // lines from several processes never interleave. The loop only matters for a short write.
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

const disabledLogger = (source: string, logPath: string): CrashLogger => ({
  source,
  path: logPath,
  enabled: false,
  firstFailure: undefined,
  breadcrumb: () => undefined,
});

/**
 * Creates this process's crash logger. Every breadcrumb opens the file with `O_APPEND`, writes its
 * line in one call and closes it again: lines from many processes never tear or interleave, and a
 * rotation by another process is picked up at once.
 * @throws CrashLogError (`INVALID_OPTION`) without a `source`, or when `maxBytes` or `maxFiles` is
 *   not a usable number (checked even when the logger is disabled)
 */
export function createCrashLogger(options: CrashLoggerOptions): CrashLogger {
  const source = (options as Partial<CrashLoggerOptions> | undefined)?.source;
  if (typeof source !== 'string' || source === '') {
    throw new CrashLogError(
      'INVALID_OPTION',
      `createCrashLogger needs a source, the name written in front of every line such as 'gateway' or 'host:<sid>' (got ${describeValue(source)})`,
    );
  }
  const env = options.env ?? process.env;
  const logPath = path.resolve(options.path ?? defaultCrashLogPath(env));
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxFiles = options.maxFiles ?? 3;
  if (!Number.isFinite(maxBytes) || maxBytes < 0) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `maxBytes must be a number ≥ 0, got ${describeValue(maxBytes)}`,
    );
  }
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new CrashLogError(
      'INVALID_OPTION',
      `maxFiles must be an integer ≥ 1, got ${describeValue(maxFiles)}`,
    );
  }
  const enabled = options.enabled ?? isCrashLogEnabled(env);
  if (!enabled) return disabledLogger(options.source, logPath);

  const now = options.now ?? Date.now;
  const reportFailure = options.reportFailure ?? defaultReportFailure;
  const directory = path.dirname(logPath);
  let firstFailure: Error | undefined;
  let permissionsChecked = false;

  const noteFailure = (error: unknown): void => {
    if (firstFailure) return;
    firstFailure = error instanceof Error ? error : new Error(String(error));
    try {
      reportFailure(
        `lifeline crash-log: could not append to ${logPath}: ${summariseError(error).message} ` +
          '(later crash-log failures are not reported)',
      );
    } catch {
      // Best effort only.
    }
  };

  const open = (): number => {
    try {
      return openOwnFile(logPath);
    } catch (error) {
      if (!isErrorCode(error, 'ENOENT')) throw error;
      ensureDirectory(directory);
      return openOwnFile(logPath);
    }
  };

  const append = (data: Buffer): void => {
    let fd = open();
    try {
      const stats = fs.fstatSync(fd);
      if (!permissionsChecked) {
        permissionsChecked = true;
        // A file created by an older version or by hand may be readable by others: tighten it.
        if ((stats.mode & 0o777) !== 0o600) fs.fchmodSync(fd, 0o600);
      }
      const tooBig = (size: number): boolean => size > 0 && size + data.length > maxBytes;
      if (maxBytes > 0 && tooBig(stats.size)) {
        fs.closeSync(fd);
        fd = -1;
        try {
          rotate(logPath, tooBig, maxFiles);
        } catch (error) {
          // A failed rotation must not cost the breadcrumb: append to the oversized file.
          noteFailure(error);
        }
        fd = open();
      }
      writeAll(fd, data);
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  };

  const timestamp = (): string => {
    const time = now();
    return new Date(Number.isFinite(time) ? time : Date.now()).toISOString();
  };

  return {
    source: options.source,
    path: logPath,
    enabled: true,
    get firstFailure() {
      return firstFailure;
    },
    breadcrumb(event, fields = {}) {
      try {
        const entries: Array<[string, string]> = [];
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined) entries.push([key, stringifyFieldValue(value)]);
        }
        const line = formatCrashLogLine(
          { source: options.source, time: timestamp(), event, fields: entries },
          CRASH_LOG_LINE_LIMIT,
        );
        append(Buffer.from(`${line}\n`, 'utf8'));
      } catch (error) {
        noteFailure(error);
      }
    },
  };
}
