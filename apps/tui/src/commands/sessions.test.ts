// `lifeline sessions`, `sessions input`, `sessions kill` and `sessions prune` against real gateways and hosts.
import fs from 'node:fs';
import path from 'node:path';
import type { SessionSummary } from '@lifeline/protocol';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';
import type { ExecReport } from './exec.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

describe('lifeline sessions', () => {
  test('lists, kills and prunes sessions; exit codes for unknown sessions and bad options', async () => {
    world = new CliWorld();
    const empty = await world.run(['sessions']);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toMatch(/no sessions yet/);

    const [first, second] = await Promise.all([
      world.json<ExecReport>(['exec', '--new', '--json', '--', 'echo one']),
      world.json<ExecReport>(['exec', '--new', '--json', '--', 'echo two | tr a-z A-Z']),
    ]);
    const table = await world.run(['sessions']);
    expect(table.code).toBe(0);
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^STATUS +SID +NAME +CWD +LAST COMMAND +AGE$/);
    const row = (sid: string) => rows.find((line) => line.includes(sid));
    expect(rows).toHaveLength(3);
    expect(row(first.value.sid)).toMatch(
      new RegExp(`^live +${first.value.sid} +work(-2)? +${world.work} +echo one +\\d+s ago$`),
    );
    expect(row(second.value.sid)).toMatch(
      new RegExp(
        `^live +${second.value.sid} +work(-2)? +${world.work} +echo two \\| tr a-z A-Z +\\d+s ago$`,
      ),
    );

    // Started at the same moment in one directory, they are still told apart by name.
    expect(rows.filter((line) => / work-2 /.test(line))).toHaveLength(1);
    // What an agent tries first lists them too.
    const ageless = (text: string) => text.replace(/\d+s ago/g, 'a moment ago');
    for (const spelling of ['list', 'ls']) {
      const listed = await world.run(['sessions', spelling]);
      expect(listed.code).toBe(0);
      expect(ageless(listed.stdout)).toBe(ageless(table.stdout));
    }

    const killed = await world.run(['sessions', 'kill', first.value.sid]);
    expect(killed).toMatchObject({ code: 0, stdout: `${first.value.sid} ended\n` });
    const { value } = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
    expect(value.sessions.map((session) => [session.sid, session.status]).sort()).toEqual(
      [
        [first.value.sid, 'ended'],
        [second.value.sid, 'live'],
      ].sort(),
    );
    await vi.waitFor(
      () => {
        expect(world.hostPids()).toHaveLength(1);
      },
      { timeout: 15_000 },
    );
    const again = await world.run(['sessions', 'kill', first.value.sid, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ sid: first.value.sid, alreadyEnded: true });
    // Ended, it is still there: nothing runs in it, as in a live one at its prompt (2, not 3).
    const endedRefusals = await Promise.all([
      world.run(['sessions', 'interrupt', first.value.sid]),
      world.run(['sessions', 'input', first.value.sid, 'y']),
    ]);
    expect(endedRefusals.map((result) => [result.code, result.stderr])).toEqual([
      [2, `lifeline: session ${first.value.sid} has ended: nothing runs in it to interrupt\n`],
      [2, `lifeline: session ${first.value.sid} has ended: nothing runs in it to type into\n`],
    ]);

    const kept = await world.run(['sessions', 'prune', '--older-than', '7d']);
    expect(kept).toMatchObject({ code: 0, stdout: '' });
    expect(kept.stderr).toMatch(/no ended session was inactive for more than 7d/);
    const pruned = await world.run(['sessions', 'prune', '--older-than', '0s']);
    expect(pruned).toMatchObject({ code: 0, stdout: `${first.value.sid}\n` });
    const after = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
    expect(after.value.sessions.map((session) => session.sid)).toEqual([second.value.sid]);

    const failures = await Promise.all([
      world.run(['sessions', 'kill', first.value.sid]),
      world.run(['sessions', 'kill', 'not-a-sid']),
      world.run(['sessions', 'prune']),
      world.run(['sessions', 'prune', '--older-than', 'a week']),
      world.run(['sessions', 'bogus']),
    ]);
    expect(failures.map((result) => result.code)).toEqual([3, 3, 2, 2, 2]);
    expect(failures.map((result) => result.stderr.split('\n').length)).toEqual([2, 2, 2, 2, 2]);
    expect(failures[0].stderr).toMatch(/no session s_\w+ in \S+; `lifeline sessions` lists them/);
    expect(failures[1].stderr).toMatch(/no session is named "not-a-sid" in \S+ \(ids are s_/);
    expect(failures[2].stderr).toMatch(
      /required option '--older-than <duration>' not specified; `lifeline sessions prune --help`/,
    );
    expect(failures[4].stderr).toBe(
      'lifeline: lifeline sessions has no command "bogus": its commands are list, input, wait, interrupt, kill, rename, prune; `lifeline sessions --help` lists the options\n',
    );
  });

  test('exec stops as soon as its command waits for someone to type (125); input answers it and follows it like exec', async () => {
    world = new CliWorld();
    const script = `read -p 'name? ' name; read -p 'age? ' age; echo "hello $name, $age"`;
    const asked = await world.run(['exec', '--new', '--json', '--', script]);
    expect(asked.code).toBe(125);
    const first = JSON.parse(asked.stdout) as ExecReport;
    expect(first).toMatchObject({
      exitCode: null,
      timedOut: false,
      waitsForInput: true,
      output: 'name? \n',
    });
    const sid = first.sid;
    expect(asked.stderr).toContain(
      `is waiting for someone to type: it keeps going in session ${sid}`,
    );
    expect(asked.stderr).toContain(
      `\`lifeline sessions input ${sid} <text>\` types a line into it`,
    );

    // Meanwhile an exec that names no session runs elsewhere rather than queue behind the question.
    const elsewhere = await world.run(['exec', '--json', '--', 'echo elsewhere']);
    expect(elsewhere.code).toBe(0);
    const other = JSON.parse(elsewhere.stdout) as ExecReport;
    expect(other).toMatchObject({ exitCode: 0, output: 'elsewhere\n' });
    expect(other.sid).not.toBe(sid);
    expect(elsewhere.stderr).toBe(
      `lifeline: session ${sid} is waiting for someone to type in "${script}": running in a new session ${other.sid} (\`lifeline sessions input <sid> <text>\` types into one that waits)\n`,
    );
    // Listed as waiting for someone to type; the other one as live.
    const table = (await world.run(['sessions'])).stdout;
    expect(table).toMatch(new RegExp(`^waiting +${sid} `, 'm'));
    expect(table).toMatch(new RegExp(`^live +${other.sid} `, 'm'));

    // The answer's echo is left out; the next question stops it again.
    const second = await world.run(['sessions', 'input', sid, 'Ada']);
    expect(second).toMatchObject({ code: 125, stdout: 'age? \n' });
    // Waiting for it from elsewhere: its output from its start, the answer as the terminal showed
    // it, and 125 for the question it waits at now (not for the one answered).
    expect(await world.run(['sessions', 'wait', sid])).toMatchObject({
      code: 125,
      stdout: 'name? Ada\nage? \n',
    });
    // Busy, and the most recently active again: it is passed over for the idle one.
    const again = await world.run(['exec', '--json', '--', 'echo again']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      sid: other.sid,
      exitCode: 0,
      output: 'again\n',
    });
    expect(again.stderr).toBe(
      `lifeline: session ${sid} is waiting for someone to type in "${script}": running in session ${other.sid} "work-2" (in ${other.cwd ?? ''})\n`,
    );
    const done = await world.run(['sessions', 'input', '--json', sid, '36']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      sid,
      runId: first.runId,
      exitCode: 0,
      waitsForInput: false,
      output: 'hello Ada, 36\n',
    });
    // Ended, it is read from the log; with no run going on, wait needs its id.
    const { value: waited } = await world.json<ExecReport>([
      'sessions',
      'wait',
      sid,
      '--run',
      first.runId ?? '',
      '--json',
    ]);
    expect(waited).toMatchObject({
      exitCode: 0,
      waitsForInput: false,
      output: 'name? Ada\nage? 36\nhello Ada, 36\n',
    });
    // With no run going on, wait gives the last one.
    expect(await world.run(['sessions', 'wait', sid])).toMatchObject({
      code: 0,
      stdout: 'name? Ada\nage? 36\nhello Ada, 36\n',
    });
    expect(await world.run(['sessions', 'wait', sid, '--run', 'run-nope'])).toMatchObject({
      code: 3,
      stderr: `lifeline: session ${sid} has no run run-nope: give the id exec named (its --json \`runId\`, or its message on stderr)\n`,
    });
    const events = fs
      .readFileSync(path.join(world.stateDir, 'sessions', sid, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"type":"input_wait"'));
    expect(events).toHaveLength(2);

    // With no command running, nothing is typed: the shell would take the text for a command line.
    const [idle, nothing] = await Promise.all([
      world.run(['sessions', 'input', sid, 'touch typed-at-the-prompt']),
      world.run(['sessions', 'input', '--no-enter', sid]),
    ]);
    expect(nothing).toMatchObject({
      code: 2,
      stderr: 'lifeline: nothing to type: give the text, or leave out --no-enter to press Enter\n',
    });
    expect(idle).toMatchObject({ code: 2, stdout: '' });
    expect(idle.stderr).toMatch(
      /^lifeline: no command runs in session s_\w+, so nothing was typed; `lifeline exec -s s_\w+ -- <command>` runs one\n$/,
    );
    // A command that only sleeps is not one that waits; and it runs after anything typed before it.
    const after = await world.json<ExecReport>([
      'exec',
      '-s',
      sid,
      '--json',
      '--',
      'sleep 2; test -e typed-at-the-prompt && echo typed || echo untyped',
    ]);
    expect(after.value).toMatchObject({ exitCode: 0, waitsForInput: false, output: 'untyped\n' });

    // An ended session's run is read from its log: the session stays ended, no shell starts in it.
    expect((await world.run(['sessions', 'kill', sid])).code).toBe(0);
    expect(await world.run(['sessions', 'wait', sid, '--run', first.runId ?? ''])).toMatchObject({
      code: 0,
      stdout: 'name? Ada\nage? 36\nhello Ada, 36\n',
    });
    const { value: listed } = await world.json<{ sessions: SessionSummary[] }>([
      'sessions',
      '--json',
    ]);
    expect(listed.sessions.find((session) => session.sid === sid)).toMatchObject({
      status: 'ended',
    });
  });

  test('input reaches a live session without a gateway: it starts no process of its own', async () => {
    world = new CliWorld();
    const asked = await world.run([
      'exec',
      '--new',
      '--json',
      '--',
      'read -p "name? " name; echo "hello $name"; sleep 1; echo done',
    ]);
    expect(asked.code).toBe(125);
    const { sid } = JSON.parse(asked.stdout) as ExecReport;
    // The gateway of the exec that began the session ends with it.
    await vi.waitFor(
      () => {
        expect(world.gatewayPids()).toEqual([]);
      },
      { timeout: 15_000 },
    );
    const input = world.spawn(['sessions', 'input', sid, 'Ada']);
    await input.waitFor(/hello Ada\n/);
    expect(input.descendants()).toEqual([]);
    expect(world.gatewayPids()).toEqual([]);
    expect(await input.result).toMatchObject({ code: 0, stdout: 'hello Ada\ndone\n' });
  });

  test('input --stdin types a password from stdin, never on a command line, and the log keeps it masked', async () => {
    world = new CliWorld();
    const asked = await world.run([
      'exec',
      '--new',
      '--json',
      '--',
      `read -rs -p 'password? ' pw; echo; echo "got \${#pw} characters"`,
    ]);
    expect(asked.code).toBe(125);
    const { sid } = JSON.parse(asked.stdout) as ExecReport;
    const mixed = await world.run(['sessions', 'input', '--stdin', sid, 'extra'], {
      input: 'hunter2\n',
    });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(
      /--stdin types what stdin holds: give no text after the session id as well/,
    );
    const answered = await world.run(['sessions', 'input', '--stdin', sid], { input: 'hunter2\n' });
    expect(answered).toMatchObject({ code: 0, stdout: '\ngot 7 characters\n' });
    const log = fs.readFileSync(path.join(world.stateDir, 'sessions', sid, 'events.jsonl'), 'utf8');
    expect(log).not.toContain('hunter2');
    expect(log).toContain('"data":"***\\r","masked":true');
    const empty = await world.run(['sessions', 'input', '--stdin', sid], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/stdin held nothing to type/);
  });

  test('interrupt presses Ctrl+C in a command exec stopped waiting for, so the next exec runs; bad ids and signals are named', async () => {
    world = new CliWorld();
    const reading = await world.run(['exec', '--new', '--json', '--timeout', '300ms', '--', 'cat']);
    expect(reading.code).toBe(124);
    const { sid } = JSON.parse(reading.stdout) as ExecReport;
    expect(reading.stderr).toContain(`\`lifeline sessions interrupt ${sid}\` presses Ctrl+C in it`);
    const busy = await world.run(['exec', '-s', sid, '--timeout', '300ms', '--', 'echo queued']);
    expect(busy.code).toBe(124);
    expect(busy.stderr).toMatch(/still busy with "cat"/);
    expect(busy.stderr).toContain(
      `(session ${sid}; \`lifeline sessions input ${sid} <text>\` types into a command that waits for it, \`lifeline sessions interrupt ${sid}\` presses Ctrl+C in it)`,
    );
    // Listed with what keeps it busy: `cat`, which, once it has read nothing for a second, is
    // waiting for someone to type (how soon depends on the machine's load: wait for that state).
    const listed = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
    expect(listed.value.sessions).toHaveLength(1);
    expect(listed.value.sessions[0]).toMatchObject({
      sid,
      status: 'live',
      completionMode: 'prompt-hook',
      running: { command: 'cat' },
    });
    await vi.waitFor(
      async () =>
        expect((await world.run(['sessions'])).stdout).toMatch(
          new RegExp(`^waiting +${sid} +\\S+ +\\S+ +cat `, 'm'),
        ),
      { timeout: 15_000, interval: 200 },
    );

    const interrupted = await world.run(['sessions', 'interrupt', sid]);
    expect(interrupted).toMatchObject({ code: 0, stdout: `${sid}: sent Ctrl+C\n` });
    // Once the command has ended, no longer busy.
    await vi.waitFor(
      async () => {
        const idle = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
        expect(idle.value.sessions[0]).toMatchObject({ sid, status: 'live', lastCommand: 'cat' });
        expect(idle.value.sessions[0]).not.toHaveProperty('running');
      },
      { timeout: 10_000, interval: 100 },
    );
    const next = await world.json<ExecReport>(['exec', '-s', sid, '--json', '--', 'echo next-ran']);
    expect(next.value).toMatchObject({ sid, exitCode: 0, output: 'next-ran\n' });
    const replay = await world.run(['replay', sid]);
    expect(replay.stdout).toMatch(/\$ cat {2}⚙ run by a program\n(.*\n)*✗ 130 SIGINT · /);

    // Nothing runs: Ctrl+C would clear what someone types at the prompt, so it is not pressed.
    const lastSeq = async () =>
      (await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json'])).value.sessions[0]
        ?.lastSeq;
    const seqBefore = await lastSeq();
    const atPrompt = await world.run(['sessions', 'interrupt', sid]);
    expect(atPrompt.code).toBe(2);
    expect(atPrompt.stderr).toContain(
      `no command runs in session ${sid}: Ctrl+C would go to the shell's prompt and clear what someone is typing there, so nothing was sent; --at-prompt sends it anyway`,
    );
    expect(await lastSeq()).toBe(seqBefore);
    // Nor is a signal sent to the shell itself: KILL would end it, and what was set in it.
    const shellPid = async () =>
      (await world.json<ExecReport>(['exec', '-s', sid, '--json', '--', 'echo $$'])).value.output;
    const pidBefore = await shellPid();
    const killed = await world.run(['sessions', 'interrupt', sid, '--signal', 'KILL']);
    expect(killed.code).toBe(2);
    expect(killed.stderr).toContain(
      `no command runs in session ${sid}: SIGKILL would go to its shell itself, which it ends unless the shell ignores it (its variables and functions lost), so nothing was sent; --at-prompt sends it anyway`,
    );
    expect(await shellPid()).toBe(pidBefore);
    const pressed = await world.run(['sessions', 'interrupt', sid, '--at-prompt', '--json']);
    expect(pressed.code).toBe(0);
    expect(JSON.parse(pressed.stdout)).toEqual({ sid, signal: 'SIGINT', key: 'Ctrl+C' });
    await vi.waitFor(async () => expect(await lastSeq()).toBeGreaterThan(seqBefore ?? 0), {
      timeout: 10_000,
      interval: 100,
    });

    const failures = await Promise.all([
      world.run(['sessions', 'interrupt', sid, '--signal', 'BOGUS']),
      world.run(['sessions', 'interrupt', 's_01hzy3k7m2q9v8c4x6t1b5n0rd']),
      world.run(['sessions', 'interrupt', 'not-a-sid']),
    ]);
    expect(failures.map((result) => result.code)).toEqual([2, 3, 3]);
    expect(failures[0].stderr).toMatch(
      /--signal "BOGUS" is not a signal lifeline can send; use one of INT, QUIT, TSTP/,
    );
    expect(failures[1].stderr).toMatch(
      /no session s_01hzy3k7m2q9v8c4x6t1b5n0rd in \S+; `lifeline sessions` lists them/,
    );
    expect(failures[2].stderr).toMatch(
      /no session is named "not-a-sid" in \S+ \(ids are s_ and 26 lowercase letters and digits\); `lifeline sessions` lists them/,
    );
  });

  test('a command stopped with --signal TSTP: exec exits 148, says it is paused and how to resume it, and fg does', async () => {
    world = new CliWorld();
    const stopped = world.spawn([
      'exec',
      '--new',
      '--jsonl',
      '--',
      // Long enough to be still running when the signal comes on a loaded machine; `fg` waits
      // for what is left of it.
      "sh -c 'echo started; sleep 6; echo resumed'",
    ]);
    const [, sid = ''] = await stopped.waitFor(/"sid":"(s_\w+)"[^\n]*\n(.*\n)*.*started/);
    expect(await world.run(['sessions', 'interrupt', sid, '--signal', 'TSTP'])).toMatchObject({
      code: 0,
    });
    const result = await stopped.result;
    expect(result.code).toBe(148);
    const complete = JSON.parse(result.stdout.trimEnd().split('\n').at(-1) ?? '') as ExecReport;
    expect(complete).toMatchObject({ exitCode: 148, stoppedBy: 'SIGTSTP', shellExited: false });
    expect(result.stderr).toContain(
      `was stopped by SIGTSTP: it is paused as a job of the shell of session ${sid}; \`lifeline exec -s ${sid} -- fg\` resumes it`,
    );
    // What the message offers works: the job goes on to its end.
    const resumed = await world.run(['exec', '-s', sid, '--json', '--', 'fg']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      exitCode: 0,
      stoppedBy: null,
      output: expect.stringMatching(/resumed\n$/) as unknown,
    });
  });
});
