// `lifeline exec` as coding agents drive it: argument vectors, the caller's directory, streaming.
import fs from 'node:fs';
import path from 'node:path';
import { execStreamLineSchema, type ExecStreamLine } from '@lifeline/protocol';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { spawnGatewayLink } from '../connection/gateway-link.js';
import { CliWorld } from '../test-utils/cli-harness.js';
import type { ExecReport } from './exec.js';
import { argvCommandLine } from './internal/shell-words.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** Words a shell would split, expand, glob, substitute or act on, were they typed bare. */
const hostileArgv = [
  'a b',
  "it's",
  '"double"',
  '$HOME',
  '${PATH}',
  '$(echo no)',
  '`echo no`',
  'x; exit 3',
  '*',
  '?',
  '[ab]',
  '{a,b}',
  '~',
  '!!',
  '#not a comment',
  '%1',
  '=ls',
  'a&&b|c>d<e',
  '\\n\\t',
  'line one\nline two',
  'tab\there',
  'ctrl\x01\x02\x1b[31m\x7f',
  'ünïcødé 日本語 🙂',
  '',
  '-n',
];

/**
 * Writes `./p` into the world's directory: a program that prints the arguments it
 * received as JSON in ASCII (so the terminal between it and exec changes nothing).
 */
function writeArgvPrinter(directory: string): void {
  const file = path.join(directory, 'p');
  fs.writeFileSync(
    file,
    `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)).replace(/[\\u007f-\\uffff]/g, (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\\n');\n`,
  );
  fs.chmodSync(file, 0o755);
}

/**
 * The words in groups whose command line stays shorter than a terminal's line: lines that wrap
 * (after a prompt up to 45 columns wide) are a separate matter from quoting.
 */
function inShortLines(words: readonly string[], shell: string): string[][] {
  const groups: string[][] = [[]];
  for (const word of words) {
    const last = groups.at(-1) ?? [];
    if (last.length > 0 && argvCommandLine(['./p', ...last, word], shell).length > 32)
      groups.push([word]);
    else last.push(word);
  }
  return groups;
}

describe.each([['/usr/bin/bash'], ['/usr/bin/zsh'], ['/usr/bin/fish'], ['/usr/bin/dash']])(
  'in %s',
  (shell) => {
    test('several words are an argument vector: the program receives each exactly', async () => {
      world = new CliWorld(shell);
      writeArgvPrinter(world.work);
      const received: string[] = [];
      let sid = '';
      for (const words of inShortLines(hostileArgv, shell)) {
        const { value } = await world.json<ExecReport>(['exec', '--json', '--', './p', ...words]);
        expect(value.exitCode).toBe(0);
        received.push(...(JSON.parse(value.output) as string[]));
        sid = value.sid;
      }
      expect(received).toEqual(hostileArgv);

      // The session's shell is untouched by `exit 3` inside an argument.
      const hi = await world.run(['exec', '-s', sid, '--', 'sh', '-c', 'echo hi; exit 3']);
      expect(hi).toMatchObject({ code: 3, stdout: 'hi\n' });
      const after = await world.json<ExecReport>([
        'exec',
        '-s',
        sid,
        '--json',
        '--',
        'echo',
        'still here',
      ]);
      expect(after.value).toMatchObject({ sid, exitCode: 0, output: 'still here\n' });
    });
  },
);

test("keys someone left in a history search hold exec's command back: exec says so, and how to clear the line", async () => {
  world = new CliWorld();
  const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
  // Ctrl+R and a few letters, typed at the session's prompt as a person would (in the TUI).
  const link = spawnGatewayLink({ env: world.env(), cwd: world.work, breadcrumb: () => undefined });
  await link.ready;
  await link.client.call('session.input', { sid: value.sid, data: '\x12ech' });
  link.close();
  await link.closed;
  const refused = await world.run(['exec', '--timeout', '1s', '-s', value.sid, '--', 'echo hi']);
  expect(refused.code).toBe(124);
  expect(refused.stderr).toContain('line editor in a mode of its own');
  expect(refused.stderr).toContain(
    `(session ${value.sid}; \`lifeline sessions interrupt --at-prompt ${value.sid}\` presses Ctrl+C there)`,
  );
  expect((await world.run(['sessions', 'interrupt', '--at-prompt', value.sid])).code).toBe(0);
  expect(await world.run(['exec', '-s', value.sid, '--', 'echo hi'])).toMatchObject({
    code: 0,
    stdout: 'hi\n',
  });
});

