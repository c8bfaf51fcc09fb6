// A command someone types line by line (a loop, a here-document) waits at the shell's
// continuation prompt for its rest, as it does without Lifeline. Runs asked for meanwhile
// (`session.run`, `lifeline exec`) are never typed into it: they wait until the shell is back at
// its prompt, and a timeout says why.
import { LifelineErrorCode, type SessionEvent } from '@lifeline/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { type GatewayClient, TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

type RunStart = Extract<SessionEvent, { type: 'run_start' }>;
type RunComplete = Extract<SessionEvent, { type: 'run_complete' }>;

/** The runs of the log in the order they started, with their status once complete. */
function runsOf(gateway: GatewayClient, sid: string) {
  const events = gateway.eventsOf(sid);
  const completes = new Map(
    events
      .filter((event): event is RunComplete & { seq: number } => event.type === 'run_complete')
      .map((event) => [event.runId, event]),
  );
  return events
    .filter((event): event is RunStart & { seq: number } => event.type === 'run_start')
    .map((start) => ({
      runId: start.runId,
      command: start.command,
      origin: start.origin,
      startSeq: start.seq,
      exitCode: completes.get(start.runId)?.exitCode,
      completeSeq: completes.get(start.runId)?.seq,
    }));
}

/** Output between a run's start and its completion. */
function outputOfRun(gateway: GatewayClient, sid: string, runId: string): string {
  const events = gateway.eventsOf(sid);
  const start = events.findIndex((event) => event.type === 'run_start' && event.runId === runId);
  let text = '';
  for (const event of events.slice(start + 1)) {
    if (event.type === 'run_complete' && event.runId === runId) break;
    if (event.type === 'output') text += event.data;
  }
  return text;
}

/** Types a line into the session and waits for the shell's continuation prompt after it. */
async function typeAndAwaitContinuation(gateway: GatewayClient, sid: string, line: string) {
  const before = gateway.outputOf(sid).length;
  await gateway.client.call('session.input', { sid, data: `${line}\r` });
  await gateway.waitForEvent(sid, () => gateway.outputOf(sid).slice(before).includes('> '), 20_000);
}

describe.each(['/bin/bash', '/usr/bin/zsh'])('with %s', (shell) => {
  async function newSession() {
    world = new TestWorld();
    const gateway = await world.startGateway();
    const { sid } = await gateway.client.call('session.create', { cwd: world.work, shell });
    await gateway.client.call('session.attach', { sid });
    await gateway.client.call('session.run', { sid, command: 'true', timeoutMs: 20_000 });
    return { gateway, sid };
  }

  test('a loop typed line by line is one run; a run asked for meanwhile waits for it, then runs on its own', async () => {
    const { gateway, sid } = await newSession();
    await typeAndAwaitContinuation(gateway, sid, 'for i in 1 2; do');
    // Not typed into the loop: refused once its time is up, saying why.
    const refused = await gateway.client
      .call('session.run', { sid, command: 'echo from-exec-early', timeoutMs: 1000 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: LifelineErrorCode.SessionBusy,
      data: { reason: 'continuation' },
      message: expect.stringMatching(
        /waiting for more lines \(a continuation prompt, "> "\) for 1s, so the command was not started .*; finish that command or cancel it \(Ctrl\+C\), then run the command again$/,
      ) as unknown,
    });
    // A session that is not idle: ifIdle refuses at once.
    await expect(
      gateway.client.call('session.run', { sid, command: 'echo idle-only', ifIdle: true }),
    ).rejects.toMatchObject({
      code: LifelineErrorCode.SessionBusy,
      data: { reason: 'continuation' },
    });
    // One that waits long enough starts once the loop has run.
    const waiting = gateway.client.call('session.run', {
      sid,
      command: 'echo from-exec',
      timeoutMs: 30_000,
    });
    await typeAndAwaitContinuation(gateway, sid, 'echo looped-$i');
    await gateway.client.call('session.input', { sid, data: 'done\r' });
    expect(await waiting).toMatchObject({ completed: true, exitCode: 0 });
    const runs = runsOf(gateway, sid);
    expect(runs.map(({ command, origin, exitCode }) => ({ command, origin, exitCode }))).toEqual([
      { command: 'true', origin: 'lifeline', exitCode: 0 },
      { command: 'for i in 1 2; do\necho looped-$i\ndone', origin: 'shell', exitCode: 0 },
      { command: 'echo from-exec', origin: 'lifeline', exitCode: 0 },
    ]);
    const [, loop, exec] = runs;
    expect(exec!.startSeq).toBeGreaterThan(loop!.completeSeq!);
    expect(outputOfRun(gateway, sid, loop!.runId)).toMatch(/looped-1\r\nlooped-2\r\n/);
    expect(outputOfRun(gateway, sid, loop!.runId)).not.toContain('from-exec');
    expect(outputOfRun(gateway, sid, exec!.runId)).toContain('from-exec');
    expect(gateway.outputOf(sid)).not.toMatch(/from-exec-early|idle-only|incomplete/);
  });

  test('Ctrl+C at the continuation prompt cancels the command (130); a run waiting for it starts then', async () => {
    const { gateway, sid } = await newSession();
    await typeAndAwaitContinuation(gateway, sid, 'cat <<EOF');
    await typeAndAwaitContinuation(gateway, sid, 'never shown');
    const waiting = gateway.client.call('session.run', {
      sid,
      command: 'echo after-cancel',
      timeoutMs: 30_000,
    });
    // Under load bash and zsh may act on a Ctrl+C typed at their prompt only once the next key
    // comes, as a person would press it again: a second one at the fresh prompt starts nothing.
    for (let attempt = 1; ; attempt++) {
      await gateway.client.call('session.input', { sid, data: '\x03' });
      const cancelled = await gateway
        .waitForEvent(sid, () => runsOf(gateway, sid).some((run) => run.exitCode === 130), 2000)
        .then(
          () => true,
          () => false,
        );
      if (cancelled) break;
      if (attempt === 5) throw new Error('the shell never acted on Ctrl+C');
    }
    expect(await waiting).toMatchObject({ completed: true, exitCode: 0 });
    expect(
      runsOf(gateway, sid).map(({ command, origin, exitCode }) => ({ command, origin, exitCode })),
    ).toEqual([
      { command: 'true', origin: 'lifeline', exitCode: 0 },
      { command: 'cat <<EOF\nnever shown', origin: 'shell', exitCode: 130 },
      { command: 'echo after-cancel', origin: 'lifeline', exitCode: 0 },
    ]);
    // The session is at its prompt again: what is typed next is a command of its own.
    await gateway.client.call('session.input', { sid, data: 'echo typed-next\r' });
    await gateway.waitForEvent(
      sid,
      () =>
        runsOf(gateway, sid).some((run) => run.command === 'echo typed-next' && run.exitCode === 0),
      20_000,
    );
  });
});
