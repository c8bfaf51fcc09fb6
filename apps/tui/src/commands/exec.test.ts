// `lifeline exec` as scripts and agents use it: the built CLI, its own gateway, real session hosts.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { STOP_SIGNALS } from '@lifeline/protocol';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SETTLED_MS } from '../bundle-loader.js';
import { CliWorld } from '../test-utils/cli-harness.js';
import { damageRecord } from '../test-utils/damage-record.js';
import type { ExecReport } from './exec.js';

/** fish, where it is installed. */
const fishPath = (process.env.PATH ?? '')
  .split(':')
  .map((dir) => path.join(dir, 'fish'))
  .find((file) => fs.existsSync(file));

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** Every field of the `--json` report, with its type. */
function expectReport(value: unknown): ExecReport {
  expect(Object.keys(value as object).sort()).toEqual([
    'cwd',
    'durationMs',
    'exitCode',
    'newShell',
    'notStarted',
    'output',
    'runId',
    'shellExited',
    'sid',
    'stoppedBy',
    'timedOut',
    'waitsForInput',
  ]);
  const report = value as ExecReport;
  expect(report.sid).toMatch(/^s_[0-9a-z]{26}$/);
  expect(report.runId === null || typeof report.runId === 'string').toBe(true);
  expect(report.exitCode === null || Number.isInteger(report.exitCode)).toBe(true);
  expect(report.stoppedBy === null || STOP_SIGNALS.includes(report.stoppedBy)).toBe(true);
  expect(typeof report.timedOut).toBe('boolean');
  expect(report.notStarted === null || typeof report.notStarted === 'string').toBe(true);
  expect(typeof report.waitsForInput).toBe('boolean');
  expect(typeof report.shellExited).toBe('boolean');
  expect(typeof report.newShell).toBe('boolean');
  expect(report.durationMs).toBeGreaterThanOrEqual(0);
  expect(report.cwd === null || typeof report.cwd === 'string').toBe(true);
  expect(typeof report.output).toBe('string');
  return report;
}

/** The `--json` report of `exec --new -- command`. */
/** The `--json` report of `lifeline …args`, checked for its fields, whatever the exit code. */
async function reportOf(args: string[]): Promise<ExecReport> {
  return expectReport(JSON.parse((await world.run(args)).stdout));
}

async function reportOfNewSession(command: string): Promise<ExecReport> {
  return (await world.json<ExecReport>(['exec', '--new', '--json', '--', command])).value;
}