test.each([
  ['/usr/bin/zsh', 'Ctrl+G', '\x07', 'bck-i-search'],
  ['/usr/bin/bash', 'Ctrl+G', '\x07', 'reverse-i-search'],
  ['/usr/bin/bash', 'Esc', '\x1b', 'reverse-i-search'],
])(
  "%s: a history search someone cancelled with %s leaves exec's output as it is without one",
  async (shell, _cancelName, cancelKey, searchShown) => {
    world = new CliWorld(shell);
    const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
    // Typed at the session's prompt as a person would (in the TUI): the search drawn, then cancelled.
    const link = spawnGatewayLink({
      env: world.env(),
      cwd: world.work,
      breadcrumb: () => undefined,
    });
    await link.ready;
    let shown = '';
    link.client.on('session.event', (event) => {
      if (event.type === 'output') shown += event.data;
    });
    await link.client.call('session.attach', { sid: value.sid });
    await link.client.call('session.input', { sid: value.sid, data: '\x12ech' });
    await vi.waitFor(() => expect(shown).toContain(searchShown), { timeout: 10_000 });
    await link.client.call('session.input', { sid: value.sid, data: cancelKey });
    link.close();
    await link.closed;
    const after = await world.json<ExecReport>([
      'exec',
      '-s',
      value.sid,
      '--json',
      '--',
      'echo hi2',
    ]);
    expect(after.value).toMatchObject({ exitCode: 0, output: 'hi2\n' });
  },
);

test("a command someone is typing line by line holds exec's command back until it has its lines; without -s exec passes over the session", async () => {
  world = new CliWorld();
  const { value } = await world.json<ExecReport>(['exec', '--new', '--json', '--', 'true']);
  const typeIntoSession = async (data: string) => {
    const link = spawnGatewayLink({
      env: world.env(),
      cwd: world.work,
      breadcrumb: () => undefined,
    });
    await link.ready;
    await link.client.call('session.input', { sid: value.sid, data });
    link.close();
    await link.closed;
  };
  // The first line of a loop, typed at the session's prompt as a person would (in the TUI).
  await typeIntoSession('for i in 1 2; do\r');
  const refused = await world.run(['exec', '--timeout', '1s', '-s', value.sid, '--', 'echo hi']);
  expect(refused.code).toBe(124);
  expect(refused.stderr).toContain('waiting for more lines (a continuation prompt, "> ")');
  expect(refused.stderr).toContain(
    `(session ${value.sid}; \`lifeline sessions interrupt --at-prompt ${value.sid}\` presses Ctrl+C there)`,
  );
  // Asked for no session in particular, exec runs its command in another one.
  const elsewhere = await world.json<ExecReport>(['exec', '--json', '--', 'echo elsewhere']);
  expect(elsewhere.value).toMatchObject({ exitCode: 0, output: 'elsewhere\n' });
  expect(elsewhere.value.sid).not.toBe(value.sid);
  // Said in a few words, with nothing asking to run the command again.
  expect(elsewhere.result.stderr).toContain(
    `session ${value.sid} waits for more lines of a command someone is typing ("> "): running in a new session ${elsewhere.value.sid}`,
  );
  // The rest of the loop: it runs, then exec's command, neither inside the other.
  await typeIntoSession('echo looped-$i\rdone\r');
  expect(await world.run(['exec', '-s', value.sid, '--', 'echo hi'])).toMatchObject({
    code: 0,
    stdout: 'hi\n',
  });
});

test('without -s exec passes over a session busy with a command, and says -s would wait for it', async () => {
  world = new CliWorld();
  const slow = world.run(['exec', '--new', '--json', '--', 'sleep 60; echo slept']);
  let sid = '';
  await vi.waitFor(
    async () => {
      const listed = /^\S+ +(s_\w+) .*sleep 60; echo slept/m.exec(
        (await world.run(['sessions'])).stdout,
      );
      expect(listed).not.toBeNull();
      sid = listed?.[1] ?? '';
    },
    { timeout: 30_000, interval: 100 },
  );
  const elsewhere = await world.json<ExecReport>(['exec', '--json', '--', 'echo elsewhere']);
  expect(elsewhere.value).toMatchObject({ exitCode: 0, output: 'elsewhere\n' });
  expect(elsewhere.result.stderr).toBe(
    `lifeline: session ${sid} is busy with "sleep 60; echo slept": running in a new session ${elsewhere.value.sid} (-s <sid> waits for a busy one)\n`,
  );
  expect((await world.run(['sessions', 'interrupt', sid])).code).toBe(0);
  expect((await slow).code).toBe(130);
});

test('one word is a command line in the shell: pipes, redirections and `;` work', async () => {
  world = new CliWorld();
  const result = await world.run([
    'exec',
    '--',
    "echo one two | tr ' ' '\\n' > out.txt; cat out.txt; (exit 4)",
  ]);
  expect(result).toMatchObject({ code: 4, stdout: 'one\ntwo\n' });
});

