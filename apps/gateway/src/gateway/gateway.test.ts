import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LifelineErrorCode, MAX_COMMAND_BYTES, type SessionEvent } from '@lifeline/protocol';
import { RpcErrorCode } from '@lifeline/rpc';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { gatewayCliPath } from '../entry-points.js';
import { expectContiguous, TestWorld } from '../test-utils/gateway-harness.js';

/**
 * Garbles the record `seq` of a log segment in place, as a bad disk block would: every other byte
 * stays where it was.
 */
function garbleRecord(segment: string, seq: number): void {
  const text = fs.readFileSync(segment).toString('latin1');
  const start = text.indexOf(`{"seq":${seq},`);
  const fd = fs.openSync(segment, 'r+');
  try {
    fs.writeSync(fd, '~'.repeat(text.indexOf('\n', start) - start), start, 'latin1');
  } finally {
    fs.closeSync(fd);
  }
}

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

async function newSession(world: TestWorld) {
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.attach', { sid });
  return { gateway, sid };
}

describe('terminal size', () => {
  /** The PTY's size as the shell sees it, `rows cols`. */
  async function sttySize(gateway: Awaited<ReturnType<TestWorld['startGateway']>>, sid: string) {
    const run = await gateway.client.call('session.run', { sid, command: 'stty size' });
    await gateway.waitForEvent(sid, (event) => event.seq === run.completeSeq);
    const output = gateway
      .eventsOf(sid)
      .filter((event) => event.seq > run.startSeq && event.seq < (run.completeSeq ?? 0))
      .map((event) => (event.type === 'output' ? event.data : ''))
      .join('');
    return /(\d+) (\d+)\r?\n/.exec(output)?.slice(1, 3).join(' ');
  }

  test.each([
    ['as in tmux', false],
    ['also after the shell was killed and a new one started', true],
  ] as const)(
    'the client that resized last sets the size; when it leaves, the size of the one before comes back, %s',
    async (_when, shellKilled) => {
      world = new TestWorld();
      const first = await world.startGateway();
      const { sid } = await first.client.call('session.create', { cwd: world.work });
      await first.client.call('session.attach', { sid });
      await first.client.call('session.resize', { sid, cols: 100, rows: 30 });
      if (shellKilled) {
        const [hostPid] = world.hostPids();
        process.kill(hostPid ?? 0, 'SIGKILL');
        // The gateway has noticed: it records the end of a host that could not.
        await first.waitForEvent(sid, (event) => event.type === 'host_exit');
        // The first client's next command starts a new shell, at the size on record.
        expect(await sttySize(first, sid)).toBe('30 100');
      }
      const second = await world.startGateway();
      await second.client.call('session.attach', { sid });
      await second.client.call('session.resize', { sid, cols: 80, rows: 24 });
      expect(await sttySize(first, sid)).toBe('24 80');
      // The second client's terminal closes: its gateway goes with it.
      second.spawned.child.kill('SIGKILL');
      await vi.waitFor(
        async () => {
          expect(await sttySize(first, sid)).toBe('30 100');
        },
        { timeout: 15_000 },
      );
    },
  );

  test('a client that says the size the terminal has already (attaching again) logs nothing', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const widths = () =>
      gateway.eventsOf(sid).flatMap((event) => (event.type === 'resize' ? [event.cols] : []));
    await gateway.client.call('session.resize', { sid, cols: 100, rows: 30 });
    await vi.waitFor(
      () => {
        expect(widths().at(-1)).toBe(100);
      },
      { timeout: 15_000 },
    );
    // The shell draws its prompt again at the new size: output, not a resize, may still come.
    const logged = widths().length;
    await gateway.client.call('session.resize', { sid, cols: 100, rows: 30 });
    await gateway.client.call('session.resize', { sid, cols: 100, rows: 30 });
    await gateway.client.call('session.resize', { sid, cols: 90, rows: 30 });
    // Events come in the log's order: once the change to 90 is here, any resize before it is too.
    await vi.waitFor(
      () => {
        expect(widths().at(-1)).toBe(90);
      },
      { timeout: 15_000 },
    );
    expect(widths().slice(logged)).toEqual([90]);
  });
});

