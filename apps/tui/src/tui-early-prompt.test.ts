// The input line the entry point draws before Ink and the app have loaded: the app's loading is
// held (a loader hook, preloaded through NODE_OPTIONS) while the test types at it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import type { TmuxTui } from './test-utils/tmux-tui.js';
import { keys, TuiWorld } from './test-utils/tui-harness.js';

const holdAppLoad = path.join(import.meta.dirname, '__fixtures__', 'hold-app-load.mjs');

let world: TuiWorld;
afterEach(async (context) => {
  await world.dispose(context.task.result?.state === 'fail');
});

test('the input line takes keys before the app has loaded; the command typed there runs once, when the session is up', async () => {
  world = new TuiWorld();
  const release = path.join(world.root, 'release-app');
  const tui = world.start([], undefined, {
    NODE_OPTIONS: `--import=${holdAppLoad}`,
    LIFELINE_TEST_RELEASE_APP: release,
  });
  await vi.waitFor(
    () => {
      if (!fs.existsSync(`${release}.held`)) throw new Error('the app is not held yet');
    },
    { timeout: 20_000 },
  );
  await tui.waitFor('› ');
  expect(tui.screen()[0]).toBe('lifeline · starting gateway…');
  tui.type('echo early-$((6*7))x');
  // Backspace is the one editing key the early line shows.
  tui.type('\x7f');
  await tui.waitFor('› echo early-$((6*7))');
  await vi.waitFor(
    () => {
      const inputLines = tui.screen().filter((row) => row.startsWith('› '));
      expect(inputLines.map((row) => row.trimEnd())).toEqual(['› echo early-$((6*7))']);
    },
    { timeout: 15_000 },
  );
  tui.type(keys.enter);
  fs.writeFileSync(release, '');
  await tui.waitFor('● ready');
  await tui.waitFor(/✓ 0 · /);
  const lines = tui.lines();
  expect(lines.filter((line) => line === 'early-42')).toHaveLength(1);
  // The early frame gave way to the app's: it is not left above the app's header.
  expect(lines.filter((line) => line.startsWith('lifeline · starting gateway…'))).toEqual([]);
});

test('what was typed at the early line stays on the line while the loaded app waits to show the session, and so does what is typed then', async () => {
  world = new TuiWorld();
  const release = path.join(world.root, 'release-app');
  const releaseView = path.join(world.root, 'release-view');
  const tui = world.start([], undefined, {
    NODE_OPTIONS: `--import=${holdAppLoad}`,
    LIFELINE_TEST_RELEASE_APP: release,
    LIFELINE_TEST_RELEASE_VIEW: releaseView,
  });
  await vi.waitFor(
    () => {
      if (!fs.existsSync(`${release}.held`)) throw new Error('the app is not held yet');
    },
    { timeout: 20_000 },
  );
  await tui.waitFor('› ');
  tui.type('echo early-$((6*7))x\x7f');
  await tui.waitFor('› echo early-$((6*7))');
  // From now on, no frame shows the line without what was typed.
  const inputRows: string[] = [];
  tui.onScreen((screen) => inputRows.push(...screen.filter((row) => row.startsWith('› '))));
  fs.writeFileSync(release, '');
  // The app has taken over the terminal and its keys (its first frame is drawn): the session
  // cannot be shown before the terminal emulator behind it loads.
  const crashLog = path.join(world.stateDir, 'logs', 'crash.log');
  await vi.waitFor(
    () => {
      if (!fs.readFileSync(crashLog, 'utf8').includes('tui.start'))
        throw new Error('the app has not started yet');
    },
    { timeout: 20_000 },
  );
  expect(fs.existsSync(releaseView)).toBe(false);
  // Typed now, a key reaches the app alone: the line shows it after what the early line took.
  tui.type('y');
  await tui.waitFor('› echo early-$((6*7))y', 5_000);
  expect(tui.screen().join('\n')).not.toContain('attaching the session');
  expect(inputRows.filter((row) => !row.startsWith('› echo early-$((6*7))'))).toEqual([]);
  tui.type(keys.enter);
  fs.writeFileSync(releaseView, '');
  await tui.waitFor(/✓ 0 · /);
  expect(tui.lines().filter((line) => line === 'early-42y')).toHaveLength(1);
});

