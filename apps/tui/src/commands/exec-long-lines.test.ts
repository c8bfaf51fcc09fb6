// `lifeline exec` with a command line wider than the session's terminal, in each shell with a line
// editor: the built CLI, its own gateway, real session hosts and shells.
import { afterEach, describe, expect, test } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';
import type { ExecReport } from './exec.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** An argument of 300 characters: the command line wraps over four rows of an 80-column terminal. */
const wideArgument = `${'x'.repeat(150)}${'y'.repeat(150)}`;

describe.each(['/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'])('with %s', (shell) => {
  test('a command line wider than the terminal: the output is what the command printed, nothing of its echo', async () => {
    world = new CliWorld();
    const env = { SHELL: shell };
    const json = await world.run(['exec', '--new', '--json', '--', 'echo', wideArgument], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as ExecReport;
    expect(report.output).toBe(`${wideArgument}\n`);
    // Again in the same session, once its line editor has drawn a prompt, printed to a pipe.
    const piped = await world.run(['exec', '-s', report.sid, '--', 'echo', wideArgument, 'end'], {
      env,
    });
    expect(piped).toMatchObject({ code: 0, stdout: `${wideArgument} end\n` });
    // The transcript has the command once, in its header, and its output.
    const replay = await world.run(['replay', report.sid], { env });
    expect(replay.stdout.split('\n').filter((line) => line.includes('xxxxx'))).toEqual([
      `$ echo ${wideArgument}  ⚙ run by a program`,
      wideArgument,
      `$ echo ${wideArgument} end  ⚙ run by a program`,
      `${wideArgument} end`,
    ]);
  });
});

test('an output line of 300,000 characters is one line in exec and in replay, as the command printed it', async () => {
  world = new CliWorld();
  const long = 'é'.repeat(300_000);
  const json = await world.run(
    ['exec', '--new', '--json', '--', 'python3', '-c', "print('é' * 300000); print('after')"],
    { env: { SHELL: '/bin/bash' } },
  );
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout) as ExecReport;
  expect(report.output).toBe(`${long}\nafter\n`);
  const replay = await world.run(['replay', report.sid]);
  expect(replay.code).toBe(0);
  const lines = replay.stdout.split('\n');
  expect(lines.filter((line) => line.startsWith('éé'))).toEqual([long]);
  expect(lines[lines.indexOf(long) + 1]).toBe('after');
}, 60_000);
