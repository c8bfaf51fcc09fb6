// The session picker (`/sessions`) under a real PTY read through a headless xterm, with real
// sessions made by `lifeline exec`, and keys written to the terminal as a held key sends them.
import { afterEach, expect, test, vi } from 'vitest';
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

test('/sessions with more sessions than the terminal has rows: the list scrolls with ▸, its header says which are shown, and nothing of it stays behind', async () => {
  world = new CliWorld();
  await Promise.all(
    Array.from({ length: 9 }, (_, index) =>
      execIn(['--new', '--name', `n${index + 1}`, '--', 'true']),
    ),
  );
  const tui = world.start([], { cols: 100, rows: 10 });
  await tui.waitFor('● ready');
  tui.type(`${keys.ctrlBracket}sessions${keys.enter}`);
  await tui.waitFor(/^sessions 1–\d+ of 10 · ↑\/↓ move · Enter resumes/m);
  const first = pickerRows(tui);
  expect(first.length).toBeGreaterThanOrEqual(2);
  expect(first[0]).toEqual({ name: 'work', pointed: true, shown: true });

  // Down the list, one key at a time: ▸ stays in view.
  for (let down = 1; down <= 9; down += 1) {
    tui.type(keys.down);
    await tui.waitFor(new RegExp(`^sessions \\d+–\\d+ of 10 `, 'm'));
    await vi.waitFor(
      () => {
        const rows = pickerRows(tui);
        expect(rows.filter((row) => row.pointed)).toHaveLength(1);
        // The last is pointed at once the list went down to it.
        if (down === 9) expect(rows.at(-1)?.pointed).toBe(true);
      },
      { timeout: 10_000 },
    );
  }
  expect(tui.text()).toMatch(/^sessions \d+–10 of 10 /m);
  const last = pickerRows(tui).at(-1)?.name ?? '';
  expect(last).toMatch(/^n\d$/);

  // Closed, it leaves nothing in the terminal, its scrollback included.
  tui.type(keys.escape);
  await vi.waitFor(
    () => {
      expect(tui.lines().filter((line) => /^[▸ ] [●○] /u.test(line))).toEqual([]);
      expect(tui.lines().join('\n')).not.toContain('Enter resumes');
    },
    { timeout: 10_000 },
  );

  // Opened again: Enter resumes the session ▸ points at.
  tui.type(`${keys.ctrlBracket}sessions${keys.enter}`);
  await tui.waitFor(/^sessions 1–\d+ of 10 /m);
  for (let down = 1; down <= 9; down += 1) tui.type(keys.down);
  await tui.waitFor(/^sessions \d+–10 of 10 /m);
  await vi.waitFor(
    () => expect(pickerRows(tui).at(-1)).toMatchObject({ name: last, pointed: true }),
    {
      timeout: 10_000,
    },
  );
  tui.type(keys.enter);
  await tui.waitFor(`── session ${last}`);
});
