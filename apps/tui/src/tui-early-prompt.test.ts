// The input line the entry point draws before Ink and the app have loaded: the app's loading is
// held (a loader hook, preloaded through NODE_OPTIONS) while the test types at it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
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
  await vi.waitFor(() => {
    const inputLines = tui.screen().filter((row) => row.startsWith('› '));
    expect(inputLines.map((row) => row.trimEnd())).toEqual(['› echo early-$((6*7))']);
  });
  tui.type(keys.enter);
  fs.writeFileSync(release, '');
  await tui.waitFor('● ready');
  await tui.waitFor(/✓ 0 · /);
  const lines = tui.lines();
  expect(lines.filter((line) => line === 'early-42')).toHaveLength(1);
  // The early frame gave way to the app's: it is not left above the app's header.
  expect(lines.filter((line) => line.startsWith('lifeline · starting gateway…'))).toEqual([]);
});
