// Keys someone typed at the prompt can leave the shell's line editor in a mode of its own (a history
// search, vi command mode, a Meta prefix after a lone Esc), where a run's text would be taken as
// keys of that mode: runs wait until the line there is run or cleared.
import { LifelineErrorCode } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

test('a run waits while typed keys hold the line editor in a search or after a lone Esc, and starts once the line is cleared', async () => {
  world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.attach', { sid });
  await gateway.client.call('session.run', { sid, command: 'true' });
  for (const keys of ['\x12ech', 'touch typed-not-run\x1b']) {
    await gateway.client.call('session.input', { sid, data: keys });
    // Not idle: a run asked for only if the session is refuses at once.
    const notIdle = await gateway.client
      .call('session.run', { sid, command: 'echo from-run', ifIdle: true })
      .catch((error: unknown) => error);
    expect(notIdle, JSON.stringify(keys)).toMatchObject({
      code: LifelineErrorCode.SessionBusy,
      data: { reason: 'line-editor-mode' },
    });
    const refused = await gateway.client
      .call('session.run', { sid, command: 'echo from-run', timeoutMs: 1000 })
      .catch((error: unknown) => error);
    expect(refused, JSON.stringify(keys)).toMatchObject({
      code: LifelineErrorCode.SessionBusy,
      data: { reason: 'line-editor-mode' },
      message: expect.stringMatching(
        /keys had left the session's line editor in a mode of its own .*; run or clear that line \(Enter; Ctrl\+C in bash and zsh\), then run the command again$/,
      ) as unknown,
    });
    // Ctrl+C clears the line and the mode: a new prompt, and runs start again.
    await gateway.client.call('session.input', { sid, data: '\x03' });
    const ran = await gateway.client.call('session.run', {
      sid,
      command: 'echo from-run',
      timeoutMs: 10_000,
    });
    expect(ran, JSON.stringify(keys)).toMatchObject({ completed: true, exitCode: 0 });
  }
  // Only the commands asked for ran, as asked: nothing was typed into the search or after the Esc.
  const commands = gateway
    .eventsOf(sid)
    .flatMap((event) => (event.type === 'run_start' ? [event.command] : []));
  expect(commands).toEqual(['true', 'echo from-run', 'echo from-run']);
  expect(gateway.outputOf(sid)).not.toMatch(/command not found|typed-not-run\[9/);
}, 60_000);
