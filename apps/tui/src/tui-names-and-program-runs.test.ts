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

test('renamed from outside (lifeline sessions rename, or another TUI), the header of a TUI showing the session follows; replay shows nothing of it', async () => {
  world = new CliWorld();
  const tui = world.start(['--name', 'build box']);
  await tui.waitFor('● ready');
  const listed = await world.json<{ sessions: { sid: string }[] }>(['sessions', '--json']);
  const sid = listed.value.sessions[0]?.sid ?? '';
  const renamed = await world.run(['sessions', 'rename', 'build box', 'release']);
  expect(renamed.code).toBe(0);
  await tui.waitFor(/^lifeline · release /m);
  // A second TUI on the session, renaming it: the first follows again.
  const second = world.start(['--resume', sid]);
  await second.waitFor('● ready');
  second.type(`${keys.ctrlBracket}rename shipped${keys.enter}`);
  await second.waitFor(/^lifeline · shipped /m);
  await tui.waitFor(/^lifeline · shipped /m);
  tui.type(`echo after${keys.enter}`);
  await tui.waitFor(/after\n✓ 0 · /);
  const transcript = await world.run(['replay', sid]);
  expect(transcript.stdout).toMatch(/^\$ echo after\nafter\n✓ 0 · \S+\n$/);
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
  // replay prints them as the TUI shows them.
  const transcript = await world.run(['replay', sid]);
  expect(transcript.stdout).toMatch(
    /^\$ echo typed-here\ntyped-here\n✓ 0 · \S+\n\$ echo from-exec {2}⚙ run by a program\nfrom-exec\n✓ 0 · \S+\n$/,
  );
});

test('commands a program runs are not typed onto what the person had half-typed: that line comes back after them', async () => {
  world = new CliWorld();
  const tui = world.start();
  await tui.waitFor('● ready');
  tui.type('echo half');
  await tui.waitFor('echo half');
  const listed = await world.json<{ sessions: { sid: string }[] }>(['sessions', '--json']);
  const sid = listed.value.sessions[0]?.sid ?? '';
  // Twice in a row: the second comes once the line is back, before anyone typed again.
  for (const word of ['from-exec', 'from-second']) {
    const exec = await world.run(['exec', '-s', sid, '--', 'echo', word]);
    expect(exec.code).toBe(0);
    expect(exec.stdout).toContain(word);
    expect(exec.stdout).not.toContain('half');
    await tui.waitFor(`$ echo ${word}  ⚙ run by a program`);
  }
  // The half-typed line is back at the prompt, the cursor at its end.
  tui.type(` again${keys.enter}`);
  await tui.waitFor(/\nhalf again\n✓ 0 · /);
  expect(tui.lines()).toContain('$ echo half again');
});

test('lifeline --resume takes a session by its name; an unknown or shared name ends the TUI saying so', async () => {
  world = new CliWorld();
  const made = await world.run(['exec', '--new', '--name', 'api', '--', 'echo', 'made-in-api']);
  expect(made.code).toBe(0);
  const resumed = world.start(['--resume', 'api']);
  await resumed.waitFor(/made-in-api\n✓ 0 · /);
  // The header, drawn with the frame (which may follow the transcript by a write), names it.
  await resumed.waitFor(/^lifeline · api s_/m);
  resumed.type(`${keys.ctrlBracket}quit${keys.enter}`);
  expect(await resumed.exited).toBe(0);

  // `--name` of a live session's name: most likely that session was meant.
  const again = world.start(['--name', 'api'], { cols: 250, rows: 30 });
  expect(await again.exited).toBe(2);
  expect(again.text()).toMatch(
    /is already named "api"; choose another name, or rename that session first \(to attach to it: lifeline --resume api\)/,
  );

  const unknown = world.start(['--resume', 'nobody'], { cols: 250, rows: 30 });
  expect(await unknown.exited).toBe(3);
  expect(unknown.text()).toContain(
    `lifeline: no session is named "nobody" in ${world.stateDir} (ids are s_ and 26 lowercase letters and digits); \`lifeline sessions\` lists them`,
  );

  // A name only ended sessions share.
  expect((await world.run(['sessions', 'kill', 'api'])).code).toBe(0);
  expect((await world.run(['exec', '--new', '--name', 'api', '--', 'true'])).code).toBe(0);
  expect((await world.run(['sessions', 'kill', 'api'])).code).toBe(0);
  const shared = world.start(['--resume', 'api'], { cols: 200, rows: 30 });
  expect(await shared.exited).toBe(2);
  expect(shared.text()).toContain('2 sessions are named "api": s_');
});

