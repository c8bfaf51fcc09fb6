// `lifeline logs`: the crash log of every process, interleaved by time, and --follow across rotation.
import fs from 'node:fs';
import path from 'node:path';
import { createCrashLogger } from '@lifeline/crash-log';
import { afterEach, describe, expect, test } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

function logPath(): string {
  return path.join(world.stateDir, 'logs', 'crash.log');
}

/** A writer for one process's breadcrumbs, at chosen times, rotating after a few lines. */
function writer(source: string, maxBytes = 0) {
  return (time: number, event: string, fields?: Record<string, string>) =>
    createCrashLogger({
      source,
      path: logPath(),
      enabled: true,
      maxBytes,
      now: () => time,
    }).breadcrumb(event, fields);
}

describe('lifeline logs', () => {
  test("every process's lines interleaved by time across the rotated files; --tail keeps the newest", async () => {
    world = new CliWorld();
    const t0 = Date.parse('2026-03-01T10:00:00.000Z');
    const tui = writer('tui', 200);
    const gateway = writer('gateway', 200);
    // Written out of time order and over several files (each holds two or three lines).
    tui(t0 + 0, 'tui.start');
    gateway(t0 + 3000, 'child.exit', { signal: 'SIGKILL' });
    tui(t0 + 1000, 'gateway.spawn', { pid: '41' });
    gateway(t0 + 2000, 'gateway.start', { note: 'two words' });
    tui(t0 + 4000, 'recovery.done');
    expect(fs.existsSync(`${logPath()}.1`)).toBe(true);

    const all = await world.run(['logs']);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      [
        '[tui] 2026-03-01T10:00:00.000Z tui.start',
        '[tui] 2026-03-01T10:00:01.000Z gateway.spawn pid=41',
        '[gateway] 2026-03-01T10:00:02.000Z gateway.start note="two words"',
        '[gateway] 2026-03-01T10:00:03.000Z child.exit signal=SIGKILL',
        '[tui] 2026-03-01T10:00:04.000Z recovery.done',
        '',
      ].join('\n'),
    );
    const tail = await world.run(['logs', '--tail', '2']);
    expect(
      tail.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' ')[2]),
    ).toEqual(['child.exit', 'recovery.done']);
    const bad = await world.run(['logs', '--tail', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^lifeline: option '-n, --tail <lines>' argument 'many' is invalid\. give a whole number of lines, e\.g\. --tail 50; `lifeline logs --help` lists the options\n$/,
    );
  });

  test('--follow prints new lines as they are written, across rotations, and Ctrl+C ends it with 0', async () => {
    world = new CliWorld();
    const host = writer('host:s_1', 300);
    const t0 = Date.parse('2026-03-01T10:00:00.000Z');
    host(t0, 'host.start');
    const follow = world.spawn(['logs', '--follow', '--tail', '1']);
    await follow.waitFor(/host\.start\n/);
    // Two lines fill a file: each pair rotates the log once, and rotated files are kept for two more.
    for (let index = 1; index <= 12; index += 1) {
      host(t0 + index * 1000, `tick`, { n: String(index), pad: 'x'.repeat(60) });
      if (index % 2 === 0) await follow.waitFor(new RegExp(` n=${index} `));
    }
    expect(fs.existsSync(`${logPath()}.2`)).toBe(true);
    const ticks = [...follow.stdout.matchAll(/ tick n=(\d+) /g)].map((match) => Number(match[1]));
    expect(ticks).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    process.kill(follow.pid, 'SIGINT');
    expect(await follow.result).toMatchObject({ code: 0, signal: null });
  });
});
