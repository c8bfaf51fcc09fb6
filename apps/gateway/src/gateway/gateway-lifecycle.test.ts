import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, expect, test, vi } from 'vitest';
import { gatewayCliPath, hostEntryPath } from '../entry-points.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

test('the host listens on a 0600 socket in a 0700 directory and keeps its files private', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionDir = path.join(world.stateDir, 'sessions', sid);
  expect(fs.statSync(sessionDir).mode & 0o777).toBe(0o700);
  expect(fs.statSync(path.join(sessionDir, 'host.sock')).mode & 0o777).toBe(0o600);
  for (const file of ['session.json', 'events.jsonl', 'events.idx', 'host.lock']) {
    expect(fs.statSync(path.join(sessionDir, file)).mode & 0o777, file).toBe(0o600);
  }
});

test('a session whose socket file was removed (as a cleaner of temporary files does) is reached again: a new gateway runs a command in the same shell', async () => {
  world = new TestWorld();
  const first = await world.startGateway();
  const { sid } = await first.client.call('session.create', { cwd: world.work });
  await first.client.call('session.run', { sid, command: 'kept=still-here' });
  const socket = path.join(world.stateDir, 'sessions', sid, 'host.sock');
  fs.rmSync(socket);
  await vi.waitFor(() => expect(fs.existsSync(socket)).toBe(true), { timeout: 10_000 });
  expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
  const second = await world.startGateway();
  const run = await second.client.call('session.run', { sid, command: 'echo "$kept"' });
  expect(run).toMatchObject({ completed: true, exitCode: 0 });
  await second.client.call('session.attach', { sid, afterSeq: run.startSeq - 1 });
  await second.waitForEvent(
    sid,
    (event) => event.type === 'output' && event.data.includes('still-here'),
  );
  // The gateway connected before goes on as it was.
  const again = await first.client.call('session.run', { sid, command: 'true' });
  expect(again).toMatchObject({ completed: true, exitCode: 0 });
});

