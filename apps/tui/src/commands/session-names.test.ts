// Sessions named for people: given at start, changed later, shown everywhere, and taken by -s.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';
import { shortSid } from '../ui/format.js';
import type { ExecReport } from './exec.js';

let world: CliWorld;
/** Starts a session named `name` with `exec --new`; its report. */
const startNamed = (name: string) =>
  world.json<ExecReport>(['exec', '--new', '--name', name, '--json', '--', 'true']);
afterEach(async () => {
  await world.dispose();
});

test('a name given with exec --new --name is listed, taken by -s, and survives a rename of the ended session', async () => {
  world = new CliWorld();
  const { value } = await world.json<ExecReport>([
    'exec',
    '--new',
    '--name',
    'api server',
    '--json',
    '--',
    'true',
  ]);
  const listed = await world.run(['sessions']);
  expect(listed.stdout).toMatch(new RegExp(`${value.sid} +api server `));

  const byName = await world.run(['exec', '-s', 'api server', '--', 'echo', 'by name']);
  expect(byName).toMatchObject({ code: 0, stdout: 'by name\n' });
  expect(byName.stderr).toContain(`running in session ${value.sid} "api server"`);
  // The start of the id, as the TUI's header shows it.
  const byShortId = await world.run(['exec', '-s', shortSid(value.sid), '--', 'echo', 'hi']);
  expect(byShortId).toMatchObject({ code: 0, stdout: 'hi\n' });

  const renamed = await world.run(['sessions', 'rename', 'api server', 'web']);
  expect(renamed).toMatchObject({ code: 0, stdout: `${value.sid} is now named "web"\n` });
  expect((await world.run(['exec', '-s', 'web', '--', 'echo', 'renamed'])).stdout).toBe(
    'renamed\n',
  );
  const gone = await world.run(['exec', '-s', 'api server', '--', 'true']);
  expect(gone.code).toBe(3);
  expect(gone.stderr).toMatch(/no session is named "api server"/);

  // Ended, then renamed: the record keeps the name, and a new shell started in it keeps it too.
  expect((await world.run(['sessions', 'kill', value.sid])).code).toBe(0);
  expect((await world.run(['sessions', 'rename', value.sid, 'archived'])).code).toBe(0);
  const record = JSON.parse(
    fs.readFileSync(path.join(world.stateDir, 'sessions', value.sid, 'session.json'), 'utf8'),
  ) as { name: string };
  expect(record.name).toBe('archived');
  const { value: sessions } = await world.json<{ sessions: { sid: string; name: string }[] }>([
    'sessions',
    '--json',
  ]);
  expect(sessions.sessions.find((session) => session.sid === value.sid)?.name).toBe('archived');
  expect((await world.run(['exec', '-s', 'archived', '--', 'echo', 'back'])).stdout).toBe('back\n');
  const live = await world.json<{ sessions: { sid: string; name: string; status: string }[] }>([
    'sessions',
    '--json',
  ]);
  expect(live.value.sessions.find((session) => session.sid === value.sid)).toMatchObject({
    name: 'archived',
    status: 'live',
  });
});

test('a name a live session has is refused to another; -s takes the live one of a name ended sessions kept, and refuses a name only ended ones share', async () => {
  world = new CliWorld();
  const first = await startNamed('twin');
  const taken = await world.run(['exec', '--new', '--name', 'twin', '--', 'true']);
  expect(taken.code).toBe(2);
  expect(taken.stderr).toContain(
    `session ${first.value.sid} (live, in ${world.work}) is already named "twin"; choose another name`,
  );
  const other = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
  // A session given no name is named after its directory, with a number while that name is taken.
  const unnamed = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
  const renamed = await world.run(['sessions', 'rename', other.value.sid, 'twin']);
  expect(renamed.code).toBe(2);
  expect(renamed.stderr).toContain(`is already named "twin"`);
  // Nothing was started for the refused name, and the other session kept its own.
  const listed = await world.json<{ sessions: { sid: string; name: string }[] }>([
    'sessions',
    '--json',
  ]);
  const work = path.basename(world.work);
  expect(listed.value.sessions.map((session) => [session.sid, session.name]).sort()).toEqual(
    [
      [first.value.sid, 'twin'],
      [other.value.sid, work],
      [unnamed.value.sid, `${work}-2`],
    ].sort(),
  );

  // Once it ended, the name is free again; the live one is the one it means.
  expect((await world.run(['sessions', 'kill', 'twin'])).code).toBe(0);
  const second = await startNamed('twin');
  const byName = await world.run(['exec', '-s', 'twin', '--', 'true']);
  expect(byName.code).toBe(0);
  expect(byName.stderr).toContain(`running in session ${second.value.sid} "twin"`);

  expect((await world.run(['sessions', 'kill', second.value.sid])).code).toBe(0);
  const ambiguous = await world.run(['exec', '-s', 'twin', '--', 'true']);
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain('2 sessions are named "twin"');
  expect(ambiguous.stderr).toContain(`${first.value.sid} (ended, in ${world.work})`);
  expect(ambiguous.stderr).toContain(second.value.sid);

  const withoutNew = await world.run(['exec', '--name', 'x', '--', 'true']);
  expect(withoutNew).toMatchObject({ code: 2 });
  expect(withoutNew.stderr).toMatch(/--name names the session exec starts: add --new/);
  const likeAnId = await world.run(['sessions', 'rename', 'twin', 's_01m80eyhsykbmb761pfe6d0b9j']);
  expect(likeAnId.code).toBe(2);
  expect(likeAnId.stderr).toMatch(
    /cannot name a session: a session name cannot look like a session id/,
  );
  const empty = await world.run(['sessions', 'rename', 'twin', '']);
  expect(empty).toMatchObject({ code: 2 });
  expect(empty.stderr).toContain(
    '"" cannot name a session: a session name is at least one character',
  );
  const withNewline = await world.run(['exec', '--new', '--name', 'a\nb', '--', 'true']);
  expect(withNewline.code).toBe(2);
  expect(withNewline.stderr).toMatch(/holds no control characters/);
  // A name far too long (a file pasted by mistake) is quoted by its start, and its length said.
  const tooLong = await world.run(['exec', '--new', '--name', 'n'.repeat(5000), '--', 'true']);
  expect(tooLong.code).toBe(2);
  expect(tooLong.stderr).toContain(
    `"${'n'.repeat(60)}…" (5000 characters) cannot name a session: a session name is at most 200 characters`,
  );
  expect(tooLong.stderr.length).toBeLessThan(300);
  const unknown = await world.run(['exec', '-s', 'u'.repeat(3000), '--', 'true']);
  expect(unknown.code).toBe(3);
  expect(unknown.stderr).toContain(`no session is named "${'u'.repeat(60)}…" (3000 characters)`);
  expect(unknown.stderr.length).toBeLessThan(400);
});

