import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCrashLogger } from '@lifeline/crash-log';
import { afterEach, describe, expect, test } from 'vitest';
import { CrashLogFollower } from './crash-log-follower.js';

let directory: string;
afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

function setup(maxBytes = 0) {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-follow-'));
  const logPath = path.join(directory, 'crash.log');
  const logger = (source: string) =>
    createCrashLogger({ source, path: logPath, enabled: true, maxBytes, maxFiles: 3 });
  return { logPath, logger };
}

const events = (entries: { event: string }[]) => entries.map((entry) => entry.event);

describe('CrashLogFollower', () => {
  test('returns only what is appended after it starts, from every process, in write order', () => {
    const { logPath, logger } = setup();
    const tui = logger('tui');
    const gateway = logger('gateway');
    tui.breadcrumb('before');
    const follower = new CrashLogFollower(logPath);
    follower.skipToEnd();
    expect(follower.poll()).toEqual([]);
    tui.breadcrumb('one');
    gateway.breadcrumb('two', { pid: 42 });
    const fresh = follower.poll();
    expect(fresh.map((entry) => [entry.source, entry.event])).toEqual([
      ['tui', 'one'],
      ['gateway', 'two'],
    ]);
    expect(fresh[1]?.fields).toEqual({ pid: '42' });
    expect(follower.poll()).toEqual([]);
  });

  test('a line still being written waits for its end', () => {
    const { logPath, logger } = setup();
    logger('tui').breadcrumb('start');
    const follower = new CrashLogFollower(logPath);
    follower.skipToEnd();
    const line = '[host:s_1] 2026-01-01T00:00:00.000Z host.exit code=0\n';
    fs.appendFileSync(logPath, line.slice(0, 20));
    expect(follower.poll()).toEqual([]);
    fs.appendFileSync(logPath, line.slice(20));
    expect(events(follower.poll())).toEqual(['host.exit']);
  });

  test('across rotations: the rest of the renamed file, then the new one, nothing lost or repeated', () => {
    const { logPath, logger } = setup(300);
    const writer = logger('gateway');
    writer.breadcrumb('zero');
    const follower = new CrashLogFollower(logPath);
    follower.skipToEnd();
    const seen: string[] = [];
    for (let index = 1; index <= 40; index += 1) {
      writer.breadcrumb(`event-${index}`, { detail: 'x'.repeat(40) });
      // Poll now and then: sometimes after one rotation, sometimes after two.
      if (index % 3 === 0) seen.push(...events(follower.poll()));
    }
    seen.push(...events(follower.poll()));
    expect(fs.existsSync(`${logPath}.2`)).toBe(true);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, index) => `event-${index + 1}`));
  });

  test('a log that does not exist yet is followed from its first line', () => {
    const { logPath, logger } = setup();
    const follower = new CrashLogFollower(logPath);
    follower.skipToEnd();
    expect(follower.poll()).toEqual([]);
    logger('tui').breadcrumb('first');
    expect(events(follower.poll())).toEqual(['first']);
  });
});
