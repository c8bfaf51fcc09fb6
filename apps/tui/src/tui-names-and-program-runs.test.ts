// What a person watching the TUI sees of names and of the runs programs start in their session.
import { afterEach, expect, test } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';
import { keys } from './test-utils/tui-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

test('lifeline --name shows the name in the header; Ctrl+] rename changes it there and in the session list', async () => {
  world = new CliWorld();
  const tui = world.start(['--name', 'build box']);
  await tui.waitFor('● ready');
  expect(tui.screen()[0]).toContain('build box');
  // At the shell's own prompt, Lifeline's commands are behind its key.
  tui.type(`${keys.ctrlBracket}rename release work${keys.enter}`);
  await tui.waitFor(/^lifeline · release work /m);
  const listed = await world.json<{ sessions: { name: string }[] }>(['sessions', '--json']);
  expect(listed.value.sessions.map((session) => session.name)).toEqual(['release work']);
});

test("a command a program ran in the session is marked; the person's own is not", async () => {
  world = new CliWorld();
  const tui = world.start();
  await tui.waitFor('● ready');
  tui.type(`echo typed-here${keys.enter}`);
  await tui.waitFor(/✓ 0 · /);
  const listed = await world.json<{ sessions: { sid: string }[] }>(['sessions', '--json']);
  const sid = listed.value.sessions[0]?.sid ?? '';
  const exec = await world.run(['exec', '-s', sid, '--', 'echo', 'from-exec']);
  expect(exec.code).toBe(0);
  await tui.waitFor('$ echo from-exec  ⚙ run by a program');
  const lines = tui.lines();
  expect(lines.find((line) => line.startsWith('$ echo typed-here'))).toBe('$ echo typed-here');
});

test('lifeline --resume takes a session by its name; an unknown or shared name ends the TUI saying so', async () => {
  world = new CliWorld();
  const made = await world.run(['exec', '--new', '--name', 'api', '--', 'echo', 'made-in-api']);
  expect(made.code).toBe(0);
  const resumed = world.start(['--resume', 'api']);
  await resumed.waitFor(/made-in-api\n✓ 0 · /);
  expect(resumed.screen().find((line) => line.startsWith('lifeline · '))).toMatch(
    /^lifeline · api s_/,
  );
  resumed.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await resumed.exited).toBe(0);

  const unknown = world.start(['--resume', 'nobody'], { cols: 250, rows: 30 });
  expect(await unknown.exited).toBe(3);
  expect(unknown.text()).toContain(
    `no session is named "nobody" in ${world.stateDir} (ids look like s_01m80eyhsykbmb761pfe6d0b9j); \`lifeline sessions\` lists them`,
  );

  await world.run(['exec', '--new', '--name', 'api', '--', 'true']);
  const shared = world.start(['--resume', 'api'], { cols: 200, rows: 30 });
  expect(await shared.exited).toBe(2);
  expect(shared.text()).toContain('2 sessions are named "api": s_');
});
