import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { compileForChild } from './__fixtures__/compile-for-child.js';
import { readCrashLog } from './crash-log-reader.js';
import {
  createCrashLogger,
  isCrashLogEnabled,
  stringifyFieldValue,
  type CrashLoggerOptions,
} from './crash-logger.js';
import { CrashLogError } from './errors.js';
import { parseCrashLogLine } from './line-format.js';

const run = promisify(execFile);
const fixtures = path.join(import.meta.dirname, '__fixtures__');
const temporaryDirectories: string[] = [];

function scratch(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-crash-log-'));
  temporaryDirectories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

describe('createCrashLogger', () => {
  test('appends one line per breadcrumb, with the source, the clock time and the fields', () => {
    const logPath = path.join(scratch(), 'crash.log');
    const logger = createCrashLogger({
      source: 'gateway',
      path: logPath,
      enabled: true,
      now: () => Date.UTC(2026, 10, 22, 0, 42, 57, 123),
    });
    logger.breadcrumb('child.exit', {
      code: 1,
      signal: 'SIGKILL',
      stderr: 'Error: x\n    at y',
      skipped: undefined,
    });
    logger.breadcrumb('ready');
    expect(fs.readFileSync(logPath, 'utf8')).toBe(
      '[gateway] 2026-11-22T00:42:57.123Z child.exit code=1 signal=SIGKILL stderr="Error: x\\n    at y"\n' +
        '[gateway] 2026-11-22T00:42:57.123Z ready\n',
    );
  });

  test('creates the file 0600 inside a 0700 directory, and tightens an existing file', () => {
    const root = scratch();
    const logPath = path.join(root, 'state', 'logs', 'crash.log');
    createCrashLogger({ source: 'tui', path: logPath, enabled: true }).breadcrumb('spawn', {
      pid: 1,
    });
    expect(fs.statSync(logPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(logPath)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(root, 'state')).mode & 0o777).toBe(0o700);

    const loose = path.join(root, 'loose.log');
    fs.writeFileSync(loose, '', { mode: 0o644 });
    fs.chmodSync(loose, 0o644);
    createCrashLogger({ source: 'tui', path: loose, enabled: true }).breadcrumb('spawn');
    expect(fs.statSync(loose).mode & 0o777).toBe(0o600);
  });

  test('never follows a symlink at the log path: the target is left as it was and the refusal is reported once', () => {
    const root = scratch();
    const target = path.join(root, 'precious.txt');
    fs.writeFileSync(target, 'mine\n', { mode: 0o644 });
    fs.chmodSync(target, 0o644);
    const logPath = path.join(root, 'crash.log');
    fs.symlinkSync(target, logPath);
    const reports: string[] = [];
    const logger = createCrashLogger({
      source: 'tui',
      path: logPath,
      enabled: true,
      reportFailure: (line) => reports.push(line),
    });
    logger.breadcrumb('spawn');
    logger.breadcrumb('spawn');
    expect(fs.readFileSync(target, 'utf8')).toBe('mine\n');
    expect(fs.statSync(target).mode & 0o777).toBe(0o644);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('is a symbolic link; remove it');
    expect(logger.firstFailure?.message).toContain(logPath);
  });

  test('rotates by size and keeps three files, each holding whole lines only', () => {
    const logPath = path.join(scratch(), 'crash.log');
    const logger = createCrashLogger({
      source: 'gateway',
      path: logPath,
      enabled: true,
      maxBytes: 2000,
    });
    for (let index = 0; index < 200; index += 1) logger.breadcrumb('tick', { index });
    const files = fs.readdirSync(path.dirname(logPath)).sort();
    expect(files).toEqual(['crash.log', 'crash.log.1', 'crash.log.2']);
    for (const file of files) {
      const text = fs.readFileSync(path.join(path.dirname(logPath), file), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000);
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n'))
        expect(parseCrashLogLine(line)).toBeDefined();
    }
    const indexes = readCrashLog(logPath).map((entry) => Number(entry.fields.index));
    // The newest breadcrumbs survive, contiguous and in order, up to the last one written.
    expect(indexes.at(-1)).toBe(199);
    expect(indexes).toEqual(indexes.map((_, position) => 200 - indexes.length + position));
    expect(fs.statSync(path.join(path.dirname(logPath), 'crash.log.1')).mode & 0o777).toBe(0o600);
  });

  test('never throws: the first failure is reported once, later ones are silent', () => {
    const root = scratch();
    const blocker = path.join(root, 'not-a-directory');
    fs.writeFileSync(blocker, '');
    const reports: string[] = [];
    const logger = createCrashLogger({
      source: 'tui',
      path: path.join(blocker, 'crash.log'),
      enabled: true,
      reportFailure: (message) => reports.push(message),
    });
    expect(() => {
      logger.breadcrumb('one');
      logger.breadcrumb('two', {
        value: {
          toJSON: () => {
            throw new Error('bad getter');
          },
        },
      });
    }).not.toThrow();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(path.join(blocker, 'crash.log'));
    expect(logger.firstFailure).toBeInstanceOf(Error);
  });

  test('a disabled logger touches nothing', () => {
    const logPath = path.join(scratch(), 'logs', 'crash.log');
    const logger = createCrashLogger({ source: 'tui', path: logPath, enabled: false });
    logger.breadcrumb('spawn');
    expect(logger.enabled).toBe(false);
    expect(fs.existsSync(path.dirname(logPath))).toBe(false);
  });

  test('is off under the test runner unless a test turns it on', () => {
    expect(isCrashLogEnabled(process.env)).toBe(false);
    expect(createCrashLogger({ source: 'tui', path: '/nonexistent/crash.log' }).enabled).toBe(
      false,
    );
    expect(isCrashLogEnabled({ VITEST: 'true', LIFELINE_CRASH_LOG: '1' })).toBe(true);
    expect(isCrashLogEnabled({ JEST_WORKER_ID: '1' })).toBe(false);
    expect(isCrashLogEnabled({})).toBe(true);
    expect(isCrashLogEnabled({ LIFELINE_CRASH_LOG: 'off' })).toBe(false);
  });

  test('refuses, even disabled, a logger without a source or with a size given as a string', () => {
    const withoutSource = { path: path.join(scratch(), 'crash.log') } as CrashLoggerOptions;
    expect(() => createCrashLogger(withoutSource)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          "createCrashLogger needs a source, the name written in front of every line such as 'gateway' or 'host:<sid>' (got undefined)",
      }) as Error,
    );
    expect(() => createCrashLogger({ ...withoutSource, source: '' })).toThrow(CrashLogError);
    const sizeAsText = { source: 'tui', maxBytes: '100' } as unknown as CrashLoggerOptions;
    expect(() => createCrashLogger(sizeAsText)).toThrow('maxBytes must be a number ≥ 0, got "100"');
  });

  test('defaults to the crash log under the state directory', () => {
    const logger = createCrashLogger({ source: 'tui', env: { LIFELINE_HOME: '/srv/lifeline' } });
    expect(logger.path).toBe('/srv/lifeline/logs/crash.log');
  });
});

