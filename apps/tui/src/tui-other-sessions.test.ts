// A new session says when others of the user are still running, under a real PTY read through a
// headless xterm, with real sessions left running by earlier TUIs.
import fs from 'node:fs';
import path from 'node:path';
import type { SessionSummary } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';
import { keys, type TuiProcess } from './test-utils/tui-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** Ids of the sessions of the world's state directory. */
function sessionIds(): string[] {
  const sessions = path.join(world.stateDir, 'sessions');
  return fs.existsSync(sessions) ? fs.readdirSync(sessions) : [];
}

/** Starts a TUI on a new session, and quits it once the session is shown: the session runs on. */
async function leaveASessionRunning(): Promise<void> {
  const tui = world.start();
  await tui.waitFor('● ready');
  tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await tui.exited).toBe(0);
}

async function untilGone(tui: TuiProcess, text: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (tui.screen().some((line) => line.includes(text)))
        throw new Error(`still shown:\n${tui.screen().join('\n')}`);
    },
    { timeout: 20_000, interval: 20 },
  );
}

test('a new session says how many others are running and how to switch, until the first key', async () => {
  world = new CliWorld();
  await leaveASessionRunning();
  // Wide enough for the whole line (a narrower terminal cuts it at its end).
  const second = world.start([], { cols: 200, rows: 30 });
  // The session shown is not counted.
  await second.waitFor(
    `1 other session is running · Ctrl+] sessions switches · newest: "work" in ${world.work}`,
  );
  // Started in the same directory, it is not given the name the other one has.
  await second.waitFor(/lifeline · work-2 s_/);
  second.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await second.exited).toBe(0);

  const third = world.start();
  await third.waitFor('2 other sessions are running · Ctrl+] sessions switches');
  third.type('e');
  await untilGone(third, 'other sessions are running');
  // The key went to the shell, as any other.
  third.type(`cho typed${keys.enter}`);
  await third.waitFor(/\ntyped\n✓ 0 · /);
});

test('the line goes once the session has run a command, whoever typed it', async () => {
  world = new CliWorld();
  await leaveASessionRunning();
  const before = sessionIds();
  const tui = world.start();
  await tui.waitFor('1 other session is running');
  const sid = sessionIds().find((id) => !before.includes(id));
  expect(sid).toBeDefined();
  const exec = await world.run(['exec', '-s', sid ?? '', '--', 'echo', 'from-a-program']);
  expect(exec.code).toBe(0);
  await tui.waitFor(/from-a-program\n✓ 0 · /);
  await untilGone(tui, 'other session is running');
});

test('lifeline -c and --resume say nothing of the other sessions', async () => {
  world = new CliWorld();
  await leaveASessionRunning();
  await leaveASessionRunning();
  const resumed = world.start(['-c']);
  await resumed.waitFor('● ready');
  // The new session's line is asked for as soon as it is shown: a run after that shows it is past.
  resumed.type(`echo shown${keys.enter}`);
  await resumed.waitFor(/\nshown\n✓ 0 · /);
  expect(resumed.text()).not.toContain('other session');
});

test.each([
  ['', false],
  [", the first one's gateway restarted meanwhile", true],
])(
  'lifeline -c goes back to the session left last when two TUIs had sessions open at once%s',
  async (_how, gatewayRestarted) => {
    world = new CliWorld();
    // "a" is opened first and left last: "b" is opened while "a" is shown, and left before it.
    const first = world.start(['--name', 'a']);
    await first.waitFor('● ready');
    const second = world.start(['--name', 'b']);
    await second.waitFor(`lifeline · b s_`);
    await second.waitFor('● ready');
    // The TUI showing "a" attaches it again through the new gateway, which is to see it left too.
    if (gatewayRestarted) {
      await first.killReadyGateway();
      first.type(`echo back${keys.enter}`);
      await first.waitFor(/^back\n✓ 0/m);
    }
    for (const tui of [second, first]) {
      tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
      expect(await tui.exited).toBe(0);
    }
    const resumed = world.start(['-c']);
    await resumed.waitFor('● ready');
    await resumed.waitFor(/^lifeline · a s_/m);
  },
);

test('lifeline -c goes back to the session left last, not to one a command printed in since', async () => {
  world = new CliWorld();
  // Session "b" is opened and left first, then session "a".
  for (const name of ['b', 'a']) {
    const tui = world.start(['--name', name]);
    await tui.waitFor(`lifeline · ${name} s_`);
    await tui.waitFor('● ready');
    tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
  }
  // Since then a program's command printed in "b", and a program started "c", which no TUI opened.
  expect((await world.run(['exec', '-s', 'b', '--', 'echo', 'printed-later'])).code).toBe(0);
  expect(
    (await world.run(['exec', '--new', '--name', 'c', '--', 'echo', 'by-a-program'])).code,
  ).toBe(0);
  const { value } = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
  const activity = (name: string) =>
    Date.parse(value.sessions.find((session) => session.name === name)?.lastActivityAt ?? '');
  expect(activity('b')).toBeGreaterThan(activity('a'));
  expect(activity('c')).toBeGreaterThan(activity('b'));

  const resumed = world.start(['-c']);
  await resumed.waitFor('● ready');
  await resumed.waitFor(/^lifeline · a s_/m);
  expect(resumed.text()).not.toContain('printed-later');
});
