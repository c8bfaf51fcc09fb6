import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { crashLogFiles, formatCrashLogEntry, readCrashLog } from './crash-log-reader.js';
import { createCrashLogger } from './crash-logger.js';
import { CrashLogError } from './errors.js';
import { formatCrashLogLine, parseCrashLogLine } from './line-format.js';

let directory = '';
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function logAt(
  ...lines: Array<[source: string, iso: string, event: string, fields?: Array<[string, string]>]>
): string {
  return lines
    .map(
      ([source, time, event, fields = []]) =>
        `${formatCrashLogLine({ source, time, event, fields })}\n`,
    )
    .join('');
}

describe('readCrashLog', () => {
  test('reads rotated files and interleaves every process by time', () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-reader-'));
    const logPath = path.join(directory, 'crash.log');
    fs.writeFileSync(
      `${logPath}.2`,
      logAt(
        ['tui', '2026-01-01T00:00:01.000Z', 'spawn'],
        ['gateway', '2026-01-01T00:00:02.000Z', 'ready'],
      ),
    );
    fs.writeFileSync(
      `${logPath}.1`,
      logAt(
        ['gateway', '2026-01-01T00:00:04.000Z', 'child.exit', [['signal', 'SIGKILL']]],
        ['tui', '2026-01-01T00:00:03.000Z', 'transport.exit'],
      ),
    );
    fs.writeFileSync(
      logPath,
      logAt([
        'tui',
        '2026-01-01T00:00:05.000Z',
        'recovery.attempt',
        [
          ['attempt', '1'],
          ['of', '3'],
        ],
      ]) + 'garbage line\n',
    );

    const malformed: string[] = [];
    const entries = readCrashLog(logPath, { onMalformed: (line) => malformed.push(line) });
    expect(entries.map((entry) => `${entry.source} ${entry.event}`)).toEqual([
      'tui spawn',
      'gateway ready',
      'tui transport.exit',
      'gateway child.exit',
      'tui recovery.attempt',
    ]);
    expect(malformed).toEqual(['garbage line']);
    expect(readCrashLog(logPath, { limit: 2 }).map((entry) => entry.event)).toEqual([
      'child.exit',
      'recovery.attempt',
    ]);
    expect(readCrashLog(logPath, { since: '2026-01-01T00:00:03.500Z' })).toHaveLength(2);
    expect(
      readCrashLog(logPath, { since: new Date('2026-01-01T00:00:03.500Z'), limit: 1 })[0]?.event,
    ).toBe('recovery.attempt');
    expect(() => readCrashLog(logPath, { since: 'not a time' })).toThrow(CrashLogError);
  });

  test('a limit that is not a whole number of entries is refused, not read as none', () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-reader-'));
    const logPath = path.join(directory, 'crash.log');
    fs.writeFileSync(logPath, logAt(['tui', '2026-01-01T00:00:01.000Z', 'spawn']));
    expect(() => readCrashLog(logPath, { limit: -1 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          'limit must be an integer ≥ 0, the number of newest entries to read (got -1); leave it out to read them all',
      }) as Error,
    );
    expect(() => readCrashLog(logPath, { limit: 1.5 })).toThrow(CrashLogError);
    expect(() => readCrashLog(logPath, { limit: '5' as unknown as number })).toThrow('(got "5")');
    expect(() => readCrashLog(logPath, { maxFiles: 0 })).toThrow(/maxFiles must be an integer/);
    expect(readCrashLog(logPath, { limit: 0 })).toEqual([]);
    expect(readCrashLog(logPath, { limit: 5 })).toHaveLength(1);
  });

  test('a log that does not exist yet reads as empty; an unreadable one throws', () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-reader-'));
    expect(readCrashLog(path.join(directory, 'crash.log'))).toEqual([]);
    fs.mkdirSync(path.join(directory, 'dir.log'));
    expect(() => readCrashLog(path.join(directory, 'dir.log'))).toThrow(
      /could not read the crash log/,
    );
  });

  test('reads back what a logger wrote', () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-reader-'));
    const logPath = path.join(directory, 'logs', 'crash.log');
    const logger = createCrashLogger({ source: 'gateway', path: logPath, enabled: true });
    logger.breadcrumb('spawn', {
      pid: 4242,
      argv: 'node host.js --sid s_1 "quoted"',
      note: 'key=value inside',
    });
    const [entry] = readCrashLog(logPath);
    expect(entry?.fields).toEqual({
      pid: '4242',
      argv: 'node host.js --sid s_1 "quoted"',
      note: 'key=value inside',
    });
  });

  test('lists the files oldest first', () => {
    expect(crashLogFiles('/l/crash.log')).toEqual([
      '/l/crash.log.2',
      '/l/crash.log.1',
      '/l/crash.log',
    ]);
    expect(crashLogFiles('/l/crash.log', 1)).toEqual(['/l/crash.log']);
  });
});

describe('formatCrashLogEntry', () => {
  const entry = parseCrashLogLine(
    '[gateway] 2026-11-22T00:42:57.123Z child.exit code=null signal=SIGKILL stderr="Error: boom\\n  at x" … [truncated 12 chars]',
  )!;

  test('renders the log format, values re-quoted, with the truncation marker', () => {
    expect(formatCrashLogEntry(entry)).toBe(
      '[gateway] 2026-11-22T00:42:57.123Z child.exit code=null signal=SIGKILL stderr="Error: boom\\n  at x" … [truncated 12 chars]',
    );
  });

  test('can show just the local time of day', () => {
    expect(formatCrashLogEntry(entry, { time: 'time-of-day' })).toMatch(
      /^\[gateway\] \d{2}:\d{2}:57\.123 child\.exit /,
    );
  });

  test('never lets an entry built by hand put control characters on the terminal', () => {
    const hostile = {
      ...entry,
      source: 'tui\u001b]0;title\u0007',
      event: 'x\ny',
      fields: { 'k\r': '\u001b[2J' },
    };
    expect(formatCrashLogEntry(hostile)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