test('a session shown from its start: runs long over are not shown running, and small ones around a flood keep all their lines', async () => {
  world = new CliWorld();
  const first = await world.json<{ sid: string }>([
    'exec',
    '--new',
    '--json',
    '--',
    "printf 'a1\\nb2\\nc3\\n'",
  ]);
  const sid = first.value.sid;
  for (const command of ['yes | head -n 300000', 'echo after-the-flood'])
    expect((await world.run(['exec', '-s', sid, '--', command])).code).toBe(0);
  const tui = world.start(['--resume', sid]);
  await tui.waitFor(/after-the-flood\n✓ 0 · /);
  await tui.waitFor('● ready');
  const lines = tui.lines();
  const header = lines.findIndex((line) => line.startsWith("$ printf 'a1"));
  expect(lines.slice(header + 1, header + 5)).toEqual([
    'a1',
    'b2',
    'c3',
    expect.stringMatching(/^✓ 0 · /),
  ]);
  expect(lines.filter((line) => line.includes('hidden'))).toEqual([
    expect.stringMatching(/^… \d+ lines hidden — lifeline replay /),
  ]);
  // The flood ended long before it was shown: never drawn as a command going on.
  expect(tui.raw).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] yes \| head/);
  expect(tui.raw).not.toContain('Ctrl+C interrupts');
});

test('a session with a long history is shown from its last runs, saying where the rest is', async () => {
  world = new CliWorld();
  // Each run prints 5 MB on one line, redrawn over and over (a progress line): the log is long, the
  // transcript short.
  const flood = (name: string) =>
    `yes 0123456789abcdefghij | head -c 5000000 | tr '\\n' '\\r'; echo; echo done-${name}`;
  expect((await world.run(['exec', '--new', '--name', 'long', '--', flood('A')])).code).toBe(0);
  for (const name of ['B', 'C'])
    expect((await world.run(['exec', '-s', 'long', '--', flood(name)])).code).toBe(0);
  expect((await world.run(['exec', '-s', 'long', '--', 'echo last-run'])).code).toBe(0);
  const tui = world.start(['--resume', 'long']);
  await tui.waitFor(/last-run\n✓ 0 · /);
  await tui.waitFor('● ready');
  const text = tui.text();
  expect(text).toMatch(
    /earlier history \(\d+ MB of log\) is not shown here: `lifeline replay long` prints it/,
  );
  // The runs at the end of the log are whole; the first is left out, and nothing is twice.
  expect(text).not.toContain('done-A');
  for (const name of ['B', 'C']) expect(text.split(`done-${name}\n`)).toHaveLength(2);
  expect(text.indexOf('not shown here')).toBeLessThan(text.indexOf('done-B'));
  // The runs read from the log's last stretch had ended long before they were shown: never drawn
  // as commands going on, nor keys sent to them.
  expect(tui.raw).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] yes 0123/);
  expect(tui.raw).not.toContain('Ctrl+C interrupts');
  // What was left out is there for replay.
  const replay = await world.run(['replay', 'long']);
  expect(replay.stdout).toContain('done-A');
});

test("a session whose last run printed far more than is kept is shown from that run's last stretch, not read whole", async () => {
  world = new CliWorld();
  // One run of 24 MB on one line redrawn over and over: the log's last stretch lies inside it.
  const flood =
    "yes 0123456789abcdefghij | head -c 24000000 | tr '\\n' '\\r'; echo; echo done-long";
  expect((await world.run(['exec', '--new', '--name', 'huge', '--', flood])).code).toBe(0);
  const tui = world.start(['--resume', 'huge']);
  await tui.waitFor(/done-long\n✓ 0 · /);
  await tui.waitFor('● ready');
  const text = tui.text();
  // The run is shown with its header and its end, under a note that says how much was left out.
  const note =
    /earlier history \((\d+) MB of log\) is not shown here: `lifeline replay huge` prints it/.exec(
      text,
    );
  expect(Number(note?.[1])).toBeGreaterThan(8);
  expect(text.split('$ yes 0123456789abcdefghij')).toHaveLength(2);
  expect(text.split('done-long\n')).toHaveLength(2);
  expect(text.indexOf('not shown here')).toBeLessThan(text.indexOf('$ yes 0123'));
  expect(tui.raw).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] yes 0123/);
});