describe('runs', () => {
  test('each command is a run with its exit status, output and cwd', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const hello = await gateway.client.call('session.run', { sid, command: 'echo hello' });
    expect(hello).toMatchObject({ completed: true, exitCode: 0, cwd: world.work, timedOut: false });
    const failing = await gateway.client.call('session.run', { sid, command: 'false' });
    expect(failing).toMatchObject({ completed: true, exitCode: 1 });
    const moved = await gateway.client.call('session.run', { sid, command: 'cd / && pwd' });
    expect(moved).toMatchObject({ exitCode: 0, cwd: '/' });
    await gateway.waitForEvent(sid, (event) => event.seq === moved.completeSeq);
    const events = gateway.eventsOf(sid);
    expect(expectContiguous(events)).toBe(true);
    const helloStart = events.findIndex((event) => event.seq === hello.startSeq);
    const helloEnd = events.findIndex((event) => event.seq === hello.completeSeq);
    const helloOutput = events
      .slice(helloStart, helloEnd)
      .map((event) => (event.type === 'output' ? event.data : ''))
      .join('');
    expect(helloOutput).toContain('hello\r\n');
    const { sessions } = await gateway.client.call('session.list', {});
    expect(sessions).toEqual([
      expect.objectContaining({ sid, status: 'live', cwd: '/', lastCommand: 'cd / && pwd' }),
    ]);
  });

  test("a gateway started right after a run completed lists that run's command (`lifeline exec` then `lifeline sessions`)", async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    await gateway.client.call('session.run', { sid, command: 'echo listed' });
    // A gateway of its own reads the session from disk, as the next CLI command's does.
    const next = await world.startGateway();
    const { sessions } = await next.client.call('session.list', {});
    expect(sessions).toEqual([
      expect.objectContaining({ sid, status: 'live', lastCommand: 'echo listed' }),
    ]);
  });

  test('a command sent the moment the shell starts, and commands queued behind it, are each echoed once', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway();
    const { sid } = await gateway.client.call('session.create', { cwd: world.work });
    await gateway.client.call('session.attach', { sid });
    const runs = await Promise.all(
      ['echo one', 'echo two', 'echo three'].map((command) =>
        gateway.client.call('session.run', { sid, command }),
      ),
    );
    await gateway.waitForEvent(sid, (event) => event.seq === runs[2]?.completeSeq);
    const events = gateway.eventsOf(sid);
    for (const [index, command] of ['echo one', 'echo two', 'echo three'].entries()) {
      const run = runs[index]!;
      const output = events
        .filter((event) => event.seq > run.startSeq && event.seq < (run.completeSeq ?? 0))
        .map((event) => (event.type === 'output' ? event.data : ''))
        .join('');
      // As a terminal shows it: the line editor may draw the line again over itself (CR first).
      const shownLines = output
        .split('\n')
        .map((line) => line.split('\r').findLast((part) => part.trim() !== '') ?? '');
      expect(
        shownLines.filter((line) => line.includes(command)),
        `${command} in ${JSON.stringify(output)}`,
      ).toHaveLength(1);
    }
  });

  test('a multi-line command runs as one run, in the session shell, and is recorded as typed', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const command = 'cd /\nX=from-a-script\necho "$X in $(pwd)"';
    const result = await gateway.client.call('session.run', { sid, command });
    expect(result).toMatchObject({ completed: true, exitCode: 0, cwd: '/' });
    await gateway.waitForEvent(sid, (event) => event.seq === result.completeSeq);
    expect(gateway.eventsOf(sid).find((event) => event.seq === result.startSeq)).toMatchObject({
      type: 'run_start',
      command,
    });
    expect(gateway.outputOf(sid)).toContain('from-a-script in /');
    const after = await gateway.client.call('session.run', { sid, command: 'echo "$X"' });
    expect(after.exitCode).toBe(0);
    await gateway.waitForEvent(sid, (event) => event.seq === after.completeSeq);
    expect(gateway.outputOf(sid)).toMatch(/from-a-script\r\n.*$/s);
  });

  test('two runs sent together are serialised, never interleaved', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const [first, second] = await Promise.all([
      gateway.client.call('session.run', { sid, command: 'sleep 0.3; echo first' }),
      gateway.client.call('session.run', { sid, command: 'echo second' }),
    ]);
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    expect(first.completeSeq).toBeLessThan(second.startSeq);
  });

  test('a run that outlives its timeout answers timedOut and still records its completion later', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const result = await gateway.client.call('session.run', {
      sid,
      command: 'sleep 1.5; echo late',
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ completed: false, timedOut: true });
    // Another gateway, which never talked to the host, lists the run from the session's record.
    const other = await world.startGateway();
    const listed = async () =>
      (await other.client.call('session.list', {})).sessions.find((session) => session.sid === sid);
    expect(await listed()).toMatchObject({
      status: 'live',
      completionMode: 'prompt-hook',
      running: { runId: result.runId, command: 'sleep 1.5; echo late', startSeq: result.startSeq },
    });
    const complete = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === result.runId,
    );
    expect(complete).toMatchObject({ exitCode: 0, startSeq: result.startSeq });
    await vi.waitFor(
      async () => {
        const session = await listed();
        expect(session?.status).toBe('live');
        expect(session).not.toHaveProperty('running');
      },
      { timeout: 5000, interval: 50 },
    );
  });

  test('Ctrl+C sent the moment a command starts still interrupts it: exit status 130', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    // Sent within a few ms of each other, the interrupt lands while the shell reads the line, forks
    // or hands the terminal to the command.
    for (let delayMs = 0; delayMs <= 30; delayMs += 3) {
      const started = await gateway.client.call('session.run', {
        sid,
        command: 'sleep 30',
        wait: false,
      });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await gateway.client.call('session.signal', { sid, signal: 'SIGINT' });
      const complete = await gateway.waitForEvent(
        sid,
        (event) => event.type === 'run_complete' && event.runId === started.runId,
        10_000,
      );
      expect(complete).toMatchObject({ type: 'run_complete', exitCode: 130 });
    }
  });

  test('a run whose programs wait to read the terminal is marked input_wait once per wait; input for a run that is over is refused', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    // The first question is asked by a program the command's own program started (the `:` keeps
    // sh from becoming head).
    const command = "sh -c 'head -n 1; :'; head -n 1";
    const started = await gateway.client.call('session.run', { sid, command, wait: false });
    const isWait = (event: SessionEvent) =>
      event.type === 'input_wait' && event.runId === started.runId;
    const first = await gateway.waitForEvent(sid, isWait, 10_000);
    // Its host names the run going on, that it waits, and how it tells runs apart; so does the
    // session's record, for a gateway that never talked to the host.
    const other = await world.startGateway();
    const listedBy = async (client: typeof gateway) =>
      (await client.client.call('session.list', {})).sessions.find(
        (session) => session.sid === sid,
      );
    for (const client of [gateway, other]) {
      expect(await listedBy(client)).toMatchObject({
        completionMode: 'prompt-hook',
        running: { runId: started.runId, command, startSeq: started.startSeq, waitsForInput: true },
      });
    }
    // A run asked to start only in an idle session is refused at once, naming what keeps it busy.
    const refusedRun = await gateway.client
      .call('session.run', { sid, command: 'true', ifIdle: true })
      .catch((error: unknown) => error);
    expect(refusedRun).toMatchObject({ code: LifelineErrorCode.SessionBusy, data: { command } });
    // Typing the answer, and the terminal's echo of it, is not answering yet: it still waits.
    await gateway.client.call('session.input', { sid, data: 'on', runId: started.runId });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'output' && event.seq > first.seq && event.data.includes('on'),
      10_000,
    );
    expect((await listedBy(gateway))?.running).toMatchObject({ waitsForInput: true });
    await gateway.client.call('session.input', { sid, data: 'e\r', runId: started.runId });
    // Answered: no longer waiting, until the next question.
    expect((await listedBy(gateway))?.running).not.toHaveProperty('waitsForInput');
    await vi.waitFor(
      async () => {
        expect((await listedBy(other))?.running).not.toHaveProperty('waitsForInput');
      },
      { timeout: 5000, interval: 50 },
    );
    const second = await gateway.waitForEvent(
      sid,
      (event) => isWait(event) && event.seq > first.seq,
      10_000,
    );
    expect((await listedBy(other))?.running).toMatchObject({ waitsForInput: true });
    await gateway.client.call('session.input', { sid, data: 'two\r', runId: started.runId });
    const complete = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === started.runId,
      10_000,
    );
    expect(complete).toMatchObject({ exitCode: 0 });
    const run = gateway
      .eventsOf(sid)
      .filter((event) => event.seq > started.startSeq && event.seq < complete.seq);
    expect(run.filter(isWait).map((event) => event.seq)).toEqual([first.seq, second.seq]);

    // Typed after the run, the text would reach the shell as a command line: nothing is typed.
    const refused = await gateway.client
      .call('session.input', { sid, data: 'touch typed\r', runId: started.runId })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: RpcErrorCode.InvalidParams });
    expect((refused as Error).message).toMatch(
      /is not going on in session s_\w+ any more, so nothing was typed/,
    );
    // A program that waits in epoll (as Node does), with the terminal among what it waits on.
    const node = await gateway.client.call('session.run', {
      sid,
      command: `node -e "process.stdin.once('data', (data) => { console.log('node got ' + String(data).trim()); process.exit(0); })"`,
      wait: false,
    });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'input_wait' && event.runId === node.runId,
      10_000,
    );
    await gateway.client.call('session.input', { sid, data: 'three\r', runId: node.runId });
    const nodeDone = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === node.runId,
      10_000,
    );
    expect(nodeDone).toMatchObject({ exitCode: 0 });
    expect(gateway.outputOf(sid)).toContain('node got three');

    // A command that only sleeps is never taken for one that waits, nor is the shell back at its
    // prompt before its end is read.
    const slept = await gateway.client.call('session.run', {
      sid,
      command: 'sleep 2; test -e typed && echo typed || echo untyped',
    });
    expect(slept).toMatchObject({ completed: true, exitCode: 0 });
    const after = gateway.eventsOf(sid).filter((event) => event.seq > slept.startSeq);
    expect(after.some((event) => event.type === 'input_wait')).toBe(false);
    expect(after.some((event) => event.type === 'output' && event.data.includes('untyped'))).toBe(
      true,
    );
  });

  test('what is typed while the terminal reads without echo (a password) is kept in the log masked; other input as it is', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const secret = await gateway.client.call('session.run', {
      sid,
      command: `read -rs -p 'password? ' pw; echo; echo "got \${#pw} characters"`,
      wait: false,
    });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'input_wait' && event.runId === secret.runId,
      10_000,
    );
    await gateway.client.call('session.input', { sid, data: 'hunter2\r', runId: secret.runId });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === secret.runId,
      10_000,
    );
    expect(gateway.outputOf(sid)).toContain('got 7 characters');
    const plain = await gateway.client.call('session.run', {
      sid,
      command: 'head -n 1',
      wait: false,
    });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'input_wait' && event.runId === plain.runId,
      10_000,
    );
    await gateway.client.call('session.input', { sid, data: 'seen\r', runId: plain.runId });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === plain.runId,
      10_000,
    );
    const inputs = gateway.eventsOf(sid).filter((event) => event.type === 'input');
    expect(inputs.map(({ data, ...rest }) => ({ data, masked: 'masked' in rest }))).toEqual([
      { data: '***\r', masked: true },
      { data: 'seen\r', masked: false },
    ]);
    const log = fs.readFileSync(path.join(world.stateDir, 'sessions', sid, 'events.jsonl'), 'utf8');
    expect(log).not.toContain('hunter2');
  });

  test('exit ends the host; the next run starts a new one in the same cwd with history intact', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    await gateway.client.call('session.run', { sid, command: 'cd / && echo moved' });
    const exit = await gateway.client.call('session.run', { sid, command: 'exit 3' });
    expect(exit.exited).toBe(true);
    await gateway.waitForEvent(sid, (event) => event.type === 'host_exit');
    const hostExit = gateway.eventsOf(sid).find((event) => event.type === 'host_exit');
    expect(hostExit).toMatchObject({ code: 3 });
    await vi.waitFor(
      async () => {
        const { sessions } = await gateway.client.call('session.list', {});
        expect(sessions[0]?.status).toBe('ended');
      },
      { timeout: 15_000 },
    );
    const again = await gateway.client.call('session.run', { sid, command: 'pwd' });
    expect(again).toMatchObject({ exitCode: 0, cwd: '/' });
    // The answer may come before the run's events, which the attach streams from the new host.
    await gateway.waitForEvent(sid, (event) => event.seq === again.completeSeq);
    const starts = gateway.eventsOf(sid).filter((event) => event.type === 'host_start');
    expect(starts).toHaveLength(2);
    expect(starts[1]).toMatchObject({ cwd: '/' });
    // Each shell says once when it is ready, before the run typed into it.
    const milestones = gateway
      .eventsOf(sid)
      .filter((event) => ['host_start', 'shell_ready', 'run_start'].includes(event.type));
    expect(milestones.map((event) => event.type)).toEqual([
      'host_start',
      'shell_ready',
      'run_start',
      'run_start',
      'host_start',
      'shell_ready',
      'run_start',
    ]);
    expect(milestones[5]).toMatchObject({ cwd: '/' });
    expect(expectContiguous(gateway.eventsOf(sid))).toBe(true);
  });

  test('a client shown a session whose shell exited sees the runs another gateway starts in it', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    await gateway.client.call('session.run', { sid, command: 'exit 3' });
    await gateway.waitForEvent(sid, (event) => event.type === 'host_exit');
    // `lifeline exec` in another terminal: a gateway of its own starts a new shell and runs there.
    const other = await world.startGateway();
    const run = await other.client.call('session.run', { sid, command: 'echo from-elsewhere' });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === run.runId,
      10_000,
    );
    const events = gateway.eventsOf(sid);
    expect(
      events.some((event) => event.type === 'output' && event.data.includes('from-elsewhere')),
    ).toBe(true);
    expect(events.filter((event) => event.type === 'host_start')).toHaveLength(2);
    expect(expectContiguous(events)).toBe(true);
    // And the runs after it, live, through the host the other gateway started.
    const next = await other.client.call('session.run', { sid, command: 'echo and-again' });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === next.runId,
      10_000,
    );
  });
});

