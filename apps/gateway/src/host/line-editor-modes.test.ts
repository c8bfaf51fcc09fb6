// Keys someone typed at the prompt can leave the shell's line editor in a mode of its own (a history
// search, vi command mode, a Meta prefix after a lone Esc), where a run's text would be taken as
// keys of that mode: runs wait until the line there is run or cleared.
import fs from 'node:fs';
import path from 'node:path';
import { LifelineErrorCode } from '@lifeline/protocol';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { sessionAfterRun, TestWorld } from '../test-utils/gateway-harness.js';

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

describe.each(['bash', 'zsh', 'fish'])(
  '%s: a Tab that completed the word holds no run back',
  (shell) => {
    test.each([
      ['a Tab', '\t'],
      ['a Tab, then Ctrl+U', '\t\x15'],
    ])(
      'after %s, a run sets the line aside and runs',
      async (_name, keys) => {
        const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
        fs.writeFileSync(path.join(world.work, 'some-uniq-file'), '');
        await gateway.client.call('session.input', { sid, data: 'ls some-uniq' });
        for (const key of keys) await gateway.client.call('session.input', { sid, data: key });
        const ran = await gateway.client.call('session.run', {
          sid,
          command: 'echo from-run',
          timeoutMs: 20_000,
        });
        expect(ran).toMatchObject({ completed: true, exitCode: 0 });
      },
      60_000,
    );
  },
);

// bash asks at the second Tab (the first only rings), zsh at the first.
describe.each([
  ['bash', '\t\t'],
  ['zsh', '\t'],
])('%s: a completion that asks whether to list', (shell, tabs) => {
  test('holds a run back until it is answered', async () => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    for (let index = 0; index < 400; index += 1) {
      fs.writeFileSync(path.join(world.work, `many-${index}`), '');
    }
    await gateway.client.call('session.input', { sid, data: 'ls many-' });
    for (const tab of tabs) await gateway.client.call('session.input', { sid, data: tab });
    await vi.waitFor(() => expect(gateway.outputOf(sid)).toMatch(/possibilities/), {
      timeout: 20_000,
    });
    const refused = await gateway.client
      .call('session.run', { sid, command: 'echo from-run', timeoutMs: 1000 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ data: { reason: 'line-editor-mode' } });
    // Nothing of the run answered the question.
    expect(gateway.outputOf(sid)).not.toMatch(/many-399/);
    // Answered, and a line typed afterwards: zsh shows it edits the line again; bash clears the mode
    // at the prompt Ctrl+C brings.
    await gateway.client.call('session.input', { sid, data: 'n' });
    await gateway.client.call('session.input', { sid, data: shell === 'zsh' ? '\x15' : '\x03' });
    const ran = await gateway.client.call('session.run', {
      sid,
      command: 'echo from-run',
      timeoutMs: 20_000,
    });
    expect(ran).toMatchObject({ completed: true, exitCode: 0 });
  }, 60_000);
});

// zsh shows it edits the line again; bash draws its prompt again when a search ends; fish's
// integration binds Esc and its Ctrl+C key.
describe.each([
  ['zsh', 'Ctrl+G', '\x12tr', '\x07'],
  ['bash', 'Ctrl+G', '\x12tr', '\x07'],
  ['bash', 'Esc', '\x12tr', '\x1b'],
  ['fish', 'Esc', '\x12tr', '\x1b'],
  ['fish', 'Ctrl+C on a search that matches nothing', '\x12zzz', '\x03'],
])('%s: a history search', (shell, cancelName, searchKeys, cancelKey) => {
  test(`holds a run back while it is open, and lets it go once ${cancelName} cancelled it`, async () => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    await searchHoldsRunsUntilCancelled(gateway, sid, searchKeys, cancelKey);
  }, 60_000);
});

// bash draws only the last line of a prompt of several again as a search ends.
describe.each([
  ['Ctrl+G', '\x07'],
  ['Esc', '\x1b'],
])('bash with a prompt of two lines: a history search', (cancelName, cancelKey) => {
  test(`lets runs go once ${cancelName} cancelled it`, async () => {
    const { gateway, sid } = await sessionAfterRun((started) => {
      world = started;
      fs.writeFileSync(path.join(started.home, '.bashrc'), "PS1='\\u@\\h \\w\\n\\$ '\n");
    }, 'bash');
    await searchHoldsRunsUntilCancelled(gateway, sid, '\x12tr', cancelKey);
  }, 60_000);
});

test('bash in vi mode: an Escape, then A back to insert mode, holds no run back, and the line typed comes back after it', async () => {
  const { gateway, sid } = await sessionAfterRun((started) => {
    world = started;
    fs.writeFileSync(path.join(started.home, '.bashrc'), 'set -o vi\n');
  }, 'bash');
  // Typed apart, as a person types them.
  for (const keys of ['echo abc', '\x1b', 'A', 'def'])
    await gateway.client.call('session.input', { sid, data: keys });
  const ran = await gateway.client.call('session.run', {
    sid,
    command: 'echo from-run',
    timeoutMs: 5_000,
  });
  expect(ran).toMatchObject({ completed: true, exitCode: 0 });
  // The line is back as it was typed, in insert mode: Enter runs it.
  await gateway.client.call('session.input', { sid, data: '\r' });
  await vi.waitFor(() => expect(gateway.outputOf(sid)).toMatch(/^abcdef\r?$/m), {
    timeout: 10_000,
  });
}, 60_000);

/**
 * Types `searchKeys` (a search opened) and checks that runs wait, then `cancelKey`: every run from
 * then on starts, and nothing of them was typed into the search.
 */
async function searchHoldsRunsUntilCancelled(
  gateway: Awaited<ReturnType<typeof sessionAfterRun>>['gateway'],
  sid: string,
  searchKeys: string,
  cancelKey: string,
): Promise<void> {
  await gateway.client.call('session.input', { sid, data: searchKeys });
  const refused = await gateway.client
    .call('session.run', { sid, command: 'echo from-run', timeoutMs: 1000 })
    .catch((error: unknown) => error);
  expect(refused).toMatchObject({ data: { reason: 'line-editor-mode' } });
  await gateway.client.call('session.input', { sid, data: cancelKey });
  // Every run from then on starts: the search is over for good.
  for (const command of ['echo from-run', 'echo second-run', 'echo third-run']) {
    const ran = await gateway.client.call('session.run', { sid, command, timeoutMs: 5_000 });
    expect(ran).toMatchObject({ completed: true, exitCode: 0 });
  }
  // Nothing of the runs was typed into the search, and the search ran nothing.
  const commands = gateway
    .eventsOf(sid)
    .flatMap((event) => (event.type === 'run_start' ? [event.command] : []));
  expect(commands).toEqual(['true', 'echo from-run', 'echo second-run', 'echo third-run']);
  expect(gateway.outputOf(sid)).toMatch(/from-run\r?\n/);
}