test('a line typed before the TUI turned off the terminal echo is erased with the early frame', async () => {
  world = new TuiWorld();
  const go = path.join(world.root, 'go');
  // Started once the test lets it: keys typed before are read in the terminal's line mode, which
  // echoes them, as it does while Node starts.
  const tui = world.startInTmux(
    [],
    { cols: 100, rows: 30 },
    [],
    `while [ ! -e '${go}' ]; do sleep 0.02; done`,
  );
  tui.type('echo cooked-$((6*7))\r');
  await tui.waitFor('echo cooked-$((6*7))');
  fs.writeFileSync(go, '');
  await tui.waitFor(/✓ 0 · /);
  const lines = await tui.settled();
  expect(lines.filter((line) => line.includes('cooked-'))).toEqual([
    '$ echo cooked-$((6*7))',
    'cooked-42',
  ]);
});

/** A TUI in tmux whose shell's startup goes on until the test creates the file `go`. */
function startWithSlowShell(): { tui: TmuxTui; go: string } {
  world = new TuiWorld();
  const go = path.join(world.root, 'go');
  fs.writeFileSync(
    path.join(world.home, '.bashrc'),
    `while [ ! -e '${go}' ]; do sleep 0.02; done\nPS1='started> '\n`,
  );
  return { tui: world.startInTmux([], { cols: 100, rows: 30 }), go };
}

test('a line typed while the shell starts runs once, its echo and the prompt left out', async () => {
  // The line reaches the session while the shell's startup goes on.
  const { tui, go } = startWithSlowShell();
  await tui.waitFor('● ready');
  tui.type('echo slow-$((6*7))\r');
  // The session's host took the keys: it typed them, or holds them for the shell's first prompt.
  await vi.waitFor(
    () => {
      const sessions = path.join(world.stateDir, 'sessions');
      const typed = fs
        .readdirSync(sessions)
        .some((sid) =>
          fs
            .readFileSync(path.join(sessions, sid, 'events.jsonl'), 'utf8')
            .includes('"type":"input"'),
        );
      const held = fs
        .readFileSync(path.join(world.stateDir, 'logs', 'crash.log'), 'utf8')
        .includes('input.wait-first-prompt');
      if (!typed && !held) throw new Error('the keys have not reached the session yet');
    },
    { timeout: 20_000 },
  );
  fs.writeFileSync(go, '');
  await tui.waitFor(/✓ 0 · /);
  const lines = await tui.settled();
  expect(lines.filter((line) => line.includes('slow-'))).toEqual([
    '$ echo slow-$((6*7))',
    'slow-42',
  ]);
});

test('keys typed while the shell starts stay on the line until its first prompt shows them', async () => {
  const { tui, go } = startWithSlowShell();
  await tui.waitFor('● ready');
  await tui.waitFor('starting the shell… what you type goes to it');
  tui.type('echo slow-$((6*7))x\x7f');
  // The shell holds them unechoed: Lifeline's line shows them meanwhile, Backspace applied.
  await tui.waitFor('› echo slow-$((6*7))');
  fs.writeFileSync(go, '');
  await tui.waitFor('started> echo slow-$((6*7))');
  // Once the shell shows the line itself, Lifeline's is gone: the line is on the screen once.
  const screen = await tui.settled();
  expect(screen.filter((line) => line.includes('slow-'))).toEqual(['started> echo slow-$((6*7))']);
  tui.type('\r');
  await tui.waitFor(/✓ 0 · /);
  expect((await tui.settled()).filter((line) => line.includes('slow-'))).toEqual([
    '$ echo slow-$((6*7))',
    'slow-42',
  ]);
});

test('what is typed while the session is attached stays on the line as it is shown, its shell still starting', async () => {
  world = new TuiWorld();
  const go = path.join(world.root, 'go');
  fs.writeFileSync(
    path.join(world.home, '.bashrc'),
    `while [ ! -e '${go}' ]; do sleep 0.02; done\nPS1='started> '\n`,
  );
  const tui = world.start([], { cols: 100, rows: 30 });
  // Every input line drawn once the text was typed shows it.
  const inputRows: string[] = [];
  tui.onScreen((screen) => inputRows.push(...screen.filter((row) => row.startsWith('› '))));
  await tui.waitFor('› ');
  tui.type('echo held-$((6*7))');
  await tui.waitFor('● ready');
  await tui.waitFor('› echo held-$((6*7))');
  const typed = inputRows.findIndex((row) => row.startsWith('› echo held-$((6*7))'));
  expect(typed).toBeGreaterThanOrEqual(0);
  expect(inputRows.slice(typed).filter((row) => !row.startsWith('› echo held-$((6*7))'))).toEqual(
    [],
  );
  fs.writeFileSync(go, '');
  await tui.waitFor('started> echo held-$((6*7))');
  tui.type(keys.enter);
  await tui.waitFor(/^held-42$/m);
});