describe('attach and resume', () => {
  test('attaching after seq k gives exactly the events after k', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const run = await gateway.client.call('session.run', { sid, command: 'printf "a\\nb\\nc\\n"' });
    const k = run.startSeq;
    const second = await world.startGateway();
    const attached = await second.client.call('session.attach', { sid, afterSeq: k });
    expect(attached.lastSeq).toBeGreaterThanOrEqual(run.completeSeq ?? 0);
    await second.waitForEvent(sid, (event) => event.seq === attached.lastSeq);
    const received = second.eventsOf(sid);
    expect(received[0]?.seq).toBe(k + 1);
    expect(expectContiguous(received, k + 1)).toBe(true);
    const page = await second.client.call('session.events', { sid, fromSeq: k + 1, limit: 10_000 });
    expect(received.slice(0, page.events.length)).toEqual(page.events);
  });

  test('SIGKILL of the gateway mid-stream: a new gateway resumes the still-running command with no gap and no duplicate', async () => {
    world = new TestWorld();
    const first = await newSession(world);
    const { sid } = first;
    const started = await first.gateway.client.call('session.run', {
      sid,
      command: 'seq 1 200000',
      wait: false,
    });
    await first.gateway.waitForEvent(
      sid,
      (event) => event.type === 'output' && event.seq > started.startSeq + 3,
    );
    first.gateway.spawned.child.kill('SIGKILL');
    await first.gateway.spawned.transport.closed;
    const before = first.gateway.eventsOf(sid);
    const lastSeen = before.at(-1)?.seq ?? -1;
    expect(world.hostPids()).toHaveLength(1);

    const second = await world.startGateway();
    await second.client.call('session.attach', { sid, afterSeq: lastSeen });
    const complete = (await second.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === started.runId,
      30_000,
    )) as Extract<SessionEvent, { type: 'run_complete' }>;
    expect(complete.exitCode).toBe(0);

    const rendered = [
      ...before,
      ...second.eventsOf(sid).filter((event) => event.seq <= complete.seq),
    ];
    expect(expectContiguous(rendered)).toBe(true);
    const onDisk: SessionEvent[] = [];
    for (let fromSeq = 0; fromSeq <= complete.seq;) {
      const page = await second.client.call('session.events', { sid, fromSeq, limit: 10_000 });
      onDisk.push(...page.events);
      fromSeq = (page.events.at(-1)?.seq ?? complete.seq) + 1;
    }
    expect(rendered).toEqual(onDisk.filter((event) => event.seq <= complete.seq));
    const printed = rendered.map((event) => (event.type === 'output' ? event.data : '')).join('');
    // The command's echo and the bracketed-paste switch precede the first number on its line.
    const body = printed.slice(printed.indexOf('\r1\r\n') + 1);
    const numbers = body.split('\r\n').filter((line) => /^\d+$/.test(line));
    expect(numbers).toHaveLength(200_000);
    expect(numbers.at(-1)).toBe('200000');
  });

  test('a client attached with an output window is sent one window past what it reported, and all of it as it reports', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway();
    expect(gateway.capabilities).toContain('output-window');
    const { sid } = await gateway.client.call('session.create', { cwd: world.work });
    const window = 16 * 1024;
    await gateway.client.call('session.attach', { sid, outputWindow: window });
    const started = await gateway.client.call('session.run', {
      sid,
      command: 'seq 1 300000',
      wait: false,
    });
    const outputAfterStart = () =>
      gateway
        .eventsOf(sid)
        .filter((event) => event.seq > started.startSeq && event.type === 'output')
        .reduce((total, event) => total + (event.type === 'output' ? event.data.length : 0), 0);
    // Nothing reported yet: the stream stops once a window is out (an event is at most 64 Ki
    // characters), and the program, paused, cannot finish.
    await gateway.waitForEvent(
      sid,
      (event) => event.seq > started.startSeq && event.type === 'output',
    );
    let seen = -1;
    await vi.waitFor(
      async () => {
        const now = outputAfterStart();
        const changed = now !== seen;
        seen = now;
        if (changed) await new Promise((resolve) => setTimeout(resolve, 300));
        expect(outputAfterStart()).toBe(now);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(seen).toBeLessThanOrEqual(window + 64 * 1024);
    expect(seen).toBeLessThan(1_000_000);
    expect(gateway.eventsOf(sid).some((event) => event.type === 'run_complete')).toBe(false);
    // Reporting what arrived lets the rest through, with no gap and no duplicate.
    const report = () =>
      gateway.client.peer.notify('session.consumed', {
        sid,
        seq: gateway.eventsOf(sid).at(-1)?.seq ?? -1,
      });
    gateway.client.on('session.event', report);
    report();
    const complete = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.runId === started.runId,
      60_000,
    );
    const received = gateway.eventsOf(sid).filter((event) => event.seq <= complete.seq);
    expect(expectContiguous(received)).toBe(true);
    const printed = received.map((event) => (event.type === 'output' ? event.data : '')).join('');
    expect(
      printed
        .split('\r\n')
        .filter((line) => /^\d+$/.test(line))
        .at(-1),
    ).toBe('300000');
  });

  test('a log damaged mid-way: attaching again streams up to the damage, then says where it is', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    // More than a megabyte of output after the run's start: the log's index has an entry past it.
    const run = await gateway.client.call('session.run', {
      sid,
      command: "head -c 1200000 /dev/zero | tr '\\0' x; echo",
    });
    expect(run).toMatchObject({ completed: true, exitCode: 0 });
    await gateway.waitForEvent(sid, (event) => event.seq === run.completeSeq);
    // The run's start record garbled in place (the host, still appending, loses nothing).
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    garbleRecord(segment, run.startSeq);
    const unreadable: { sid: string; message: string }[] = [];
    gateway.client.on('session.unreadable', (notice) => unreadable.push(notice));
    await gateway.client.call('session.detach', { sid });
    gateway.events.delete(sid);
    await gateway.client.call('session.attach', { sid });
    await vi.waitFor(() => expect(unreadable).toHaveLength(1), { timeout: 10_000 });
    expect(unreadable[0]?.sid).toBe(sid);
    expect(unreadable[0]?.message).toContain(
      `event log damaged at seq ${run.startSeq} in ${segment}`,
    );
    expect(gateway.eventsOf(sid).map((event) => event.seq)).toEqual(
      Array.from({ length: run.startSeq }, (_, seq) => seq),
    );
    // The gateway itself is fine: other calls are answered, and the session's shell still runs.
    const again = await gateway.client.call('session.run', { sid, command: 'echo still' });
    expect(again).toMatchObject({ completed: true, exitCode: 0 });
    expect(gateway.eventsOf(sid).every((event) => event.seq < run.startSeq)).toBe(true);
  });

  test('a live session whose log ends in a line that is not a record: a program’s command is refused, not run', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    fs.appendFileSync(segment, 'GARBAGE\n');
    const marker = path.join(world.work, 'ran');
    const refused = await gateway.client
      .call('session.run', { sid, command: `touch ${marker}` })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({ code: LifelineErrorCode.SessionUnreadable });
    expect(String(refused)).toContain(`event log damaged at seq`);
    expect(String(refused)).toContain(segment);
    expect(fs.existsSync(marker)).toBe(false);
    // Its shell was left as it was.
    expect(world.hostPids()).toHaveLength(1);
  });

  test('an ended session whose last record is damaged: attaching is refused saying where, and no host starts on it', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const [hostPid] = world.hostPids();
    process.kill(hostPid ?? 0, 'SIGKILL');
    const exit = await gateway.waitForEvent(sid, (event) => event.type === 'host_exit');
    await gateway.client.call('session.detach', { sid });
    const segment = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
    garbleRecord(segment, exit.seq);
    const refused = await gateway.client.call('session.attach', { sid }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: LifelineErrorCode.SessionUnreadable });
    expect(String(refused)).toContain(`event log damaged at seq ${exit.seq} in ${segment}`);
    expect(world.hostPids()).toEqual([]);
  });

  test('keys sent once the host died are not typed into a new shell: refused, saying a command starts one', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const [hostPid] = world.hostPids();
    process.kill(hostPid ?? 0, 'SIGKILL');
    await gateway.waitForEvent(sid, (event) => event.type === 'host_exit');
    const marker = path.join(world.work, 'typed-after-death');
    const refused = await gateway.client
      .call('session.input', { sid, data: `touch ${marker}\r` })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({
      code: LifelineErrorCode.HostUnavailable,
      data: { sid, reason: 'no-shell' },
    });
    expect(String(refused)).toContain('the keys were not typed');
    // No shell was started for them, and none ran them.
    expect(world.hostPids()).toEqual([]);
    expect(gateway.eventsOf(sid).filter((event) => event.type === 'host_start')).toHaveLength(1);
    const result = await gateway.client.call('session.run', { sid, command: 'echo back' });
    expect(result).toMatchObject({ completed: true, exitCode: 0 });
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('SIGKILL of a host watched by two gateways: the clients of both are told of its exit, each time', async () => {
    // A TUI in each of two terminals, on one session: each has a gateway of its own, and both
    // record the lost host's exit at the same moment; the one that finds the other doing it must
    // still send its client the exit once it is on disk.
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const other = await world.startGateway();
    await other.client.call('session.attach', { sid, afterSeq: -1 });
    for (let round = 1; round <= 4; round += 1) {
      const [hostPid] = world.hostPids();
      process.kill(hostPid ?? 0, 'SIGKILL');
      for (const watching of [gateway, other]) {
        const exits = () =>
          watching.eventsOf(sid).filter((event) => event.type === 'host_exit').length;
        await vi.waitFor(() => expect(exits()).toBe(round), { timeout: 5000, interval: 20 });
      }
      // The next command starts a new host: killed at once, before the other gateway looks for
      // it (it does every 250 ms), or once it follows it.
      await gateway.client.call('session.run', { sid, command: 'true' });
    }
    expect(expectContiguous(other.eventsOf(sid))).toBe(true);
  });

  test('SIGKILL of a host records host_exit, and resuming starts a new host', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const [hostPid] = world.hostPids();
    expect(hostPid).toBeDefined();
    process.kill(hostPid ?? 0, 'SIGKILL');
    const exit = await gateway.waitForEvent(sid, (event) => event.type === 'host_exit');
    expect(exit).toMatchObject({ code: null });
    const result = await gateway.client.call('session.run', { sid, command: 'echo back' });
    expect(result).toMatchObject({ completed: true, exitCode: 0 });
    expect(gateway.eventsOf(sid).filter((event) => event.type === 'host_start')).toHaveLength(2);
    expect(world.hostPids()).not.toContain(hostPid);
  });
});

