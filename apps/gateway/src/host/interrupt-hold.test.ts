// Ctrl+C at a bash, zsh or fish prompt clears the line being read; a line typed right after it (in
// the same write, as a paste or a program sends it) is a line of its own and runs, whole.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { TestWorld } from '../test-utils/gateway-harness.js';
import { InterruptHold } from './interrupt-hold.js';

let world: TestWorld | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await world?.dispose();
  world = undefined;
});

// (fish under load sometimes acts on a Ctrl+C only once the next key comes, whatever is held.)
test.each(['bash', 'zsh'])(
  '%s: a line typed in the same write as the Ctrl+C that clears the prompt runs, and the line cleared does not',
  async (shell) => {
    world = new TestWorld();
    // zsh asks a new user to set it up unless there is a .zshrc.
    fs.writeFileSync(path.join(world.home, '.zshrc'), '');
    const gateway = await world.startGateway();
    const { sid } = await gateway.client.call('session.create', {
      cwd: world.work,
      shell: `/bin/${shell}`,
    });
    await gateway.client.call('session.attach', { sid });
    await gateway.client.call('session.run', { sid, command: 'true' });
    await gateway.client.call('session.input', { sid, data: 'echo thrown-away' });
    await gateway.client.call('session.input', { sid, data: '\x03echo typed-after\r' });
    const run = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_start' && event.command === 'echo typed-after',
    );
    const complete = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.startSeq === run.seq,
    );
    expect(complete).toMatchObject({ exitCode: 0 });
    expect(gateway.outputOf(sid)).toMatch(/^typed-after\r?$/m);
    expect(gateway.outputOf(sid)).not.toMatch(/^thrown-away\r?$/m);
  },
  60_000,
);

test('keys held after Ctrl+C go, in order, at the next prompt or after 200 ms without one', () => {
  vi.useFakeTimers();
  const typed: string[] = [];
  const hold = new InterruptHold<string>((held) => typed.push(...held));
  hold.start();
  hold.hold('echo ');
  hold.hold('one\r');
  expect(typed).toEqual([]);
  hold.release();
  expect(typed).toEqual(['echo ', 'one\r']);
  expect(hold.holding).toBe(false);

  hold.start();
  hold.hold('two');
  vi.advanceTimersByTime(199);
  expect(typed).toHaveLength(2);
  vi.advanceTimersByTime(1);
  expect(typed).toEqual(['echo ', 'one\r', 'two']);

  // The shell exited: nothing held is typed into the next one.
  hold.start();
  hold.hold('three');
  hold.stop();
  vi.advanceTimersByTime(1000);
  expect(typed).toHaveLength(3);
});