describe('lifeline exec', () => {
  test("exits with the command's status: 0, 1, 130 (SIGINT, or Ctrl+C on exec), 124 (timeout, run goes on), and the shell's own exit", async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    const sid = expectReport(value).sid;

    // Ctrl+C on exec interrupts the command in the session, and exec reports the command's 130.
    const interrupted = world.spawn(['exec', '--new', '--', 'echo started; sleep 30']);
    const [hello, failed, signalled, exited] = await Promise.all([
      world.run(['exec', '-s', sid, '--', 'echo', 'hello', 'world']),
      world.run(['exec', '-s', sid, '--', 'false']),
      world.run(['exec', '-s', sid, '--', "bash -c 'kill -INT $$'"]),
      world.run(['exec', '--new', '--', 'exit 3']),
      interrupted.waitFor(/started\n/).then(() => process.kill(interrupted.pid, 'SIGINT')),
    ]);
    expect(hello).toMatchObject({
      code: 0,
      stdout: 'hello world\n',
      stderr: `lifeline: running in session ${sid} "work" (in ${world.work})\n`,
    });
    expect(failed.code).toBe(1);
    expect(signalled.code).toBe(130);
    expect(exited.code).toBe(3);
    expect(exited.stderr).toMatch(/the shell of session s_\w+ exited \(code 3\)/);
    expect((await interrupted.result).code).toBe(130);
    // Started by --new, the session is named first; then exec says what Ctrl+C did.
    expect(interrupted.stderr).toMatch(
      /^lifeline: started session s_\w+ "[^"]+" \(in [^)]+\)\nlifeline: interrupting the command/,
    );

    const slow = await world.run([
      'exec',
      '-s',
      sid,
      '--timeout',
      '300ms',
      '--',
      'sleep 3; echo late',
    ]);
    expect(slow.code).toBe(124);
    const told =
      /still running after 300ms: it keeps going in session (s_\w+); `lifeline sessions wait \1 --run (run-\S+)` waits for it again and gives its output and outcome/.exec(
        slow.stderr,
      );
    expect(told?.[1]).toBe(sid);
    const runId = told?.[2] ?? '';
    // The timed-out run finishes in the session, and the next command waits for it; waiting for
    // it again meanwhile gives its output from its start and its own exit status.
    const [waited, next] = await Promise.all([
      world.run(['sessions', 'wait', sid, '--run', runId, '--timeout', '30s']),
      world.run(['exec', '-s', sid, '--json', '--', 'echo next']),
    ]);
    expect(waited).toMatchObject({ code: 0, stdout: 'late\n' });
    expect(JSON.parse(next.stdout)).toMatchObject({ exitCode: 0, output: 'next\n' });
    // The wait is said as it begins, not left to look like a hang.
    expect(next.stderr).toMatch(
      /\nlifeline: "sleep 3; echo late" is running there: the command starts once it ends \(exec gives up after \w+, --timeout; Ctrl\+C withdraws it\)\n/,
    );
    const replay = await world.run(['replay', sid]);
    expect(replay.stdout).toMatch(/\$ sleep 3; echo late {2}⚙ run by a program\nlate\n✓ 0 · /);
    // Once other runs followed it, its outcome is read from the log.
    const { value: again } = await world.json<ExecReport>([
      'sessions',
      'wait',
      sid,
      '--run',
      runId,
      '--json',
    ]);
    expect(again).toMatchObject({ runId, exitCode: 0, output: 'late\n', timedOut: false });
  });

  test('two execs sent to an idle session at the same moment: the one that waits for the other says so', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    const sid = expectReport(value).sid;
    const commands = ['echo one; sleep 1.5; echo one-end', 'echo two; sleep 1.5; echo two-end'];
    const results = await Promise.all(
      commands.map((command) => world.run(['exec', '-s', sid, '--', command])),
    );
    expect(results.map((result) => [result.code, result.stdout])).toEqual([
      [0, 'one\none-end\n'],
      [0, 'two\ntwo-end\n'],
    ]);
    const told = results.map((result) =>
      /lifeline: "(.*)" is running there: the command starts once it ends/.exec(result.stderr),
    );
    // One ran at once and says nothing of a wait; the other names it.
    expect(told.filter((match) => match === null)).toHaveLength(1);
    const waited = told.findIndex((match) => match !== null);
    expect(told[waited]?.[1]).toBe(commands[1 - waited]);
  });

  test("SIGTERM on exec (a harness's timeout) interrupts the command as Ctrl+C does: exec exits with the command's 130, the session is free again", async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    const sid = expectReport(value).sid;
    const terminated = world.spawn(['exec', '-s', sid, '--', 'echo started; sleep 30; echo never']);
    await terminated.waitFor(/started\n/);
    process.kill(terminated.pid, 'SIGTERM');
    expect((await terminated.result).code).toBe(130);
    expect(terminated.stderr).toContain(
      'lifeline: interrupting the command (SIGTERM again stops waiting and leaves it running)',
    );
    expect(terminated.stdout).not.toContain('never');
    // Nothing keeps the session busy: the next command runs there at once.
    const next = await world.run(['exec', '-s', sid, '--', 'echo next']);
    expect(next).toMatchObject({ code: 0, stdout: 'next\n' });
    expect(next.stderr).not.toContain('is running there');
  });

  test('--json: exactly one object on stdout, plain text output without the echo or any escape sequence', async () => {
    world = new CliWorld();
    const result = await world.run([
      'exec',
      '--new',
      '--json',
      '--',
      "printf '\\033]52;c;aGk=\\007\\033[31mred\\033[0m\\n\\033]0;title\\007plain\\n'; exit_status=7; (exit $exit_status)",
    ]);
    expect(result.code).toBe(7);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const report = expectReport(JSON.parse(result.stdout));
    expect(report).toMatchObject({
      exitCode: 7,
      timedOut: false,
      cwd: world.work,
      output: 'red\nplain\n',
    });
    expect(report.runId).toMatch(/\S/);

    // --cwd in a reused session: the command runs there, and the shell stays there.
    fs.mkdirSync(path.join(world.work, 'sub dir'));
    const moved = expectReport(
      JSON.parse(
        (await world.run(['exec', '-s', report.sid, '--cwd', 'sub dir', '--json', '--', 'pwd']))
          .stdout,
      ),
    );
    expect(moved).toMatchObject({
      exitCode: 0,
      cwd: path.join(world.work, 'sub dir'),
      output: `${path.join(world.work, 'sub dir')}\n`,
    });

    // Given a second: the command outlives it, and the next one cannot start within it.
    const withinASecond = (command: string) =>
      reportOf(['exec', '-s', report.sid, '--json', '--timeout', '1s', '--', command]);
    const timedOut = await withinASecond('echo begun; sleep 8');
    expect(timedOut).toMatchObject({
      exitCode: null,
      timedOut: true,
      notStarted: null,
      cwd: null,
      output: 'begun\n',
    });

    // A command behind it that cannot start within its timeout: timed out, and not started.
    const queued = await withinASecond('echo never');
    expect(queued).toMatchObject({ runId: null, exitCode: null, timedOut: true, output: '' });
    expect(queued.notStarted).toContain('still busy with "echo begun; sleep 8"');
  });

  test('--json: output longer than a report holds keeps its last lines under a line that counts what was left out', async () => {
    world = new CliWorld();
    // 14.9 MB: more than the 8 MiB a report keeps, less than twice that.
    const value = await reportOfNewSession('seq 1 2000000');
    const [notice, first, ...rest] = expectReport(value).output.split('\n');
    const left = /^\[(\d+) earlier lines left out; `lifeline replay s_\w+` has them\]$/.exec(
      notice ?? '',
    );
    expect(left).not.toBeNull();
    expect(Number(first)).toBe(Number(left?.[1]) + 1);
    expect(rest.at(-2)).toBe('2000000');
  });

  test("output is exactly what the command printed: a multi-line command's lines, a history line that ends with the command", async () => {
    world = new CliWorld();
    const value = await reportOfNewSession('echo a\necho b');
    expect(expectReport(value)).toMatchObject({ exitCode: 0, output: 'a\nb\n' });
    const sid = value.sid;
    const history = expectReport(
      (await world.json<ExecReport>(['exec', '-s', sid, '--json', '--', 'history 1; echo done']))
        .value,
    );
    expect(history.output).toMatch(/^ *\d+ {2}history 1; echo done\ndone\n$/);
    const alone = expectReport(
      (await world.json<ExecReport>(['exec', '-s', sid, '--json', '--', 'history 1'])).value,
    );
    expect(alone.output).toMatch(/^ *\d+ {2}history 1\n$/);
    // A line far wider than any screen (minified JSON, say) is data: it comes whole.
    const wide = expectReport(
      (
        await world.json<ExecReport>([
          'exec',
          '-s',
          sid,
          '--json',
          '--',
          "head -c 300000 /dev/zero | tr '\\0' z; echo",
        ])
      ).value,
    );
    expect(wide.output).toBe(`${'z'.repeat(300_000)}\n`);
    const replay = await world.run(['replay', sid]);
    expect(replay.stdout).toMatch(
      /^\$ echo a\necho b {2}⚙ run by a program\na\nb\n✓ 0 · .*\n\$ history 1; echo done {2}⚙ run by a program\n *\d+ {2}history 1; echo done\ndone\n✓ 0 · .*\n\$ history 1 {2}⚙ run by a program\n *\d+ {2}history 1\n✓ 0 · /,
    );

    // A prompt slower than the session host waits for: the command is typed ahead of the line
    // editor, echoed by the terminal and again after the prompt; neither echo is output.
    fs.writeFileSync(path.join(world.home, '.bashrc'), "PROMPT_COMMAND='sleep 1'\n");
    const typedAhead = expectReport(
      (await world.json<ExecReport>(['exec', '--new', '--json', '--', 'history 1; echo done']))
        .value,
    );
    expect(typedAhead.output).toMatch(/^ *\d+ {2}history 1; echo done\ndone\n$/);
    const typedAheadReplay = await world.run(['replay', typedAhead.sid]);
    expect(typedAheadReplay.stdout).toMatch(
      /^\$ history 1; echo done {2}⚙ run by a program\n *\d+ {2}history 1; echo done\ndone\n✓ 0 · /,
    );
  });

  test.each(['/bin/bash', '/usr/bin/zsh'])(
    '%s: a command line of 60,000 characters prints its own output, not its echo, and the session goes on',
    async (shell) => {
      world = new CliWorld();
      const env = { SHELL: shell };
      const command = `X=${'v'.repeat(60_000)}; echo "len=\${#X}"`;
      const result = await world.run(
        ['exec', '--new', '--json', '--timeout', '20s', '--', command],
        {
          env,
        },
      );
      const report = expectReport(JSON.parse(result.stdout));
      expect(report).toMatchObject({ exitCode: 0, timedOut: false, output: 'len=60000\n' });
      // The session goes on as before, and its log names the command as it was given.
      const next = await world.run(['exec', '-s', report.sid, '--', 'echo next'], { env });
      expect(next).toMatchObject({ code: 0, stdout: 'next\n' });
      const replay = await world.run(['replay', report.sid], { env });
      expect(replay.stdout).toContain(`$ ${command}  ⚙ run by a program\nlen=60000\n✓ 0 · `);
    },
  );

  test.each(['/bin/bash', '/usr/bin/zsh'])(
    '%s: an incomplete command prints the refusal alone, with no continuation prompt nor empty line before it',
    async (shell) => {
      world = new CliWorld();
      const env = { SHELL: shell };
      const refusal =
        'lifeline: the command is incomplete (an unterminated quote or bracket, a missing keyword, a trailing | or &&, or a here-document) and was not run\n';
      const first = await world.run(['exec', '--new', '--json', '--', 'echo "unterminated'], {
        env,
      });
      const report = expectReport(JSON.parse(first.stdout));
      expect(report).toMatchObject({ exitCode: 2, output: refusal });
      const plain = await world.run(['exec', '-s', report.sid, '--', 'for word in a b'], { env });
      expect(plain).toMatchObject({ code: 2, stdout: refusal });
      const replay = await world.run(['replay', report.sid], { env });
      expect(replay.stdout).toContain(`$ for word in a b  ⚙ run by a program\n${refusal}✗ 2 · `);
    },
  );

  describe.skipIf(fishPath === undefined)('fish', () => {
    const env = { SHELL: fishPath ?? '' };
    /** `lifeline exec --new --json -- command` in fish: its exit code and its report. */
    const inNewSession = async (command: string) => {
      const result = await world.run(['exec', '--new', '--json', '--', command], { env });
      return { code: result.code, report: expectReport(JSON.parse(result.stdout)) };
    };

    test("a line it rejects prints only fish's error, not the line fish drew at its own columns", async () => {
      world = new CliWorld();
      const { code, report } = await inNewSession('(sleep 0.1; echo x) &');
      expect(code).toBe(2);
      expect(report.output).toMatch(/^fish: [^\n]+\n\(sleep 0\.1; echo x\) &\n *\^~+\^\n$/);
      const replay = await world.run(['replay', report.sid], { env });
      expect(replay.stdout).toMatch(
        /\n\$ \(sleep 0\.1; echo x\) & {2}⚙ run by a program\nfish: [^\n]+\n\(sleep 0\.1; echo x\) &\n *\^~+\^\n✗ 2 · /,
      );
    });

    test("its read builtin waiting for a line stops exec with 125, as bash's and zsh's do", async () => {
      world = new CliWorld();
      const { code, report } = await inNewSession('read -P "Name? " name');
      expect(code).toBe(125);
      expect(report).toMatchObject({ waitsForInput: true, exitCode: null });
      expect(report.output).toContain('Name? ');
      const answered = await world.run(['sessions', 'input', report.sid, 'Ada'], { env });
      expect(answered.code).toBe(0);
    });

    test('the exec right after one that exited the shell runs in a new shell', async () => {
      world = new CliWorld();
      const { sid } = (await inNewSession('true')).report;
      for (let round = 0; round < 3; round += 1) {
        expect((await world.run(['exec', '-s', sid, '--', 'exit 3'], { env })).code).toBe(3);
        const next = await world.run(['exec', '-s', sid, '--', 'printf abc'], { env });
        expect(next, next.stderr).toMatchObject({ code: 0, stdout: 'abc\n' });
      }
    });
  });

  test('an exec in a session whose shell ended says it runs in a new shell, without what was set in the last', async () => {
    world = new CliWorld();
    const value = await reportOfNewSession('export FOO=set');
    const sid = value.sid;
    const ended = await world.run(['exec', '-s', sid, '--json', '--', 'exit 4']);
    expect(ended.code).toBe(4);
    expect(ended.stderr).toContain(
      `lifeline: the shell of session ${sid} exited (code 4) during the command; the next command sent to the session (\`lifeline exec -s ${sid} -- …\`) starts a new shell in it`,
    );
    expect(expectReport(JSON.parse(ended.stdout))).toMatchObject({
      exitCode: 4,
      shellExited: true,
      cwd: null,
    });
    await vi.waitFor(
      async () => {
        const listed = await world.json<{ sessions: { sid: string; status: string }[] }>([
          'sessions',
          '--json',
        ]);
        expect(listed.value.sessions.find((session) => session.sid === sid)?.status).toBe('ended');
      },
      { timeout: 15_000 },
    );
    expect(expectReport(JSON.parse(ended.stdout)).newShell).toBe(false);
    const next = await world.run(['exec', '-s', sid, '--json', '--', 'echo "[$FOO]"']);
    expect(next.code).toBe(0);
    // A program reading the report alone knows what was set is gone.
    expect(expectReport(JSON.parse(next.stdout))).toMatchObject({ output: '[]\n', newShell: true });
    expect(next.stderr).toContain(`running in session ${sid}`);
    expect(next.stderr).toContain("in a new shell: the session's last one had ended");
    // Its shell lives now: the next exec says nothing of a new one.
    const again = await world.run(['exec', '-s', sid, '--jsonl', '--', 'true']);
    expect(again.stderr).not.toContain('new shell');
    expect(JSON.parse(again.stdout.split('\n')[0] ?? '')).toMatchObject({
      type: 'start',
      newShell: false,
    });
  });

  test('a session that ended in a directory since removed runs nothing without --cwd: its new shell would start in the home directory', async () => {
    world = new CliWorld();
    const doomed = path.join(world.work, 'build');
    fs.mkdirSync(doomed);
    fs.writeFileSync(path.join(world.work, 'keep.txt'), '');
    const { value } = await world.json<ExecReport>([
      'exec',
      '--new',
      '--cwd',
      doomed,
      '--json',
      '--',
      'true',
    ]);
    expect((await world.run(['sessions', 'kill', value.sid])).code).toBe(0);
    fs.rmdirSync(doomed);
    const refused = await world.run(['exec', '-s', value.sid, '--', 'touch', 'ran-here']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `session ${value.sid} has ended, and its directory ${doomed} no longer exists: its new shell would start in your home directory instead, so the command was not run; --cwd <dir> runs it in a directory you name`,
    );
    expect(fs.readdirSync(world.home)).not.toContain('ran-here');
    // Named, the directory is where it runs.
    const moved = await world.run(['exec', '-s', value.sid, '--cwd', world.work, '--', 'ls']);
    expect(moved).toMatchObject({ code: 0, stdout: 'keep.txt\n' });
    expect(moved.stderr).toContain(`(in ${doomed}), which changes to ${world.work} first`);
  });

  test("called with TERM=dumb (an editor, CI), the output is the command's alone: the session's shell has a terminal that moves its cursor", async () => {
    world = new CliWorld();
    const dumb = { env: { TERM: 'dumb' } };
    const first = await world.run(['exec', '--new', '--json', '--', 'echo hi'], dumb);
    const report = expectReport(JSON.parse(first.stdout));
    expect(report).toMatchObject({ exitCode: 0, output: 'hi\n' });
    const again = await world.run(['exec', '-s', report.sid, '--', 'echo again; echo $TERM'], dumb);
    expect(again).toMatchObject({ code: 0, stdout: 'again\nxterm-256color\n' });
  });

  test('two execs on one session at once are serialised: each prints only its own output', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    const loop = (tag: string) => `for i in 1 2 3 4 5; do echo ${tag}$i; sleep 0.05; done`;
    const [a, b] = await Promise.all([
      world.run(['exec', '-s', value.sid, '--', loop('A')]),
      world.run(['exec', '-s', value.sid, '--', loop('B')]),
    ]);
    expect(a).toMatchObject({ code: 0, stdout: 'A1\nA2\nA3\nA4\nA5\n' });
    expect(b).toMatchObject({ code: 0, stdout: 'B1\nB2\nB3\nB4\nB5\n' });
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    'an exec stopped by %s while its command waits for a busy session withdraws it: it never runs, exit %i',
    async (signal, code) => {
      world = new CliWorld();
      const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
      const busy = world.spawn(['exec', '-s', value.sid, '--', 'echo busy; sleep 60']);
      await busy.waitFor(/busy\n/);
      // The session's record says what runs there (the queued exec reads it to say it waits).
      await vi.waitFor(
        async () => {
          expect((await world.run(['sessions', '--json'])).stdout).toContain('"running":');
        },
        { timeout: 15_000 },
      );
      const marker = path.join(world.work, 'withdrawn-ran');
      const queued = world.spawn(['exec', '-s', value.sid, '--', `touch ${marker}`]);
      await queued.waitFor(/is running there: the command starts once it ends/, 'stderr');
      process.kill(queued.pid, signal);
      const stopped = await queued.result;
      expect(stopped.code).toBe(code);
      expect(stopped.stderr).toContain(
        `lifeline: stopped by ${signal} while the command waited for session ${value.sid} to be free: it was withdrawn and will not run`,
      );
      // Once the command ahead of it ends, the session goes on to the next command; the withdrawn
      // one never ran, nor shows in the log.
      expect(await world.run(['sessions', 'interrupt', value.sid])).toMatchObject({ code: 0 });
      expect(await busy.result).toMatchObject({ code: 130 });
      expect(await world.run(['exec', '-s', value.sid, '--', 'echo next'])).toMatchObject({
        code: 0,
        stdout: 'next\n',
      });
      expect(fs.existsSync(marker)).toBe(false);
      expect((await world.run(['replay', value.sid])).stdout).not.toContain('withdrawn-ran');
    },
  );

  test('a session that exists is reached without a gateway: exec starts no process of its own, and SIGKILL of exec loses nothing', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    // The gateway of the exec that began the session ends with it.
    await vi.waitFor(
      () => {
        expect(world.gatewayPids()).toEqual([]);
      },
      { timeout: 15_000 },
    );
    const exec = world.spawn(['exec', '-s', value.sid, '--', 'echo started; sleep 1; echo done']);
    await exec.waitFor(/started\n/);
    expect(exec.descendants()).toEqual([]);
    expect(world.gatewayPids()).toEqual([]);
    expect(await exec.result).toMatchObject({ code: 0, stdout: 'started\ndone\n' });

    // Ctrl+C on exec interrupts the command in the session, reached the same way.
    const interrupted = world.spawn(['exec', '-s', value.sid, '--', 'echo started; sleep 30']);
    await interrupted.waitFor(/started\n/);
    process.kill(interrupted.pid, 'SIGINT');
    expect((await interrupted.result).code).toBe(130);
    expect(interrupted.stderr).toMatch(/\nlifeline: interrupting the command/);

    // Killed mid-run, exec takes nothing with it: the command finishes in the session, recorded.
    // (`first` comes out once the program has gone past it, up to a second after it printed it.)
    const killed = world.spawn(['exec', '-s', value.sid, '--', 'echo first; sleep 3; echo second']);
    await killed.waitFor(/first\n/);
    process.kill(killed.pid, 'SIGKILL');
    await killed.result;
    const after = await world.run(['exec', '-s', value.sid, '--', 'echo next']);
    expect(after).toMatchObject({ code: 0, stdout: 'next\n' });
    const replay = await world.run(['replay', value.sid]);
    expect(replay.stdout).toMatch(/first\nsecond\n[^]*echo next {2}⚙ run by a program\nnext\n/);
  });

  test('a damaged cache of its compiled code: exec runs as usual and keeps a good one again', async () => {
    // No cache is kept for a bundle built a moment ago: this one has settled first.
    const bundle = path.resolve(import.meta.dirname, '../../dist/exec.cjs');
    await vi.waitFor(
      () => {
        expect(Date.now() - fs.statSync(bundle).ctimeMs).toBeGreaterThanOrEqual(SETTLED_MS);
      },
      { timeout: SETTLED_MS + 10_000, interval: 100 },
    );
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    const cacheFile = path.join(world.stateDir, 'cache', 'exec.cjs.v8-code-cache');
    // Node 22.1 and later keep the compiled code themselves; before, exec keeps it here.
    const keptHere = fs.existsSync(cacheFile);
    expect(keptHere).toBe(
      typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function',
    );
    // Cut short, as a full disk or a crash mid-write would leave it: V8 refuses what is left.
    const damagedCache = keptHere ? fs.readFileSync(cacheFile).subarray(0, 4096) : undefined;
    if (damagedCache) fs.writeFileSync(cacheFile, damagedCache);
    const damaged = await world.run(['exec', '-s', value.sid, '--', 'echo from a damaged cache']);
    expect(damaged).toMatchObject({ code: 0, stdout: 'from a damaged cache\n' });
    expect(damaged.stderr).not.toMatch(/unexpected/);
    // The exec that found it damaged put a whole one in its place, which the next one starts from.
    if (damagedCache)
      expect(fs.readFileSync(cacheFile).length).toBeGreaterThan(damagedCache.length * 8);
    const again = await world.run(['exec', '-s', value.sid, '--', 'echo from a good one']);
    expect(again).toMatchObject({ code: 0, stdout: 'from a good one\n' });
  });

  test('its gateway killed mid-run: exec starts another and prints every line exactly once', async () => {
    world = new CliWorld();
    const exec = world.spawn([
      'exec',
      '--new',
      '--',
      'for i in $(seq 1 40); do echo row $i; sleep 0.05; done',
    ]);
    await exec.waitFor(/row 5\n/);
    const [gateway] = exec.descendants();
    expect(gateway).toBeDefined();
    process.kill(gateway ?? 0, 'SIGKILL');
    const result = await exec.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      Array.from({ length: 40 }, (_, index) => `row ${index + 1}\n`).join(''),
    );
    // The gateway exec started instead ends with it.
    await vi.waitFor(
      () => {
        expect(world.gatewayPids()).toEqual([]);
      },
      { timeout: 15_000 },
    );
  });

  test('its gateway killed, and the log damaged past what it printed: exec prints what it can, says where the damage is, exits 1', async () => {
    world = new CliWorld();
    // After `second`, more than a megabyte of output: the log's index gets an entry past its record.
    // `second` comes well after exec prints `first` (once the program has gone past it) and stops.
    const exec = world.spawn([
      'exec',
      '--new',
      '--',
      "echo first; sleep 3; echo second; head -c 1200000 /dev/zero | tr '\\0' x; echo; sleep 30",
    ]);
    await exec.waitFor(/first\n/);
    const [gateway] = exec.descendants();
    if (gateway === undefined) throw new Error('exec started no gateway');
    // exec sleeps while its gateway dies and the session goes on, so it reconnects only afterwards.
    process.kill(exec.pid, 'SIGSTOP');
    process.kill(gateway, 'SIGKILL');
    const sid = fs.readdirSync(path.join(world.stateDir, 'sessions'))[0] ?? '';
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    // Indexed past the flood: the index has an entry after the one at seq 0.
    const index = path.join(world.stateDir, 'sessions', sid, 'events.idx');
    await vi.waitFor(
      () => expect(fs.readFileSync(index, 'utf8').trim().split('\n').length).toBeGreaterThan(1),
      { timeout: 15_000 },
    );
    const seq = damageRecord(segment, 'second');
    process.kill(exec.pid, 'SIGCONT');
    const result = await exec.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('first\n');
    expect(result.stderr).toContain(`event log damaged at seq ${seq} in ${segment}`);
  });

  test('usage mistakes and unknown sessions: one line on stderr and the documented exit code', async () => {
    world = new CliWorld();
    const cases: [string[], number, RegExp][] = [
      [
        ['exec', '--bogus', '--', 'true'],
        2,
        /^lifeline: unknown option '--bogus'; `lifeline exec --help` lists the options\n$/,
      ],
      [
        ['exec', '--reuse', 'bad', '--', 'true'],
        2,
        /^lifeline: option '--reuse <which>' argument 'bad' is invalid: allowed choices are cwd, any; `lifeline exec --help` lists the options\n$/,
      ],
      [
        ['exec', '--timout', '5s', '--', 'true'],
        2,
        /^lifeline: unknown option '--timout' \(did you mean --timeout\?\); `lifeline exec --help` lists the options\n$/,
      ],
      [
        ['exec'],
        2,
        /^lifeline: missing required argument 'command'; `lifeline exec --help` lists the options\n$/,
      ],
      [
        ['exec', '--timeout', '10', '--', 'true'],
        2,
        /^lifeline: --timeout takes a duration such as 500ms, 30s, 5m or 2h, not "10"\n$/,
      ],
      [
        ['exec', '-s', 'nope', '--', 'true'],
        3,
        /^lifeline: no session is named "nope" in .*`lifeline sessions` lists them\n$/,
      ],
      [
        ['exec', '-s', 's_00000000000000000000000000', '--new', '--', 'true'],
        2,
        /cannot be used with option '--new'/,
      ],
      [
        ['exec', '--', `echo ${'x'.repeat(70_000)}`],
        2,
        /^lifeline: the command is 70005 bytes, over the 65536 a session takes: put it in a script and run the script\n$/,
      ],
      [
        ['exec', '--cwd', 'missing-dir', '--', 'true'],
        2,
        /^lifeline: --cwd \S+missing-dir does not exist \(ENOENT\); give a directory that does\n$/,
      ],
      [
        ['exec', '-s', 'nope', '--reuse', 'any', '--', 'true'],
        2,
        /^lifeline: --reuse chooses among live sessions when neither -s nor --new is given; drop it, or drop -s\n$/,
      ],
      [
        ['exec', '--cwd', '', '--', 'true'],
        2,
        /^lifeline: --cwd is empty: give a directory \(`--cwd \.` is the current one\)\n$/,
      ],
      [
        ['exec', '-s', 's_00000000000000000000000000', '--', 'true'],
        3,
        /^lifeline: no session s_00000000000000000000000000 in .*; `lifeline sessions` lists them\n$/,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => world.run(args)));
    results.forEach((result, index) => {
      const [args, code, message] = cases[index] ?? [[], 0, /$^/];
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({
        args,
        code,
        stdout: '',
      });
      expect(result.stderr).toMatch(message);
    });
  });
});