describe('bad input', () => {
  test('an unknown sid, a typo in params and an oversized command each get a clear error', async () => {
    world = new TestWorld();
    const { gateway, sid } = await newSession(world);
    const missing = 's_00000000000000000000000000';
    await expect(
      gateway.client.call('session.run', { sid: missing, command: 'ls' }),
    ).rejects.toMatchObject({
      code: LifelineErrorCode.SessionNotFound,
      message: expect.stringContaining(missing) as unknown,
    });
    await expect(
      gateway.client.peer.request('session.run', { sid, cmd: 'ls' }),
    ).rejects.toMatchObject({
      code: RpcErrorCode.InvalidParams,
      message: expect.stringMatching(/cmd/) as unknown,
    });
    await expect(
      gateway.client.call('session.run', { sid, command: 'x'.repeat(MAX_COMMAND_BYTES + 1) }),
    ).rejects.toMatchObject({
      code: LifelineErrorCode.PayloadTooLarge,
      data: { limit: MAX_COMMAND_BYTES },
    });
    await expect(gateway.client.call('session.create', { cwd: '/no/such/dir' })).rejects.toThrow(
      /not an existing directory/,
    );
    await expect(gateway.client.call('session.create', { shell: 'no-such-shell' })).rejects.toThrow(
      /not found or is not executable/,
    );
  });

  test('malformed lines, invalid requests and batches get the right JSON-RPC errors on stdout', async () => {
    world = new TestWorld();
    const child = spawn(process.execPath, [gatewayCliPath()], {
      env: world.env(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      const frames: unknown[] = [];
      let carry = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        carry += chunk;
        const lines = carry.split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) frames.push(JSON.parse(line));
      });
      child.stdin.write('this is not json\n');
      child.stdin.write('{"jsonrpc":"2.0","method":7,"id":1}\n');
      child.stdin.write('[]\n');
      child.stdin.write(
        '[{"jsonrpc":"2.0","method":"ping","id":"a"},{"jsonrpc":"2.0","method":"nope","id":"b"},{"jsonrpc":"2.0","method":"session.list"}]\n',
      );
      child.stdin.write('{"jsonrpc":"2.0","method":"session.list","id":2,"params":{"bogus":1}}\n');
      await vi.waitFor(() => expect(frames.length).toBeGreaterThanOrEqual(6), { timeout: 10_000 });
      const [ready, parse, invalid, empty, batch, params] = frames as Record<string, unknown>[];
      expect(ready).toMatchObject({
        method: 'ready',
        params: { protocol: 'lifeline', role: 'gateway' },
      });
      expect(parse).toMatchObject({ id: null, error: { code: -32700 } });
      expect(invalid).toMatchObject({ id: 1, error: { code: -32600 } });
      expect(empty).toMatchObject({ id: null, error: { code: -32600 } });
      expect(batch).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'a', result: {} }),
          expect.objectContaining({
            id: 'b',
            error: expect.objectContaining({ code: -32601 }) as unknown,
          }),
        ]),
      );
      expect(batch).toHaveLength(2);
      expect(params).toMatchObject({ id: 2, error: { code: -32602 } });
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('environment', () => {
  test('the shell gets NODE_EXTRA_CA_CERTS as it was; the session host starts without loading it', async () => {
    world = new TestWorld();
    // A file that is not there: a Node process that loads it warns about it on stderr.
    const certificates = path.join(world.root, 'corporate-ca.pem');
    const gateway = await world.startGateway({ env: { NODE_EXTRA_CA_CERTS: certificates } });
    const { sid } = await gateway.client.call('session.create', { cwd: world.work });
    await gateway.client.call('session.attach', { sid });
    const run = await gateway.client.call('session.run', {
      sid,
      command:
        'echo "certificates=$NODE_EXTRA_CA_CERTS deferred=${LIFELINE_DEFERRED_NODE_EXTRA_CA_CERTS-none}"',
    });
    expect(run.exitCode).toBe(0);
    await gateway.waitForEvent(sid, (event) => event.seq === run.completeSeq);
    expect(gateway.outputOf(sid)).toContain(`certificates=${certificates} deferred=none`);
    const [host] = world.hostPids();
    const hostEnvironment = fs.readFileSync(`/proc/${host}/environ`, 'utf8').split('\0');
    expect(hostEnvironment.filter((entry) => entry.startsWith('NODE_EXTRA_CA_CERTS='))).toEqual([]);
    expect(
      fs.readFileSync(path.join(world.stateDir, 'sessions', sid, 'host.log'), 'utf8'),
    ).not.toContain('extra certs');
  });

  test('the session host runs with one malloc arena; a shell whose user set none gets no MALLOC_ARENA_MAX', async () => {
    world = new TestWorld();
    const gateway = await world.startGateway();
    const { sid } = await gateway.client.call('session.create', { cwd: world.work });
    await gateway.client.call('session.attach', { sid });
    const run = await gateway.client.call('session.run', {
      sid,
      command: 'echo "arenas=${MALLOC_ARENA_MAX-none} added=${LIFELINE_ADDED_VARIABLES-none}"',
    });
    expect(run.exitCode).toBe(0);
    await gateway.waitForEvent(sid, (event) => event.seq === run.completeSeq);
    expect(gateway.outputOf(sid)).toContain('arenas=none added=none');
    const [host] = world.hostPids();
    const hostEnvironment = fs.readFileSync(`/proc/${host}/environ`, 'utf8').split('\0');
    expect(hostEnvironment).toContain('MALLOC_ARENA_MAX=1');
  });
});