test('a session host started by hand without its one argument says what it takes and exits 2', () => {
  world = new TestWorld();
  for (const args of [[], ['s_01hzy3k7m2q9v8c4x6t1b5n0rd', 'extra']]) {
    const result = spawnSync(process.execPath, [hostEntryPath(), ...args], {
      env: world.env(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('expected exactly one argument, the session id');
  }
});

test('a stdio gateway exits when its stdin closes, and the hosts keep running', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  await gateway.client.call('session.create', { cwd: world.work });
  gateway.spawned.child.stdin?.end();
  const info = await gateway.spawned.transport.closed;
  expect(info.exitCode).toBe(0);
  expect(world.hostPids()).toHaveLength(1);
});

test.each(['SIGTERM', 'SIGHUP'] as const)(
  '%s makes the gateway leave a breadcrumb and exit promptly',
  async (signal) => {
    world = new TestWorld();
    const child = spawn(process.execPath, [gatewayCliPath()], {
      env: { ...world.env(), LIFELINE_CRASH_LOG: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill(signal);
      expect(await exited).toBe(128 + (signal === 'SIGTERM' ? 15 : 1));
      const events = world.crashLogEvents().filter((entry) => entry.source === 'gateway');
      expect(events).toContainEqual(
        expect.objectContaining({
          event: 'signal.received',
          fields: expect.objectContaining({ signal }) as unknown,
        }),
      );
    } finally {
      child.kill('SIGKILL');
    }
  },
);

test('a new gateway finds a host that died with its gateway: the session is ended, its socket gone, its exit recorded', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const [hostPid] = world.hostPids();
  gateway.spawned.child.kill('SIGKILL');
  process.kill(hostPid ?? 0, 'SIGKILL');
  await vi.waitFor(() => expect(world.hostPids()).toHaveLength(0));
  const socket = path.join(world.stateDir, 'sessions', sid, 'host.sock');
  expect(fs.existsSync(socket)).toBe(true);

  const next = await world.startGateway();
  const { sessions } = await next.client.call('session.list', {});
  expect(sessions).toEqual([expect.objectContaining({ sid, status: 'ended' })]);
  expect(fs.existsSync(socket)).toBe(false);
  const { events } = await next.client.call('session.events', { sid, fromSeq: 0 });
  expect(events.at(-2)).toMatchObject({
    type: 'note',
    text: 'the session host died while no gateway was watching',
  });
  expect(events.at(-1)).toMatchObject({ type: 'host_exit', code: null });

  // More gateways, and a new host for the session: the one death stays recorded once.
  const third = await world.startGateway();
  await third.client.call('session.list', {});
  await third.client.call('session.run', { sid, command: 'true' });
  const after = (await third.client.call('session.events', { sid, fromSeq: 0 })).events;
  const deathRecords = after.filter((event) => event.type === 'host_exit' || event.type === 'note');
  expect(deathRecords.map((event) => event.type)).toEqual(['note', 'host_exit']);
});

test('a client that stops reading pauses the PTY instead of growing memory, and nothing is lost once it reads again', async () => {
  world = new TestWorld();
  const child = spawn(process.execPath, [gatewayCliPath()], {
    env: { ...world.env(), LIFELINE_CRASH_LOG: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    let received = '';
    const onData = (chunk: Buffer) => (received += chunk.toString());
    child.stdout.on('data', onData);
    const send = (id: number, method: string, params: unknown) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    send(1, 'session.create', { cwd: world.work });
    await vi.waitFor(() => expect(received).toContain('"id":1'), { timeout: 15_000 });
    const sid = /"sid":"(s_[0-9a-z]{26})"/.exec(received)?.[1] ?? '';
    send(2, 'session.attach', { sid });
    await vi.waitFor(() => expect(received).toContain('"id":2'));
    // 40 MB of output, while nobody reads the gateway's stdout. It starts a second after the
    // command was typed: for half a second after keys are taken the PTY is not paused (their echo
    // would be lost), and a fast machine printed all 40 MB within it (to the log, not to memory).
    child.stdout.off('data', onData);
    child.stdout.pause();
    send(3, 'session.run', {
      sid,
      command: 'sleep 1; head -c 40000000 /dev/zero | tr "\\0" "\\170"; echo; echo done',
      timeoutMs: 120_000,
    });
    // Generous: on a loaded machine the shell may take long to start. A failure names what the
    // crash log has, and what the gateway wrote last that was read.
    const logged = () => {
      const log = path.join(world.stateDir, 'sessions', sid, 'events.jsonl');
      const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
      return lines
        .slice(-6)
        .map((line) => line.slice(0, 160))
        .join('\n');
    };
    await vi.waitFor(
      () => {
        const events = world.crashLogEvents().map((entry) => entry.event);
        expect(
          events,
          `${events.join(' ')}; read last: ${received.slice(-300)}; the log ends:\n${logged()}`,
        ).toContain('flow.pause');
      },
      { timeout: 60_000 },
    );
    const [hostPid] = world.hostPids();
    const rssMb = (pid: number) =>
      Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) /
      1024;
    const gatewayPid = child.pid ?? 0;
    expect(rssMb(hostPid ?? 0)).toBeLessThan(250);
    expect(rssMb(gatewayPid)).toBeLessThan(250);

    // Read again: every byte arrives and the run completes. Only the run's own output counts, from
    // the line after the command's echo: the prompts around it (and the one the line editor draws
    // again with the command line as Enter is pressed) show the cwd, whose random name may hold an x.
    let xs = 0;
    let carry = '';
    let completed = false;
    let inRun = false;
    let pastEcho = false;
    let runCompleteSeen = false;
    child.stdout.on('data', (chunk: Buffer) => {
      carry += chunk.toString();
      const lines = carry.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const frame = JSON.parse(line) as {
          method?: string;
          params?: { type: string; data?: string };
          id?: number;
        };
        if (frame.params?.type === 'run_start') inRun = true;
        if (frame.params?.type === 'run_complete') {
          inRun = false;
          runCompleteSeen = true;
        }
        if (inRun && frame.params?.type === 'output') {
          let data = frame.params.data ?? '';
          if (!pastEcho) {
            const echoEnd = data.indexOf('\n');
            pastEcho = echoEnd !== -1;
            data = pastEcho ? data.slice(echoEnd + 1) : '';
          }
          xs += data.split('x').length - 1;
        }
        if (frame.id === 3) completed = true;
      }
    });
    child.stdout.resume();
    await vi.waitFor(() => expect(completed && runCompleteSeen).toBe(true), { timeout: 60_000 });
    expect(xs).toBe(40_000_000);
  } finally {
    child.kill('SIGKILL');
  }
}, 120_000);

test('a frame over the size limit makes a stdio gateway say why on stderr and exit 1', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  gateway.spawned.child.stdin?.write(
    `{"jsonrpc":"2.0","id":1,"method":"session.list","params":{"x":"${'x'.repeat(17 * 1024 * 1024)}"}}\n`,
  );
  const info = await gateway.spawned.transport.closed;
  expect(info.exitCode).toBe(1);
  expect(info.stderrTail).toContain(
    'lifeline-gateway: a frame from the client was larger than the limit',
  );
});

test('attaching after a seq beyond the end of the log is refused, naming the last seq', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const { lastSeq } = await gateway.client.call('session.attach', { sid });
  await expect(
    gateway.client.call('session.attach', { sid, afterSeq: lastSeq + 50 }),
  ).rejects.toThrow(`afterSeq ${lastSeq + 50} is beyond the end of the log of session ${sid}`);
});
