// The session picker (`/sessions`) under a real PTY read through a headless xterm, with real
// sessions made by `lifeline exec`, and keys written to the terminal as a held key sends them.
import { afterEach, expect, test } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';
import { keys, type TuiProcess } from './test-utils/tui-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** The picker's rows on screen now: the name on each, and whether `▸` points at it. */
function pickerRows(tui: TuiProcess): { name: string; pointed: boolean; shown: boolean }[] {
  return tui
    .screen()
    .map((line) => /^([▸ ]) [●○] \S+\s+s_\S+ (\S+)( \(shown\))?/u.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({
      name: match[2] ?? '',
      pointed: match[1] === '▸',
      shown: match[3] !== undefined,
    }));
}

async function execIn(args: string[]): Promise<void> {
  const result = await world.run(['exec', ...args]);
  expect(result.code, result.stderr).toBe(0);
}

test('/sessions: the session used last comes first, a burst of ↓ moves once per key, and Enter resumes where ▸ points', async () => {
  world = new CliWorld();
  // Made in this order; then alpha is used again, so the last used comes first, not the newest.
  await execIn(['--new', '--name', 'alpha', '--', 'true']);
  await execIn(['--new', '--name', 'beta', '--', 'true']);
  await execIn(['--new', '--name', 'gamma', '--', 'true']);
  await execIn(['-s', 'alpha', '--', 'echo', 'again']);
  const tui = world.start([], { cols: 120, rows: 30 });
  await tui.waitFor('● ready');
  tui.type(`${keys.ctrlBracket}sessions${keys.enter}`);
  await tui.waitFor('Enter resumes');
  expect(pickerRows(tui)).toEqual([
    { name: 'work', pointed: true, shown: true },
    { name: 'alpha', pointed: false, shown: false },
    { name: 'gamma', pointed: false, shown: false },
    { name: 'beta', pointed: false, shown: false },
  ]);

  // Two ↓ in one write, as a held key or a terminal that batches keys sends them.
  tui.type(`${keys.down}${keys.down}`);
  await tui.waitFor(/^▸ ● live\s+s_\S+ gamma /m);
  expect(pickerRows(tui).map((row) => row.pointed)).toEqual([false, false, true, false]);
  tui.type(keys.enter);
  await tui.waitFor('── session gamma');
  await tui.waitFor(/lifeline · gamma s_/);
});