describe('stringifyFieldValue', () => {
  test.each([
    ['text', 'text'],
    [42, '42'],
    [10n, '10'],
    [false, 'false'],
    [null, 'null'],
    [new Error('boom\nstack'), 'Error: boom'],
    [new Date(0), '1970-01-01T00:00:00.000Z'],
    [{ a: [1, 2n] }, '{"a":[1,"2"]}'],
  ])('case %#', (value, expected) => {
    expect(stringifyFieldValue(value)).toBe(expected);
  });

  test('survives values that cannot be serialised', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(stringifyFieldValue(circular)).toBe('[unserialisable]');
  });
});

describe('two real processes appending at once', () => {
  let library: ReturnType<typeof compileForChild>;
  beforeAll(() => {
    library = compileForChild();
  });
  afterAll(() => library.remove());

  test('10,000 breadcrumbs each: every line whole, none lost, none interleaved', async () => {
    const logPath = path.join(scratch(), 'logs', 'crash.log');
    const child = (source: string) =>
      run(process.execPath, [
        path.join(fixtures, 'append-child.mjs'),
        library.entry,
        logPath,
        source,
        '10000',
        String(64 * 1024 * 1024),
      ]);
    await Promise.all([child('host:a'), child('host:b')]);

    const lines = fs.readFileSync(logPath, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(20_000);
    const seen = { 'host:a': [] as number[], 'host:b': [] as number[] };
    for (const line of lines) {
      const entry = parseCrashLogLine(line);
      expect(entry, line).toBeDefined();
      const index = Number(entry!.fields.index);
      expect(entry!.fields.note).toBe(`from ${entry!.source} "${'é'.repeat(index % 7)}"`);
      expect(entry!.fields.pad).toBe('x'.repeat((index * 37) % 300));
      seen[entry!.source as keyof typeof seen].push(index);
    }
    // Each writer's lines appear exactly once and in the order it wrote them.
    const expected = Array.from({ length: 10_000 }, (_, index) => index);
    expect(seen['host:a']).toEqual(expected);
    expect(seen['host:b']).toEqual(expected);
  });

  test('rotating while both append: every surviving line is whole, each writer in order', async () => {
    const logPath = path.join(scratch(), 'logs', 'crash.log');
    const maxBytes = 256 * 1024;
    const child = (source: string) =>
      run(process.execPath, [
        path.join(fixtures, 'append-child.mjs'),
        library.entry,
        logPath,
        source,
        '5000',
        String(maxBytes),
      ]);
    await Promise.all([child('host:a'), child('host:b')]);

    const directory = path.dirname(logPath);
    // Three files kept, no lock left behind.
    expect(fs.readdirSync(directory).sort()).toEqual(['crash.log', 'crash.log.1', 'crash.log.2']);
    const lastIndex = new Map<string, number>();
    for (const file of ['crash.log.2', 'crash.log.1', 'crash.log']) {
      const text = fs.readFileSync(path.join(directory, file), 'utf8');
      // A writer that found the rotation lock taken appends anyway: a little over, never far.
      expect(Buffer.byteLength(text)).toBeLessThan(2 * maxBytes);
      for (const line of text.slice(0, -1).split('\n')) {
        const entry = parseCrashLogLine(line);
        expect(entry, line).toBeDefined();
        const index = Number(entry!.fields.index);
        expect(index).toBeGreaterThan(lastIndex.get(entry!.source) ?? -1);
        lastIndex.set(entry!.source, index);
      }
    }
    // The newest breadcrumb is always kept.
    expect([...lastIndex.values()]).toContain(4999);
  });
});
