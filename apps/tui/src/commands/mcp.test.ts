// `lifeline mcp` as an agent's MCP client starts it: the built CLI as a real subprocess, driven by
// the official MCP SDK client, with its own gateway, real session hosts and real shells.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';
import type { SessionSummary } from '@lifeline/protocol';
import type { RunReport } from '../mcp/tool-schemas.js';

const cliPath = path.resolve(import.meta.dirname, '../../dist/cli.js');

let world: CliWorld;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await world.dispose();
});

/** Starts `lifeline mcp` in the world and connects the SDK client to it. */
async function connect(): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'mcp'],
    env: world.env(),
    cwd: world.work,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  client = new Client({ name: 'lifeline-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** Calls a tool that must succeed, and returns its structured result. */
async function call<T = RunReport>(
  mcp: Client,
  name: string,
  args: Record<string, unknown>,
  onprogress?: (message: string) => void,
): Promise<T> {
  const result = await mcp.callTool(
    { name, arguments: args },
    undefined,
    onprogress ? { onprogress: ({ message }) => onprogress(message ?? '') } : {},
  );
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/**
 * Reads a session's output with read_output page after page from `afterSeq` until no more
 * follows, each page checked to keep to its size: the text read and how many reads it took.
 */
async function readPages(
  mcp: Client,
  session: string,
  afterSeq: number,
): Promise<{ text: string; reads: number }> {
  let text = '';
  let reads = 0;
  for (let more = true, from = afterSeq; more; reads += 1) {
    const page = await call<{ output: string; lastSeq: number; more: boolean }>(
      mcp,
      'read_output',
      { session, afterSeq: from },
    );
    expect(page.output.length).toBeLessThan(200_000);
    text += page.output;
    from = page.lastSeq;
    more = page.more;
  }
  return { text, reads };
}

/**
 * `lifeline mcp` started in the world and spoken to in raw JSON lines, as a client of a few lines
 * does: what it answered so far, by id, and how it exited.
 */
function startRawServer() {
  const server = spawn(process.execPath, [cliPath, 'mcp'], {
    env: world.env(),
    cwd: world.work,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let stdout = '';
  server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return {
    stdin: server.stdin,
    kill: (signal: NodeJS.Signals) => server.kill(signal),
    exited: new Promise<number | null>((resolve) => server.once('exit', resolve)),
    answer: (id: number) =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map(
          (line) => JSON.parse(line) as { id?: number; result?: { structuredContent?: unknown } },
        )
        .find((message) => message.id === id),
  };
}

/** The lines of an MCP handshake, then a `run` call with `args` (id 2). */
function handshakeThenRun(args: Record<string, unknown>, meta: object = {}): string {
  const messages = [
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      },
    },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'run', arguments: args, ...meta },
    },
  ];
  return messages.map((message) => `${JSON.stringify(message)}\n`).join('');
}

describe('lifeline mcp', () => {
  test('initializes at a current revision and lists its tools with JSON Schemas; bad calls are told apart', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    expect(mcp.getServerVersion()).toMatchObject({ name: 'lifeline' });
    expect(mcp.getServerCapabilities()).toMatchObject({ tools: {} });
    expect(mcp.getInstructions()).toMatch(/durable shell sessions/);

    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'close_session',
      'interrupt',
      'list_sessions',
      'read_output',
      'run',
      'send_input',
      'start_session',
    ]);
    const run = tools.find((tool) => tool.name === 'run');
    expect(run?.inputSchema).toMatchObject({
      type: 'object',
      properties: {
        command: { type: 'string' },
        argv: { type: 'array', items: { type: 'string' } },
        session: { type: 'string' },
        cwd: { type: 'string' },
        timeoutMs: { type: 'integer' },
      },
    });
    expect(run?.outputSchema).toMatchObject({ type: 'object' });

    // A tool's own failure is a result the model reads; an unknown tool is a protocol error.
    const neither = await mcp.callTool({ name: 'run', arguments: {} });
    expect(neither.isError).toBe(true);
    expect(JSON.stringify(neither.content)).toMatch(/give either command .* or argv/);
    const badSession = await mcp.callTool({
      name: 'read_output',
      arguments: { session: 'nope' },
    });
    expect(badSession.isError).toBe(true);
    expect(JSON.stringify(badSession.content)).toMatch(
      /no session is named \\"nope\\" in .*; list_sessions lists them/,
    );
    // A name the gateway would refuse is refused with the rule it breaks, nothing started.
    const idLike = await mcp.callTool({ name: 'start_session', arguments: { name: 's_01abc' } });
    expect(idLike.isError).toBe(true);
    expect(JSON.stringify(idLike.content)).toContain(
      'a session name cannot look like a session id or its start',
    );
    expect(JSON.stringify(idLike.content)).not.toMatch(/session\.create|failed/);
    await expect(mcp.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/unknown tool "no_such_tool"/) as unknown,
    });
  });

  test('run streams output as progress while the command runs, and reports exit code, cwd and duration', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const gate = path.join(world.work, 'go');
    const progress: string[] = [];
    // The command goes on only once the first line has arrived as progress.
    const report = await call(
      mcp,
      'run',
      {
        command: `echo first; while [ ! -e ${gate} ]; do sleep 0.05; done; echo second; (exit 3)`,
        timeoutMs: 30_000,
      },
      (message) => {
        progress.push(message);
        if (message.includes('first')) fs.writeFileSync(gate, '');
      },
    );
    expect(report).toMatchObject({
      exitCode: 3,
      stoppedBy: null,
      output: 'first\nsecond\n',
      cwd: world.work,
      timedOut: false,
      waitsForInput: false,
    });
    expect(progress.join('')).toBe('first\nsecond\n');
    expect(Math.round(report.durationMs * 10) / 10).toBe(report.durationMs);

    // argv reaches the program word for word; cwd moves the same session there first.
    const elsewhere = fs.mkdtempSync(path.join(world.work, 'a dir '));
    const words = ['a b', '$HOME', "it's", 'x;y', '*', 'née'];
    const argv = await call(mcp, 'run', { argv: ['printf', '%s\\n', ...words], cwd: elsewhere });
    expect(argv).toMatchObject({
      session: report.session,
      exitCode: 0,
      output: words.map((word) => `${word}\n`).join(''),
      cwd: elsewhere,
    });

    // A command that stops is paused, not over: the result names the signal, and `fg` resumes it.
    const stopped = await call(mcp, 'run', {
      command: "sh -c 'echo stopping; kill -STOP $$; echo resumed'",
    });
    expect(stopped).toMatchObject({
      exitCode: 147,
      stoppedBy: 'SIGSTOP',
      output: expect.stringMatching(/^stopping\n(.*\n)*.*Stopped/) as unknown,
    });
    expect(await call(mcp, 'run', { command: 'fg' })).toMatchObject({
      exitCode: 0,
      stoppedBy: null,
      output: expect.stringMatching(/resumed\n$/) as unknown,
    });
  });

  test('a command waiting for input is answered through send_input, a secret kept masked', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const asked = await call(mcp, 'run', {
      command: 'read -r answer; read -r secret; echo "got $answer, ${#secret} characters"',
    });
    expect(asked).toMatchObject({ exitCode: null, waitsForInput: true, timedOut: false });
    const first = await call(mcp, 'send_input', { session: asked.session, text: 'forty two' });
    expect(first).toMatchObject({ runId: asked.runId, exitCode: null, waitsForInput: true });
    // Another command sent to that session meanwhile is refused at once, not at its timeout.
    const meanwhile = await mcp.callTool({
      name: 'run',
      arguments: { session: asked.session, command: 'echo meanwhile', timeoutMs: 600_000 },
    });
    expect(meanwhile.isError).toBe(true);
    expect(JSON.stringify(meanwhile.content)).toContain('waits for someone to type');
    const answered = await call(mcp, 'send_input', {
      session: asked.session,
      text: 'hunter22',
      masked: true,
    });
    expect(answered).toMatchObject({
      runId: asked.runId,
      exitCode: 0,
      output: 'got forty two, 8 characters\n',
    });
    const log = await call<{ output: string }>(mcp, 'read_output', { session: asked.session });
    expect(log.output).toMatch(/^forty two\n(?:.*\n)*got forty two, 8 characters\n/m);
    // What was typed is in the session log, the secret masked even though the terminal echoed it.
    const typed = fs
      .readFileSync(path.join(world.stateDir, 'sessions', asked.session, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string; masked?: boolean })
      .filter((event) => event.type === 'input');
    expect(typed).toEqual([
      expect.objectContaining({ data: 'forty two\r' }),
      expect.objectContaining({
        masked: true,
        data: expect.not.stringContaining('hunter') as unknown,
      }),
    ]);

    const idle = await mcp.callTool({
      name: 'send_input',
      arguments: { session: asked.session, text: 'ls' },
    });
    expect(idle.isError).toBe(true);
    expect(JSON.stringify(idle.content)).toMatch(/no command runs in session s_\w+/);
  });

  test('a run that outlives its timeout keeps going: listed, read since its lastSeq, interrupted; meanwhile runs go to a new session', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const slow = await call(mcp, 'run', {
      command: 'echo begun; sleep 60; echo never',
      timeoutMs: 1000,
    });
    expect(slow).toMatchObject({ exitCode: null, timedOut: true, output: 'begun\n', cwd: null });

    const elsewhere = await call<{ session: string; note?: string }>(mcp, 'run', {
      command: 'echo meanwhile',
    });
    expect(elsewhere).toMatchObject({ exitCode: 0, output: 'meanwhile\n' });
    expect(elsewhere.session).not.toBe(slow.session);
    // Said, since what earlier commands set in the busy session is not set in the new one.
    expect(elsewhere.note).toBe(
      `session ${slow.session}, where the earlier commands ran, is still running "echo begun; sleep 60; echo never", so this command ran in a new session ${elsewhere.session} in ${world.work}: ` +
        'what the earlier commands set there (a cd, exported variables, an activated environment) is not set here. ' +
        `Pass session ${slow.session} to run there once it is free (interrupt stops its command); later calls without a session use ${elsewhere.session}.`,
    );
    expect(await call<{ note?: string }>(mcp, 'run', { command: 'echo again' })).not.toHaveProperty(
      'note',
    );
    const { sessions } = await call<{ sessions: { session: string; running?: unknown }[] }>(
      mcp,
      'list_sessions',
      {},
    );
    expect(sessions.find((listed) => listed.session === slow.session)?.running).toEqual({
      runId: slow.runId,
      command: 'echo begun; sleep 60; echo never',
      waitsForInput: false,
    });

    expect(await call(mcp, 'interrupt', { session: slow.session })).toEqual({
      session: slow.session,
      signal: 'SIGINT',
      command: 'echo begun; sleep 60; echo never',
    });
    await vi.waitFor(
      async () => {
        const since = await call<{ output: string; running?: unknown; ended: object[] }>(
          mcp,
          'read_output',
          { session: slow.session, afterSeq: slow.lastSeq },
        );
        expect(since.running).toBeUndefined();
        // How it ended, though the run call stopped waiting for it long before.
        expect(since.ended).toMatchObject([
          { runId: slow.runId, exitCode: 130, cwd: world.work, shellExited: false },
        ]);
        expect(Object.keys(since.ended[0] ?? {}).sort()).toEqual([
          'cwd',
          'durationMs',
          'exitCode',
          'runId',
          'shellExited',
        ]);
        expect(since.output).toMatch(/^\^C$/m);
        expect(since.output).not.toContain('begun');
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await call(mcp, 'run', { command: 'echo next', session: slow.session })).toMatchObject({
      exitCode: 0,
      output: 'next\n',
    });
    // Nothing runs now: Ctrl+C would only clear what someone types at the prompt.
    const atPrompt = await mcp.callTool({
      name: 'interrupt',
      arguments: { session: slow.session },
    });
    expect(atPrompt.isError).toBe(true);
    expect(JSON.stringify(atPrompt.content)).toContain(
      `no command runs in session ${slow.session}: Ctrl+C would go to the shell's prompt and clear what someone is typing there, so nothing was sent; atPrompt: true sends it anyway`,
    );
    const killAtPrompt = await mcp.callTool({
      name: 'interrupt',
      arguments: { session: slow.session, signal: 'SIGKILL' },
    });
    expect(killAtPrompt.isError).toBe(true);
    expect(JSON.stringify(killAtPrompt.content)).toContain(
      `no command runs in session ${slow.session}: SIGKILL would go to its shell itself`,
    );
    expect(await call(mcp, 'interrupt', { session: slow.session, atPrompt: true })).toEqual({
      session: slow.session,
      signal: 'SIGINT',
      command: null,
    });
  });

  test('calls sent together without a session run in order in one shell, each after the one before it, what the first set kept', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    // Sent before the server has a session of its own, none waiting for the answer before it.
    const [first, second, third] = await Promise.all([
      call<{ session: string; output: string; note?: string }>(mcp, 'run', {
        command: 'export LIFELINE_TEST_MARK=set; sleep 1; echo first',
      }),
      call<{ session: string; output: string; note?: string }>(mcp, 'run', {
        command: 'echo second=$LIFELINE_TEST_MARK',
      }),
      call<{ session: string; output: string; note?: string }>(mcp, 'run', {
        command: 'echo third=$LIFELINE_TEST_MARK',
      }),
    ]);
    expect([first.output, second.output, third.output]).toEqual([
      'first\n',
      'second=set\n',
      'third=set\n',
    ]);
    expect(new Set([first.session, second.session, third.session]).size).toBe(1);
    for (const result of [first, second, third]) expect(result).not.toHaveProperty('note');
    const later = await call<{ session: string; output: string }>(mcp, 'run', {
      command: 'echo later=$LIFELINE_TEST_MARK',
    });
    expect(later).toMatchObject({ session: first.session, output: 'later=set\n' });
  });

  test('as it exits, the server closes the sessions it started that run nothing; one running a command and one from start_session stay', async () => {
    world = new CliWorld();
    const { client: mcp, stderr } = await connect();
    const busy = await call(mcp, 'run', { command: 'sleep 60', timeoutMs: 500 });
    expect(busy.timedOut).toBe(true);
    // Its own session is busy: the next command starts another, which then runs nothing.
    const idle = await call(mcp, 'run', { command: 'true' });
    expect(idle.session).not.toBe(busy.session);
    const kept = await call<{ session: string }>(mcp, 'start_session', { name: 'kept' });
    await client?.close();
    client = undefined;
    const { value } = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
    const status = (sid: string) => value.sessions.find((listed) => listed.sid === sid)?.status;
    expect(status(idle.session)).toBe('ended');
    expect(status(busy.session)).toBe('live');
    expect(status(kept.session)).toBe('live');
    expect(stderr()).toContain(
      `lifeline mcp: session ${busy.session} is left running "sleep 60"; \`lifeline sessions kill ${busy.session}\` ends it`,
    );
    // The closed one's log stays readable.
    const replay = await world.run(['replay', idle.session]);
    expect(replay.code).toBe(0);
  });

  test("read_output answers the session's last seq, and refuses a seq past it, naming the last seq", async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const ran = await call(mcp, 'run', { command: 'echo first' });
    const read = await call<{ output: string; lastSeq: number }>(mcp, 'read_output', {
      session: ran.session,
    });
    expect(read.output).toMatch(/^first$/m);
    const beyond = await mcp.callTool({
      name: 'read_output',
      arguments: { session: ran.session, afterSeq: read.lastSeq + 1000 },
    });
    expect(beyond.isError).toBe(true);
    expect(JSON.stringify(beyond.content)).toContain(
      `afterSeq ${read.lastSeq + 1000} is past the end of session ${ran.session}, whose last seq is ${read.lastSeq}`,
    );
    // Paging on from the lastSeq answered misses nothing printed later.
    await call(mcp, 'run', { command: 'echo second', session: ran.session });
    const since = await call<{ output: string; lastSeq: number }>(mcp, 'read_output', {
      session: ran.session,
      afterSeq: read.lastSeq,
    });
    expect(since.output).toMatch(/^second$/m);
    expect(since.output).not.toMatch(/^first$/m);
    expect(since.lastSeq).toBeGreaterThan(read.lastSeq);
  });

  test('a last line longer than a result holds on its own is kept as its end, saying how much of it was left out', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const ran = await call(mcp, 'run', {
      command: "printf 'before\\n'; head -c 150000 /dev/zero | tr '\\0' y; echo END",
    });
    const [notice, kept] = ran.output.split('\n');
    expect(notice).toMatch(
      /^\[1 earlier line and the first \d+ characters of the next left out; read_output with session \S+ and afterSeq -?\d+ reads them\]$/,
    );
    expect(kept).toMatch(/^y+END$/);
    expect((kept ?? '').length).toBeGreaterThan(90_000);
  });

  test("a command's output longer than a result holds: the result names the afterSeq read_output pages it from, oldest first, each line once", async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const ran = await call(mcp, 'run', { command: 'seq 1 60000' });
    const notice =
      /^\[(\d+) earlier lines left out; read_output with session (\S+) and afterSeq (-?\d+) reads them\]$/m.exec(
        ran.output,
      );
    expect(notice?.[2]).toBe(ran.session);
    const { text, reads } = await readPages(mcp, ran.session, Number(notice?.[3]));
    expect(reads).toBeGreaterThan(1);
    const numbers = text.split('\n').filter((line) => /^\d+$/.test(line));
    expect(numbers).toEqual(Array.from({ length: 60_000 }, (_, index) => String(index + 1)));
  });

  test('a command that runs in a new shell, the earlier one having ended, says so in a note', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const first = await call(mcp, 'run', { command: 'export KEEP=1; exit 5' });
    expect(first).toMatchObject({ shellExited: true, exitCode: 5 });
    // read_output tells how it ended too: with the shell.
    const read = await call<{ ended: object[] }>(mcp, 'read_output', { session: first.session });
    expect(read.ended).toMatchObject([
      {
        runId: first.runId,
        command: 'export KEEP=1; exit 5',
        exitCode: 5,
        cwd: null,
        shellExited: true,
      },
    ]);
    // The server's own session ended: a new one takes over, and the note says what is not there.
    const next = await call<RunReport & { note?: string }>(mcp, 'run', {
      command: 'echo "KEEP=$KEEP"',
    });
    expect(next.output).toBe('KEEP=\n');
    expect(next.note).toMatch(
      new RegExp(
        `^the shell of session ${first.session}, where the earlier commands ran, had ended, so this command ran in a new session ${next.session} `,
      ),
    );
    // A session named whose shell ended runs the command in a new shell of its own.
    await call(mcp, 'close_session', { session: next.session });
    const again = await call<RunReport & { note?: string }>(mcp, 'run', {
      command: 'true',
      session: next.session,
    });
    expect(again.session).toBe(next.session);
    expect(again.note).toMatch(/had ended, so this command ran in a new shell there/);
    expect(
      await call<{ note?: string }>(mcp, 'run', { command: 'true', session: next.session }),
    ).not.toHaveProperty('note');
  });

  test('a command quiet for longer than the client waits without progress still answers: progress says it runs', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const progress: string[] = [];
    // The SDK cancels a call whose timeout passes; progress resets it.
    const result = await mcp.callTool(
      { name: 'run', arguments: { command: 'sleep 13; echo built', timeoutMs: 60_000 } },
      undefined,
      {
        timeout: 11_000,
        resetTimeoutOnProgress: true,
        onprogress: ({ message }) => progress.push(message ?? ''),
      },
    );
    expect(result.structuredContent).toMatchObject({ exitCode: 0, output: 'built\n' });
    expect(progress).toContain('still running after 10 s');
  }, 60_000);

  test('a line longer than a page is read in pages of about 100,000 characters, not at once', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const ran = await call(mcp, 'run', {
      command: "head -c 300000 /dev/zero | tr '\\0' x; echo",
    });
    const start = /afterSeq (-?\d+) reads them/.exec(ran.output);
    const { text } = await readPages(mcp, ran.session, Number(start?.[1]));
    expect(text.split('\n')).toContain('x'.repeat(300_000));
  });

  test('a flood of output comes as a few progress notifications of its newest lines, the last line last', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const progress: string[] = [];
    const report = await call(mcp, 'run', { command: 'seq 1 200000' }, (message) =>
      progress.push(message),
    );
    expect(report.exitCode).toBe(0);
    // The output is 1.29 MB: the notifications carry a few thousand characters a quarter second.
    expect(progress.join('').length).toBeLessThan(200_000);
    expect(progress.some((message) => /^\[\d+ earlier lines left out\]\n/.test(message))).toBe(
      true,
    );
    expect(progress.at(-1)).toMatch(/\n200000\n$/);
  });

  test('read_output with tail reads the end of a long output, saying from which seq the rest reads; not with afterSeq', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    // Printed in pauses, the output is many events of the log: its start is not read at all.
    const ran = await call(mcp, 'run', {
      command:
        'for i in $(seq 1 200); do seq $((i*1000-999)) $((i*1000)); sleep 0.02; done; echo done',
    });
    const tail = await call<{ output: string; lastSeq: number; more: boolean }>(
      mcp,
      'read_output',
      { session: ran.session, tail: true },
    );
    expect(tail.more).toBe(false);
    expect(tail.lastSeq).toBeGreaterThanOrEqual(ran.lastSeq);
    expect(tail.output.length).toBeLessThan(110_000);
    const [notice, ...rest] = tail.output.split('\n');
    const from =
      /^\[\d+ earlier lines after seq (\d+) and everything before left out; read_output with session (\S+) and afterSeq \1 reads from there, afterSeq -1 from the start\]$/.exec(
        notice ?? '',
      );
    expect(from?.[2]).toBe(ran.session);
    // Whole lines, the last numbers in order up to the end, then what followed.
    const numbers = rest.filter((line) => /^\d+$/.test(line)).map(Number);
    expect(numbers.length).toBeGreaterThan(10_000);
    expect(numbers).toEqual(
      Array.from({ length: numbers.length }, (_, index) => 200_000 - numbers.length + 1 + index),
    );
    expect(rest).toContain('done');
    // What the notice names reads on from there, up to the same end.
    const before = await call<{ output: string; more: boolean }>(mcp, 'read_output', {
      session: ran.session,
      afterSeq: Number(from?.[1]),
    });
    const firstBefore = Number(/^\d+$/m.exec(before.output)?.[0]);
    expect(firstBefore).toBeLessThan(numbers[0] ?? 0);
    const both = await mcp.callTool({
      name: 'read_output',
      arguments: { session: ran.session, tail: true, afterSeq: 0 },
    });
    expect(both.isError).toBe(true);
    expect(JSON.stringify(both.content)).toContain('give afterSeq or tail, not both');
    // A last line longer than the limit (minified JSON) is read as its end, with what follows it.
    await call(mcp, 'run', {
      session: ran.session,
      command: "head -c 300000 /dev/zero | tr '\\0' x; echo END",
    });
    const long = await call<{ output: string }>(mcp, 'read_output', {
      session: ran.session,
      tail: true,
    });
    expect(long.output.length).toBeLessThan(110_000);
    expect(long.output).toMatch(
      /^\[\d+ earlier lines? and the first \d+ characters of the next after seq \d+ and everything before left out; /,
    );
    // The prompt after it.
    expect(long.output).toMatch(/\nx{90000,}END\n\S/);
  });

  test.each([
    ['', {}],
    [', with progress asked for (the ping before it unanswered)', { _meta: { progressToken: 7 } }],
  ])(
    'a client that closes stdin right after its call still gets the answer%s, and the command runs; then the server exits 0',
    async (_progress, meta) => {
      world = new CliWorld();
      const server = startRawServer();
      server.stdin.end(handshakeThenRun({ command: 'echo piped-then-closed' }, meta));
      expect(await server.exited).toBe(0);
      expect(server.answer(2)?.result?.structuredContent).toMatchObject({
        exitCode: 0,
        output: 'piped-then-closed\n',
      });
    },
  );

  test('SIGTERM from a client that does not wait for the exit: the sessions the server started that run nothing are closed too', async () => {
    world = new CliWorld();
    const server = startRawServer();
    server.stdin.write(handshakeThenRun({ command: 'true' }));
    const answer = await vi.waitFor(
      () => {
        const found = server.answer(2);
        if (found === undefined) throw new Error('no answer yet');
        return found;
      },
      { timeout: 30_000, interval: 50 },
    );
    const sid = (answer.result?.structuredContent as { session?: string } | undefined)?.session;
    expect(sid).toMatch(/^s_/);
    server.kill('SIGTERM');
    expect(await server.exited).toBe(143);
    const { value } = await world.json<{ sessions: SessionSummary[] }>(['sessions', '--json']);
    expect(value.sessions.find((listed) => listed.sid === sid)?.status).toBe('ended');
  });

  test('every tool takes a session by its name or the start of its id, as lifeline exec -s does', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const started = await call<{ session: string }>(mcp, 'start_session', { name: 'mcp1' });
    const slow = await call(mcp, 'run', {
      command: 'read -r answer; echo "got $answer"',
      session: 'mcp1',
      timeoutMs: 1000,
    });
    expect(slow).toMatchObject({ session: started.session, exitCode: null });
    const answered = await call(mcp, 'send_input', {
      session: `${started.session.slice(0, 14)}\u2026`,
      text: 'yes',
    });
    expect(answered).toMatchObject({ session: started.session, exitCode: 0, output: 'got yes\n' });
    const read = await call<{ session: string; output: string }>(mcp, 'read_output', {
      session: 'mcp1',
    });
    expect(read.session).toBe(started.session);
    expect(read.output).toMatch(/^got yes$/m);
    expect(
      await call(mcp, 'interrupt', { session: 'mcp1', signal: 'SIGINT', atPrompt: true }),
    ).toMatchObject({ session: started.session });
    // Closed by name, with the command running in it; its log stays to read; closing again is said.
    await call(mcp, 'run', { command: 'sleep 60', session: 'mcp1', timeoutMs: 500 });
    expect(await call(mcp, 'close_session', { session: 'mcp1' })).toEqual({
      session: started.session,
      alreadyEnded: false,
      command: 'sleep 60',
    });
    const { sessions: listed } = await call<{ sessions: { session: string; status: string }[] }>(
      mcp,
      'list_sessions',
      {},
    );
    expect(listed.find((session) => session.session === started.session)?.status).toBe('ended');
    expect(
      (await call<{ output: string }>(mcp, 'read_output', { session: 'mcp1' })).output,
    ).toMatch(/^got yes$/m);
    expect(await call(mcp, 'close_session', { session: 'mcp1' })).toEqual({
      session: started.session,
      alreadyEnded: true,
      command: null,
    });

    const unknown = await mcp.callTool({
      name: 'run',
      arguments: { command: 'true', session: 'mcp2' },
    });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain(
      `no session is named \\"mcp2\\" in ${world.stateDir}`,
    );
  });

  test('cancelling a run presses Ctrl+C in its session, which stays usable', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    const abort = new AbortController();
    const { session } = await call<{ session: string }>(mcp, 'start_session', {});
    const cancelled = mcp.callTool(
      { name: 'run', arguments: { command: 'echo started; sleep 60; echo never', session } },
      undefined,
      {
        signal: abort.signal,
        onprogress: ({ message }) => {
          if (message?.includes('started')) abort.abort('the agent changed its mind');
        },
      },
    );
    await expect(cancelled).rejects.toThrow(/changed its mind/);
    // Queued behind `sleep 60` unless it was interrupted.
    const next = await call(mcp, 'run', { command: 'echo after', session, timeoutMs: 20_000 });
    expect(next).toMatchObject({ exitCode: 0, output: 'after\n' });
    const log = await call<{ output: string }>(mcp, 'read_output', { session });
    expect(log.output).toMatch(/^started\n\^C\n/m);
    expect(log.output).not.toMatch(/^never$/m);
  });

  test('its gateway SIGKILLed during a run: the call goes on through a new gateway, every line once', async () => {
    world = new CliWorld();
    const { client: mcp } = await connect();
    await call(mcp, 'list_sessions', {});
    const [gateway] = world.gatewayPids();
    if (gateway === undefined) throw new Error('lifeline mcp started no gateway');
    let killed = false;
    const progress: string[] = [];
    const report = await call(
      mcp,
      'run',
      { command: 'for i in $(seq 1 30); do echo row $i; sleep 0.05; done', timeoutMs: 60_000 },
      (message) => {
        progress.push(message);
        if (!killed && message.includes('row 5\n')) {
          killed = true;
          process.kill(gateway, 'SIGKILL');
        }
      },
    );
    expect(killed).toBe(true);
    const rows = Array.from({ length: 30 }, (_, index) => `row ${index + 1}\n`).join('');
    expect(report).toMatchObject({ exitCode: 0, output: rows });
    expect(progress.join('')).toBe(rows);
    await vi.waitFor(
      () => {
        expect(world.gatewayPids()).toHaveLength(1);
      },
      { timeout: 15_000 },
    );
    expect(world.gatewayPids()).not.toContain(gateway);
    expect((await call(mcp, 'run', { command: 'echo still here' })).output).toBe('still here\n');
  });
});