test('tab-separated output keeps its tabs, on stdout and in --json, for `cut -f` and the like', async () => {
  world = new CliWorld();
  const table = "printf 'name\\tage\\nalice\\t30\\nbob\\t\\n'";
  expect(await world.run(['exec', '--', table])).toMatchObject({
    code: 0,
    stdout: 'name\tage\nalice\t30\nbob\t\n',
  });
  const { value } = await world.json<ExecReport>(['exec', '--json', '--', table]);
  expect(value.output).toBe('name\tage\nalice\t30\nbob\t\n');
});

test('a display drawn again in place (the cursor moved up over its lines, as docker and pnpm draw) is given as the terminal ends up showing it', async () => {
  world = new CliWorld();
  expect(
    await world.run(['exec', '--', "seq 1 3; printf '\\033[2A\\rX\\n'; echo end"]),
  ).toMatchObject({ code: 0, stdout: '1\nX\nend\n' });
  // Three frames of a three-line display, printed apart: its last frame, on stdout and in --json.
  const display =
    "for i in 1 2 3; do [ $i -gt 1 ] && printf '\\033[3A'; printf 'step a %s\\nstep b %s\\nstep c %s\\n' $i $i $i; sleep 0.05; done; echo done";
  const last = 'step a 3\nstep b 3\nstep c 3\ndone\n';
  expect(await world.run(['exec', '--', display])).toMatchObject({ code: 0, stdout: last });
  const { value } = await world.json<ExecReport>(['exec', '--json', '--', display]);
  expect(value.output).toBe(last);
  // --json streams nothing: frames drawn seconds apart end as the last one too.
  const { value: slow } = await world.json<ExecReport>([
    'exec',
    '--json',
    '--',
    display.replace('sleep 0.05', 'sleep 0.8'),
  ]);
  expect(slow.output).toBe(last);
});

test('runs where it is called: a session in each directory, reused there, named on stderr', async () => {
  world = new CliWorld();
  const here = path.join(world.work, 'here');
  const there = path.join(world.work, 'there dir');
  fs.mkdirSync(here);
  fs.mkdirSync(there);

  const first = await world.run(['exec', '--json', '--', 'pwd'], { cwd: here });
  const inHere = JSON.parse(first.stdout) as ExecReport;
  expect(inHere).toMatchObject({ exitCode: 0, cwd: here, output: `${here}\n` });
  expect(first.stderr).toBe('');

  const second = await world.run(['exec', '--json', '--', 'pwd'], { cwd: there });
  const inThere = JSON.parse(second.stdout) as ExecReport;
  expect(inThere).toMatchObject({ exitCode: 0, cwd: there, output: `${there}\n` });
  expect(inThere.sid).not.toBe(inHere.sid);

  // Back in the first directory: its idle session is used again, and stderr says which.
  const again = await world.run(['exec', '--json', '--', 'pwd'], { cwd: here });
  expect(JSON.parse(again.stdout)).toMatchObject({ sid: inHere.sid, output: `${here}\n` });
  expect(again.stderr).toBe(`lifeline: running in session ${inHere.sid} "here" (in ${here})\n`);

  // --cwd runs in that directory from anywhere; --reuse any takes the most recently active session.
  const elsewhere = await world.run(['exec', '--json', '--cwd', 'there dir', '--', 'pwd'], {
    cwd: world.work,
  });
  expect(JSON.parse(elsewhere.stdout)).toMatchObject({ sid: inThere.sid, output: `${there}\n` });
  const any = await world.run(['exec', '--json', '--reuse', 'any', '--', 'pwd'], {
    cwd: world.work,
  });
  expect(JSON.parse(any.stdout)).toMatchObject({ sid: inThere.sid, output: `${there}\n` });
  expect(any.stderr).toContain(`running in session ${inThere.sid}`);

  const missing = await world.run(['exec', '--cwd', 'nowhere', '--', 'pwd']);
  expect(missing).toMatchObject({ code: 2, stdout: '' });
  expect(missing.stderr).toBe(
    `lifeline: --cwd ${path.join(world.work, 'nowhere')} does not exist (ENOENT); give a directory that does\n`,
  );
});