test('sessions input, interrupt and kill and replay take a session by its name; unknown and shared names are refused in words', async () => {
  world = new CliWorld();
  const script = `read -p 'name? ' name; echo "hello $name"; cat`;
  const asked = await world.run(['exec', '--new', '--name', 'api', '--json', '--', script]);
  expect(asked.code).toBe(125);
  const { sid } = JSON.parse(asked.stdout) as ExecReport;

  const answered = await world.run(['sessions', 'input', '--timeout', '2s', 'api', 'Ada']);
  expect(answered.stdout).toContain('hello Ada');
  const interrupted = await world.run(['sessions', 'interrupt', 'api']);
  expect(interrupted).toMatchObject({ code: 0, stdout: `${sid}: sent Ctrl+C\n` });
  expect((await world.run(['replay', 'api'])).stdout).toMatch(/hello Ada\n(.*\n)*✗ 130/);
  const killed = await world.run(['sessions', 'kill', 'api']);
  expect(killed).toMatchObject({ code: 0, stdout: `${sid} ended\n` });

  // Two live sessions share a name when an ended one is started again under a name taken since.
  const ended = await startNamed('twin');
  await world.run(['sessions', 'kill', ended.value.sid]);
  await world.run(['exec', '--new', '--name', 'twin', '--', 'true']);
  expect((await world.run(['exec', '-s', ended.value.sid, '--', 'true'])).code).toBe(0);
  const { value } = await world.json<{ sessions: { sid: string; name: string }[] }>([
    'sessions',
    '--json',
  ]);
  const twins = value.sessions.filter((session) => session.name === 'twin');
  expect(twins).toHaveLength(2);
  for (const command of [
    ['sessions', 'input'],
    ['sessions', 'interrupt'],
    ['sessions', 'kill'],
    ['replay'],
  ]) {
    const unknown = await world.run([...command, 'nobody']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(
      `lifeline: no session is named "nobody" in ${world.stateDir} (ids are s_ and 26 lowercase letters and digits); \`lifeline sessions\` lists them\n`,
    );
    const shared = await world.run([...command, 'twin']);
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain('2 sessions are named "twin": ');
    for (const twin of twins)
      expect(shared.stderr).toContain(`${twin.sid} (live, in ${world.work})`);
  }
  // Nothing was done to either.
  expect(world.hostPids()).toHaveLength(2);
});

test('--version prints the version of lifeline and of lifeline-gateway', async () => {
  world = new CliWorld();
  const manifest = (dir: string) =>
    (
      JSON.parse(
        fs.readFileSync(path.resolve(import.meta.dirname, dir, 'package.json'), 'utf8'),
      ) as { version: string }
    ).version;
  const cli = await world.run(['--version']);
  expect(cli).toMatchObject({ code: 0, stdout: `${manifest('../..')}\n`, stderr: '' });
  const gatewayBin = path.resolve(import.meta.dirname, '../../bin/lifeline-gateway.js');
  const { spawnSync } = await import('node:child_process');
  const gateway = spawnSync(process.execPath, [gatewayBin, '--version'], { encoding: 'utf8' });
  expect(gateway.stdout).toBe(`${manifest('../../../gateway')}\n`);
  expect(gateway.status).toBe(0);
});
