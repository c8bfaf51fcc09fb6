import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { compileForChild } from './__fixtures__/compile-for-child.js';
import { CleanupRegistry } from './cleanup-registry.js';
import { readCrashLog } from './crash-log-reader.js';
import type { BreadcrumbFields } from './crash-logger.js';
import {
  exitCodeForSignal,
  installProcessHooks,
  type ProcessHooksOptions,
} from './process-hooks.js';

const fixture = path.join(import.meta.dirname, '__fixtures__', 'hooks-child.mjs');
let library: ReturnType<typeof compileForChild>;
const directories: string[] = [];

beforeAll(() => {
  library = compileForChild();
});
afterAll(() => library.remove());
afterEach(() => {
  for (const directory of directories.splice(0))
    fs.rmSync(directory, { recursive: true, force: true });
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Milliseconds from the signal (or from ready when none is sent) to the exit. */
  exitedAfterMs: number;
}

/** Runs the fixture in `mode`, waits for `ready`, optionally signals it, and waits for its exit. */
async function runChild(
  mode: string,
  signal?: NodeJS.Signals,
  graceMs = 400,
): Promise<ChildResult & { logPath: string }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-hooks-'));
  directories.push(directory);
  const logPath = path.join(directory, 'logs', 'crash.log');
  // The child inherits VITEST from this runner: the env override is what turns its log on.
  const child = spawn(process.execPath, [fixture, library.entry, logPath, mode, String(graceMs)], {
    env: { ...process.env, LIFELINE_CRASH_LOG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout
      .setEncoding('utf8')
      .on('data', (chunk: string) => chunk.includes('ready') && resolve());
    child.once('exit', () => reject(new Error(`child exited before ready: ${stderr}`)));
  });
  const startedAt = performance.now();
  if (signal) child.kill(signal);
  return new Promise((resolve) => {
    child.once('exit', (code, exitSignal) =>
      resolve({
        code,
        signal: exitSignal,
        stderr,
        exitedAfterMs: performance.now() - startedAt,
        logPath,
      }),
    );
  });
}

const events = (logPath: string): Array<Record<string, string>> =>
  readCrashLog(logPath).map((entry) => ({ event: entry.event, ...entry.fields }));

describe('a real child with the hooks installed', () => {
  test('SIGTERM with a hung cleanup: exits after the grace period and leaves its breadcrumbs', async () => {
    const result = await runChild('hung-cleanup', 'SIGTERM', 400);
    expect(result.code).toBe(143);
    // Forced by the grace timer, not by a later kill: well before the 20 s test timeout.
    expect(result.exitedAfterMs).toBeLessThan(10_000);
    expect(events(result.logPath)).toEqual([
      { event: 'signal.received', signal: 'SIGTERM' },
      { event: 'shutdown', reason: 'signal', signal: 'SIGTERM', code: '143', graceMs: '400' },
      { event: 'cleanup.ran', name: 'note' },
      { event: 'shutdown.forced', graceMs: '400', pending: 'hung-socket-close' },
      { event: 'exit', code: '143', reason: 'grace-expired', signal: 'SIGTERM' },
    ]);
    expect(
      readCrashLog(result.logPath).every(
        (entry) => entry.source === 'host:s_01hzy3k7m2q9v8c4x6t1b5n0rd',
      ),
    ).toBe(true);
  });

  test('SIGHUP with cleanups that finish: exits once they are done, with 128 + signal', async () => {
    const result = await runChild('quick-cleanup', 'SIGHUP', 5000);
    expect(result.code).toBe(exitCodeForSignal('SIGHUP'));
    expect(events(result.logPath).map((entry) => entry.event)).toEqual([
      'signal.received',
      'shutdown',
      'cleanup.ran',
      'exit',
    ]);
    expect(events(result.logPath).at(-1)).toMatchObject({ reason: 'signal', signal: 'SIGHUP' });
  });

  test('SIGTERM with a cleanup added during the shutdown: waits for it and records its failure', async () => {
    const result = await runChild('late-cleanup', 'SIGTERM', 5000);
    expect(result.code).toBe(143);
    expect(events(result.logPath)).toEqual([
      { event: 'signal.received', signal: 'SIGTERM' },
      { event: 'shutdown', reason: 'signal', signal: 'SIGTERM', code: '143', graceMs: '5000' },
      { event: 'cleanup.ran', name: 'note' },
      { event: 'cleanup.ran', name: 'flush-child' },
      { event: 'cleanup.failed', name: 'flush-child', error: 'Error: flush failed' },
      { event: 'exit', code: '143', reason: 'signal', signal: 'SIGTERM' },
    ]);
  });

  test('an uncaught exception is recorded (first line only) and still crashes the process', async () => {
    const result = await runChild('uncaught');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('boom');
    const recorded = events(result.logPath);
    expect(recorded[0]).toMatchObject({ event: 'uncaught.exception', error: 'Error: boom' });
    expect(recorded[0]?.at).toMatch(/^at .*hooks-child\.mjs/);
    expect(recorded.at(-1)).toEqual({ event: 'exit', code: '1', reason: 'uncaught-exception' });
  });

  test('an unhandled rejection is recorded and still crashes the process', async () => {
    const result = await runChild('rejection');
    expect(result.code).toBe(1);
    expect(events(result.logPath)[0]).toMatchObject({
      event: 'unhandled.rejection',
      error: 'TypeError: nope',
    });
    expect(events(result.logPath).at(-1)).toEqual({
      event: 'exit',
      code: '1',
      reason: 'unhandled-rejection',
    });
  });

  test('a drained event loop and an orderly shutdown record their reasons', async () => {
    const drained = await runChild('drain');
    expect(drained.code).toBe(0);
    expect(events(drained.logPath)).toEqual([
      { event: 'exit', code: '0', reason: 'event-loop-drained' },
    ]);

    const drainedTwice = await runChild('drain-twice');
    expect(drainedTwice.code).toBe(0);
    expect(events(drainedTwice.logPath)).toEqual([
      { event: 'exit', code: '0', reason: 'event-loop-drained' },
    ]);

    const quit = await runChild('quit');
    expect(quit.code).toBe(3);
    expect(events(quit.logPath).at(-1)).toEqual({ event: 'exit', code: '3', reason: 'quit' });
  });

  test('process.exit called as the loop drains, or after it drained once and carried on, is recorded as process.exit', async () => {
    for (const mode of ['exit-on-drain', 'exit-after-drain']) {
      const result = await runChild(mode);
      expect(result.code, mode).toBe(3);
      expect(events(result.logPath), mode).toEqual([
        { event: 'exit', code: '3', reason: 'process.exit' },
      ]);
    }
  });
});

describe('installProcessHooks in this process', () => {
  test('shutdown runs the cleanups once, reports failures, exits with the code; uninstall removes every listener', async () => {
    const breadcrumbs: Array<[string, BreadcrumbFields | undefined]> = [];
    const logger = {
      breadcrumb: (event: string, fields?: BreadcrumbFields) => breadcrumbs.push([event, fields]),
    };
    const cleanups = new CleanupRegistry();
    const order: string[] = [];
    cleanups.add('first', () => void order.push('first'));
    cleanups.add('broken', () => Promise.reject(new Error('socket busy')));
    cleanups.add('last', () => void order.push('last'));
    const exits: number[] = [];
    const listenersBefore = process.listenerCount('SIGTERM');
    const monitorsBefore = process.listenerCount('uncaughtExceptionMonitor');
    const hooks = installProcessHooks({
      logger,
      cleanups,
      exit: (code) => exits.push(code),
      signals: ['SIGTERM'],
    });
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);

    const first = hooks.shutdown('quit', 0);
    expect(hooks.shutdown('again', 9)).toBe(first);
    await first;
    expect(order).toEqual(['last', 'first']);
    expect(exits).toEqual([0]);
    expect(hooks.shuttingDown).toBe(true);
    expect(breadcrumbs).toContainEqual([
      'cleanup.failed',
      { name: 'broken', error: 'Error: socket busy' },
    ]);

    hooks();
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
    expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(monitorsBefore);
  });

  test('a signal during a shutdown begun without one lets it go on; a second signal exits at once', async () => {
    const breadcrumbs: Array<[string, BreadcrumbFields | undefined]> = [];
    const logger = {
      breadcrumb: (event: string, fields?: BreadcrumbFields) => breadcrumbs.push([event, fields]),
    };
    const cleanups = new CleanupRegistry();
    let finishCleanup: () => void = () => undefined;
    cleanups.add(
      'detach',
      () =>
        new Promise<void>((resolve) => {
          finishCleanup = resolve;
        }),
    );
    const exits: number[] = [];
    const hooks = installProcessHooks({
      logger,
      cleanups,
      graceMs: 60_000,
      exit: (code) => exits.push(code),
      signals: ['SIGHUP', 'SIGUSR2'],
    });
    try {
      // The terminal is gone (EIO): the TUI shuts down; the SIGHUP of the same hang-up follows.
      const shutdown = hooks.shutdown('terminal-gone', 0);
      process.emit('SIGHUP', 'SIGHUP');
      await new Promise((resolve) => setImmediate(resolve));
      expect(exits).toEqual([]);
      finishCleanup();
      await shutdown;
      // It ends as the hang-up would have.
      expect(exits).toEqual([129]);
      expect(breadcrumbs).toContainEqual([
        'signal.received',
        { signal: 'SIGHUP', during: 'shutdown' },
      ]);
      // The same hang-up told again changes nothing; another signal now is a second one.
      process.emit('SIGHUP', 'SIGHUP');
      expect(exits).toEqual([129]);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([129, 128 + os.constants.signals.SIGUSR2]);
    } finally {
      hooks();
    }
  });

  test('without a logger, or with a signal that cannot be hooked, nothing is installed and the error says why', () => {
    const listenersBefore = process.listenerCount('exit');
    expect(() => installProcessHooks({} as ProcessHooksOptions)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message:
          'installProcessHooks needs a logger, where its breadcrumbs go: pass the one createCrashLogger() made (got undefined)',
      }) as Error,
    );
    const logger = { breadcrumb: () => undefined };
    const withSignals = (signals: unknown) =>
      ({ logger, signals, exit: () => undefined }) as unknown as ProcessHooksOptions;
    expect(() => installProcessHooks(withSignals(['SIGTERM', 'SIGFOO']))).toThrow(
      `installProcessHooks cannot hook the signal "SIGFOO": this platform has no such signal; give names such as 'SIGTERM', 'SIGHUP' or 'SIGINT'`,
    );
    expect(() => installProcessHooks(withSignals(['SIGKILL']))).toThrow(
      /"SIGKILL": no process can catch it/,
    );
    expect(() => installProcessHooks(withSignals('SIGTERM'))).toThrow(
      /signals must be an array of signal names/,
    );
    expect(process.listenerCount('exit')).toBe(listenersBefore);
  });

  test('a cleanup added during a shutdown is waited for, still bounded by the grace period', async () => {
    const breadcrumbs: Array<[string, BreadcrumbFields | undefined]> = [];
    const logger = {
      breadcrumb: (event: string, fields?: BreadcrumbFields) => breadcrumbs.push([event, fields]),
    };
    const cleanups = new CleanupRegistry();
    cleanups.add('stop-children', async () => {
      await Promise.resolve();
      cleanups.add('flush-child', () => new Promise<void>(() => undefined));
    });
    const exits: number[] = [];
    const hooks = installProcessHooks({
      logger,
      cleanups,
      graceMs: 50,
      exit: (code) => exits.push(code),
      signals: [],
    });
    try {
      await hooks.shutdown('quit', 0);
    } finally {
      hooks();
    }
    expect(exits).toEqual([0]);
    expect(breadcrumbs.at(-1)).toEqual([
      'shutdown.forced',
      { graceMs: 50, pending: 'flush-child' },
    ]);
  });
});