describe('--jsonl', () => {
  /** Parses every complete line written so far against the published schema. */
  const linesOf = (stdout: string): ExecStreamLine[] =>
    stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => execStreamLineSchema.parse(JSON.parse(line)));

  test('writes start and output as they happen, then complete with the fields of --json', async () => {
    world = new CliWorld();
    const gate = path.join(world.root, 'gate');
    const exec = world.spawn([
      'exec',
      '--jsonl',
      '--',
      `echo first; while [ ! -e ${gate} ]; do printf '\\r|'; sleep 0.05; printf '\\r/'; sleep 0.05; done; printf '\\r'; echo second; (exit 5)`,
    ]);
    // While the command still waits for the gate, drawing a spinner under it, its first line is
    // already out.
    await exec.waitFor(/"type":"output".*first/);
    expect(exec.running).toBe(true);
    const early = linesOf(exec.stdout);
    expect(early[0]).toMatchObject({
      type: 'start',
      cwd: world.work,
      newSession: true,
      newShell: false,
    });
    expect(early.some((line) => line.type === 'complete')).toBe(false);

    fs.writeFileSync(gate, '');
    const result = await exec.result;
    expect(result.code).toBe(5);
    const lines = linesOf(result.stdout);
    const output = lines.flatMap((line) => (line.type === 'output' ? [line.text] : [])).join('');
    expect(output).toBe('first\nsecond\n');
    const complete = lines.at(-1);
    expect(complete).toMatchObject({
      type: 'complete',
      exitCode: 5,
      output,
      cwd: world.work,
      timedOut: false,
    });
    expect(lines.filter((line) => line.type === 'complete')).toHaveLength(1);
    const start = lines[0];
    if (start?.type !== 'start' || complete?.type !== 'complete')
      throw new Error('no start or complete line');
    expect(complete.sid).toBe(start.sid);
    expect(complete.runId).toBe(start.runId);
    expect(Math.round(complete.durationMs * 10) / 10).toBe(complete.durationMs);
  });

  test('says when the command waits for someone to type, and exits 125; what was piped into exec is said not to reach it', async () => {
    world = new CliWorld();
    const result = await world.run(
      ['exec', '--jsonl', '--', 'read -r answer; echo "got $answer"'],
      {
        input: 'piped\n',
      },
    );
    expect(result.code).toBe(125);
    const sid = (linesOf(result.stdout)[0] as { sid: string }).sid;
    expect(result.stderr).toContain(
      `lifeline: exec does not pass its own stdin on: the command reads the session's terminal; give it its input in the command line (a redirection from a file, a here-string), or \`… | lifeline sessions input --stdin ${sid}\` types stdin into it\n`,
    );
    const types = linesOf(result.stdout).map((line) => line.type);
    expect(types).toEqual(['start', 'waiting_for_input', 'complete']);
    expect(linesOf(result.stdout).at(-1)).toMatchObject({ waitsForInput: true, exitCode: null });
  });

  test('-s with a session whose command waits for someone to type: refused at once, not at the timeout, saying how to answer it', async () => {
    world = new CliWorld();
    const asking = await world.run([
      'exec',
      '--new',
      '--name',
      'asks',
      '--',
      'read -r answer; echo "got $answer"',
    ]);
    expect(asking.code).toBe(125);
    // Waiting out its timeout, it would outlast the test's own.
    const refused = await world.run(['exec', '-s', 'asks', '--timeout', '1d', '--', 'echo after']);
    expect(refused.code).toBe(124);
    expect(refused.stderr).toContain('read -r answer');
    expect(refused.stderr).toContain('lifeline sessions input');
    // Not said to run where it was refused.
    expect(refused.stderr).not.toContain('running in session');
    expect(refused.stdout).toBe('');
    expect((await world.run(['sessions', 'input', 'asks', 'yes\n'])).code).toBe(0);
    const after = await world.run(['exec', '-s', 'asks', '--', 'echo after']);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('after\n');
  });

  test('an exec waiting behind a command that then waits for someone to type is refused then, not at its timeout', async () => {
    world = new CliWorld();
    const gate = path.join(world.work, 'ask-now');
    await world.run(['exec', '--new', '--name', 'later', '--', 'true']);
    const asking = world.spawn([
      'exec',
      '-s',
      'later',
      '--',
      `echo first; while [ ! -e ${gate} ]; do sleep 0.05; done; read -r answer; echo "got $answer"`,
    ]);
    await asking.waitFor(/first\n/);
    // Queued behind it while it still runs; a day would outlast the test.
    const queued = world.spawn([
      'exec',
      '-s',
      'later',
      '--json',
      '--timeout',
      '1d',
      '--',
      'echo queued',
    ]);
    fs.writeFileSync(gate, '');
    expect((await asking.result).code).toBe(125);
    const refused = await queued.result;
    expect(refused.code).toBe(124);
    expect(refused.stderr).toContain('waits for someone to type, so the command was not started');
    expect(refused.stderr).toContain('lifeline sessions input');
    const report = JSON.parse(refused.stdout) as ExecReport;
    // Refused, not timed out: the report says why, as stderr did.
    expect(report).toMatchObject({ runId: null, exitCode: null, timedOut: false });
    expect(report.notStarted).toContain(
      'waits for someone to type, so the command was not started',
    );
    expect(report.durationMs).toBeGreaterThan(0);
    expect((await world.run(['sessions', 'input', 'later', 'yes\n'])).code).toBe(0);
  });
});
