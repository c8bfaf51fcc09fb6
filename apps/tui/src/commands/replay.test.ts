// `lifeline replay`: the transcript of a session from its log, and its asciicast v2 export.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { spawnGatewayLink } from '../connection/gateway-link.js';
import { validateAsciicast } from '../test-utils/asciicast-validator.js';
import { CliWorld } from '../test-utils/cli-harness.js';
import { damageRecord } from '../test-utils/damage-record.js';
import { keys } from '../test-utils/tui-harness.js';
import type { ExecReport } from './exec.js';

let world: CliWorld;
/** Starts a session with `exec --new`, running `command`; its report. */
const startSession = (command: string) =>
  world.json<ExecReport>(['exec', '--new', '--json', '--', command]);
afterEach(async () => {
  await world.dispose();
});

describe('lifeline replay', () => {
  test('what a background job printed between runs is in the replay, once, where it came', async () => {
    world = new CliWorld();
    const { value } = await startSession('(sleep 0.5; echo bg-two; echo bg-three) &');
    const log = path.join(world.stateDir, 'sessions', value.sid, 'events.jsonl');
    // Printed while the shell waits at its prompt, between runs.
    await vi.waitFor(
      () => {
        expect(fs.readFileSync(log, 'utf8')).toMatch(/"type":"output","data":"bg-two\\r\\n/);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect((await world.run(['exec', '-s', value.sid, '--', 'echo next-one'])).code).toBe(0);
    const transcript = (await world.run(['replay', value.sid])).stdout.split('\n');
    const next = transcript.indexOf('$ echo next-one  ⚙ run by a program');
    expect(next).toBeGreaterThan(0);
    expect(transcript.slice(0, next)).toEqual(expect.arrayContaining(['bg-two', 'bg-three']));
    expect(transcript.filter((line) => line === 'bg-two')).toHaveLength(1);
  });

  test('a shell that greets and draws a prompt of several lines in two pieces: the greeting stays, no line of a prompt is shown', async () => {
    world = new CliWorld();
    const bashrc = [
      'echo "Welcome aboard"',
      // The prompt's upper lines come from PROMPT_COMMAND, its last line a moment later from PS1.
      `PROMPT_COMMAND='printf "\\n%s on main\\n" "\${PWD##*/}"; sleep 0.2'`,
      "PS1='❯ '",
    ];
    fs.writeFileSync(path.join(world.home, '.bashrc'), `${bashrc.join('\n')}\n`);
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'echo hi']);
    expect(value).toMatchObject({ exitCode: 0, output: 'hi\n' });
    expect((await world.run(['exec', '-s', value.sid, '--', 'true'])).code).toBe(0);
    // A line typed at the prompt as a person types it, key by key, each echoed by the shell.
    const log = path.join(world.stateDir, 'sessions', value.sid, 'events.jsonl');
    // bash's marks of where its prompt begins and ends are not what is looked for.
    const records = () =>
      fs
        .readFileSync(log, 'utf8')
        .trimEnd()
        .split('\n')
        .filter((record) => !record.includes('"type":"prompt_'));
    const link = spawnGatewayLink({
      env: world.env(),
      cwd: world.work,
      breadcrumb: () => undefined,
    });
    await link.ready;
    for (const [typed, shown] of [
      ['', (last: string) => last.includes('❯ ')],
      ['echo typ', (last: string) => last.includes('echo typ')],
      ['ed\r', (last: string) => last.includes('"run_complete"') || last.includes('on main')],
    ] as const) {
      if (typed !== '') await link.client.call('session.input', { sid: value.sid, data: typed });
      await vi.waitFor(
        () => {
          expect(shown(records().at(-1) ?? '')).toBe(true);
        },
        { timeout: 20_000, interval: 50 },
      );
    }
    link.close();
    await link.closed;
    const transcript = await world.run(['replay', value.sid]);
    expect(transcript.stdout).toMatch(
      /^Welcome aboard\n\$ echo hi {2}⚙ run by a program\nhi\n✓ 0 · \S+\n\$ true {2}⚙ run by a program\n✓ 0 · \S+\n\$ echo typed\ntyped\n✓ 0 · \S+\n$/,
    );
  });

  test('a command still running: what it printed so far is shown, then that it still runs', async () => {
    world = new CliWorld();
    const { value } = await startSession('true');
    // Goes on after exec's timeout: two lines now, the third once the file is there.
    const go = path.join(world.work, 'go');
    const started = await world.run([
      'exec',
      '-s',
      value.sid,
      '--timeout',
      '1s',
      '--',
      `echo line-1; echo line-2; while [ ! -e ${go} ]; do sleep 0.05; done; echo line-3`,
    ]);
    expect(started.code).toBe(124);
    const transcript = (await world.run(['replay', value.sid])).stdout.split('\n');
    const header = transcript.findIndex((line) => line.includes('echo line-1'));
    expect(transcript.slice(header + 1, header + 4)).toEqual([
      'line-1',
      'line-2',
      expect.stringMatching(/^… still running \(run \S+\)$/),
    ]);
    fs.writeFileSync(go, '');
  });

  test('a run that clears the screen and fails is shown under its command once, the clear marked', async () => {
    world = new CliWorld();
    const { value } = await startSession('echo before');
    expect((await world.run(['exec', '-s', value.sid, '--', 'clear; false'])).code).toBe(1);
    const transcript = await world.run(['replay', value.sid]);
    expect(transcript.stdout).toMatch(
      /^\$ echo before {2}⚙ run by a program\nbefore\n✓ 0 · \S+\n\$ clear; false {2}⚙ run by a program\n── cleared: the screen[^\n]*──\n✗ 1 · \S+\n$/,
    );
  });

  test('what `clear` erased with the scrollback is printed above where it happened, whether it came with the clear or before it', async () => {
    world = new CliWorld();
    const { value } = await startSession('echo kept-1; echo kept-2');
    for (const command of [
      'echo same-event; clear; echo after-1',
      'echo earlier-event; sleep 0.3; clear; echo after-2',
    ])
      expect((await world.run(['exec', '-s', value.sid, '--', command])).code).toBe(0);
    const transcript = (await world.run(['replay', value.sid])).stdout;
    expect(transcript).toMatch(
      /^\$ echo kept-1; echo kept-2 {2}⚙ run by a program\nkept-1\nkept-2\n✓ 0 · \S+\n\$ echo same-event; clear; echo after-1 {2}⚙ run by a program\nsame-event\n── cleared: the screen and the scrollback ──\nafter-1\n✓ 0 · \S+\n\$ echo earlier-event; sleep 0.3; clear; echo after-2 {2}⚙ run by a program\nearlier-event\n── cleared: the screen and the scrollback ──\nafter-2\n✓ 0 · \S+\n$/,
    );
  });

  test('a command of several lines is printed on as many, as the TUI shows it; a line with a backslash-n stays one', async () => {
    world = new CliWorld();
    const { value } = await startSession('cat <<EOF\nAAA\nEOF');
    expect((await world.run(['exec', '-s', value.sid, '--', 'echo "one\\nline"'])).code).toBe(0);
    const transcript = await world.run(['replay', value.sid]);
    expect(transcript.stdout).toMatch(
      /^\$ cat <<EOF\nAAA\nEOF {2}⚙ run by a program\nAAA\n✓ 0 · \S+\n\$ echo "one\\nline" {2}⚙ run by a program\none\\nline\n✓ 0 · \S+\n$/,
    );
  });

  test('a pasted command with a tab in it is printed with the tab, as it ran (to be copied as it is)', async () => {
    world = new CliWorld();
    const { value } = await startSession('true');
    const link = spawnGatewayLink({
      env: world.env(),
      cwd: world.work,
      breadcrumb: () => undefined,
    });
    await link.ready;
    await link.client.call('session.input', {
      sid: value.sid,
      data: '\x1b[200~echo "x\ty"\x1b[201~\r',
    });
    await vi.waitFor(
      async () => {
        expect((await world.run(['replay', value.sid])).stdout.match(/✓ 0 · /g)).toHaveLength(2);
      },
      { timeout: 20_000, interval: 200 },
    );
    link.close();
    const transcript = await world.run(['replay', value.sid]);
    // Its output as the terminal showed it: the tab moved the cursor to the next stop.
    expect(transcript.stdout).toContain('\n$ echo "x\ty"\nx       y\n✓ 0 · ');
  });

  test("prints an ended session's transcript and exports a valid asciicast, without starting its shell again", async () => {
    world = new CliWorld();
    // Opened from a terminal other than an xterm: its TERM is what the export records.
    const created = await world.run(['exec', '--new', '--json', '--', 'true'], {
      env: { TERM: 'screen-256color' },
    });
    expect(created.code).toBe(0);
    const sid = (JSON.parse(created.stdout) as ExecReport).sid;
    expect(
      (await world.run(['exec', '-s', sid, '--', "printf '\\033[31mred\\033[0m\\n'"])).code,
    ).toBe(0);
    // A terminal attached to the session changes its size.
    const link = spawnGatewayLink({
      env: world.env(),
      cwd: world.work,
      breadcrumb: () => undefined,
    });
    await link.ready;
    await link.client.call('session.resize', { sid, cols: 100, rows: 30 });
    link.close();
    await link.closed;
    expect((await world.run(['exec', '-s', sid, '--', 'false'])).code).toBe(1);
    expect((await world.run(['sessions', 'kill', sid])).code).toBe(0);

    const transcript = await world.run(['replay', sid]);
    expect(transcript.code).toBe(0);
    expect(transcript.stdout).not.toContain('\x1b');
    const lines = transcript.stdout.trimEnd().split('\n');
    const printed = lines.indexOf("$ printf '\\033[31mred\\033[0m\\n'  ⚙ run by a program");
    expect(printed).toBeGreaterThan(0);
    expect(lines.slice(printed + 1, printed + 5)).toEqual([
      'red',
      expect.stringMatching(/^✓ 0 · \d+ms$/),
      '$ false  ⚙ run by a program',
      expect.stringMatching(/^✗ 1 · \d+ms$/),
    ]);
    expect(lines.at(-1)).toBe("the session's shell exited (SIGHUP)");

    const file = path.join(world.work, 'session.cast');
    const exported = await world.run(['replay', sid, '--asciicast', 'session.cast']);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(exported.stderr).toMatch(
      /^lifeline: wrote \d+ frames of session s_\w+ to .*session\.cast\n$/,
    );
    const cast = fs.readFileSync(file, 'utf8');
    expect(validateAsciicast(cast)).toEqual([]);
    const [header, ...frames] = cast
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(header).toMatchObject({
      version: 2,
      width: 80,
      height: 24,
      title: `work (${sid})`,
      env: { SHELL: '/bin/bash', TERM: 'screen-256color' },
    });
    const typed = frames as [number, string, string][];
    expect(typed.filter((frame) => frame[1] === 'r').map((frame) => frame[2])).toEqual(['100x30']);
    expect(
      typed
        .filter((frame) => frame[1] === 'o')
        .map((frame) => frame[2])
        .join(''),
    ).toContain('\x1b[31mred\x1b[0m\r\n');
    const toStdout = await world.run(['replay', sid, '--asciicast', '-']);
    expect(toStdout.stdout).toBe(cast);
    // A file it cannot write: a usage error saying why, in plain words.
    for (const [target, why] of [
      ['no-such-dir/x.cast', 'its directory does not exist'],
      ['.', 'it is a directory'],
    ]) {
      const refused = await world.run(['replay', sid, '--asciicast', target ?? '']);
      expect(refused).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `lifeline: cannot write the asciicast to ${path.resolve(world.work, target ?? '')}: ${why}; give --asciicast a file you may write (or - for stdout)\n`,
      });
    }

    expect(world.hostPids()).toEqual([]);
    const missing = await world.run(['replay', 's_00000000000000000000000000']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toMatch(
      /^lifeline: no session s_0+ in \S+; `lifeline sessions` lists them\n$/,
    );
  });

  test('a log damaged mid-way: replay and the TUI show everything before the damage and say where it is', async () => {
    world = new CliWorld();
    const { value } = await startSession('echo before');
    const sid = value.sid;
    // More than a megabyte of output: the log's index gets an entry past the record damaged below.
    const flood = "head -c 1200000 /dev/zero | tr '\\0' x; echo";
    expect((await world.run(['exec', '-s', sid, '--', flood])).code).toBe(0);
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    const seq = damageRecord(segment, 'head -c');
    const damage = `event log damaged at seq ${seq} in ${segment}`;

    const replay = await world.run(['replay', sid]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^\$ echo before {2}⚙ run by a program\nbefore\n✓ 0/m);
    expect(replay.stderr).toContain(damage);

    const tui = world.start(['--resume', sid], { cols: 200, rows: 30 });
    await tui.waitFor(`the rest of this session cannot be shown: ${damage}`);
    // Shown with the message (the frame that carries it may be written a moment before the
    // transcript): every event before the damage.
    await tui.waitFor(/^\$ echo before {2}⚙ run by a program\nbefore\n✓ 0/m);
    // It stays said once the session is up (the status line is cleared as the connection
    // changes), and the line under it no longer waits for the session to be shown.
    await tui.waitFor('nothing after this can be shown');
    expect(tui.text()).toContain(`the rest of this session cannot be shown: ${damage}`);
    expect(tui.text()).not.toContain('attaching the session');
    // What is typed goes nowhere, and Lifeline's command line still opens after it.
    tui.type(`x${keys.enter}`);
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    tui.type(`quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
  });

  test('a log damaged at its very end: the TUI says so, gives nothing up, and Lifeline’s commands still work', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'echo only']);
    expect((await world.run(['sessions', 'kill', value.sid])).code).toBe(0);
    const segment = path.join(world.stateDir, 'sessions', value.sid, 'events.jsonl');
    const last = fs.readFileSync(segment, 'utf8').trimEnd().split('\n').at(-1) ?? '';
    const seq = damageRecord(segment, /^\{"seq":\d+,/.exec(last)?.[0] ?? '');
    const tui = world.start(['--resume', value.sid], { cols: 200, rows: 30 });
    await tui.waitFor(`event log damaged at seq ${seq} in`);
    await tui.waitFor('nothing after this can be shown');
    expect(tui.text()).not.toContain('gave up');
    tui.type(keys.ctrlBracket);
    await tui.waitFor('lifeline › /');
    tui.type(`quit${keys.enter}`);
    expect(await tui.exited).toBe(0);
  });

  test('a record deleted from the middle of the log: replay shows the runs before it and exits 1 saying which seq is missing', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'echo run-0']);
    const sid = value.sid;
    for (let run = 1; run < 10; run += 1)
      expect((await world.run(['exec', '-s', sid, '--', `echo run-${run}`])).code).toBe(0);
    expect((await world.run(['sessions', 'kill', sid])).code).toBe(0);
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    const lines = fs.readFileSync(segment, 'utf8').split('\n');
    const doomed = lines.findIndex((line) => line.includes('"command":"echo run-2"'));
    const seq = Number(/^\{"seq":(\d+),/.exec(lines[doomed] ?? '')?.[1]);
    fs.writeFileSync(segment, [...lines.slice(0, doomed), ...lines.slice(doomed + 1)].join('\n'));

    const replay = await world.run(['replay', sid]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^\$ echo run-1 {2}⚙ run by a program\nrun-1\n✓ 0/m);
    expect(replay.stdout).not.toContain('run-9');
    expect(replay.stderr).toContain(
      `event log damaged at seq ${seq} in ${segment}: the record is missing (seq ${seq + 1} comes next)`,
    );
  });

  test('a reader that goes away (`lifeline replay … | true`) is not an error: exit 0, nothing on stderr', async () => {
    world = new CliWorld();
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'seq 1 50']);
    for (const args of [
      ['replay', value.sid, '--asciicast', '-'],
      ['replay', value.sid],
    ]) {
      const replay = world.spawn(args);
      // The read end of its stdout closes before it writes anything.
      replay.child.stdout?.destroy();
      expect(await replay.result, args.join(' ')).toMatchObject({
        code: 0,
        signal: null,
        stderr: '',
      });
    }
  });
});
