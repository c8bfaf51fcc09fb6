// Ctrl+C at a bash, zsh or fish prompt clears the line being read; a line typed right after it (in
// the same write, as a paste or a program sends it) is a line of its own and runs, whole.
import { afterEach, expect, test, vi } from 'vitest';
import {
  type GatewayClient,
  sessionAfterRun,
  type TestWorld,
} from '../test-utils/gateway-harness.js';
import { InterruptHold, typesKeyAfterInterrupt } from './interrupt-hold.js';

let world: TestWorld | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await world?.dispose();
  world = undefined;
});

// (fish gets Ctrl+C at its prompt as a key of its integration, read in order with the line after it.)
test.each(['bash', 'zsh', 'fish'])(
  '%s: a line typed in the same write as the Ctrl+C that clears the prompt runs, and the line cleared does not',
  async (shell) => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    await gateway.client.call('session.input', { sid, data: 'echo thrown-away' });
    await gateway.client.call('session.input', { sid, data: '\x03echo typed-after\r' });
    await expectRunOfTypedLine(gateway, sid);
  },
  60_000,
);

// bash and zsh act on an interrupt that comes while they draw the line only once another key
// arrives, and throw that key away with the line.
test.each(['bash', 'zsh'])(
  '%s: Ctrl+C while the shell still draws a long line, and a line typed with it: that line runs whole',
  async (shell) => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    await gateway.client.call('session.input', {
      sid,
      data: `echo thrown-away${'x'.repeat(20_000)}`,
    });
    await vi.waitFor(
      () => {
        expect(gateway.outputOf(sid)).toContain('x'.repeat(50));
      },
      { timeout: 15_000, interval: 5 },
    );
    await gateway.client.call('session.input', { sid, data: '\x03echo typed-after\r' });
    await expectRunOfTypedLine(gateway, sid);
  },
  60_000,
);

// Keys held after one Ctrl+C went at the next prompt's frame: a Ctrl+C among them, typed while bash
// still ran its prompt commands (a slow one here, as a prompt that asks git is), reached the
// terminal before bash's line editor had it: the terminal echoed it, and the key typed after an
// interrupt with it (`^C^[[9;6~` on a line of its own, each time).
test.each([
  ['bash', "PROMPT_COMMAND+=('sleep 0.2')"],
  ['zsh', '__slow() { sleep 0.2 }; precmd_functions+=(__slow)'],
])(
  '%s with a slow prompt command: Ctrl+C at the prompt and again as its hooks run, round after round, then a command: the key after an interrupt never shows, and the command runs',
  async (shell, slowPrompt) => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    await gateway.client.call('session.input', { sid, data: `${slowPrompt}\r` });
    const setUp = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_start' && event.command === slowPrompt,
    );
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'run_complete' && event.startSeq === setUp.seq,
    );
    // Ctrl+C at the prompt, and again while the prompt hooks run after it: twice a second.
    for (let round = 0; round < 5; round += 1) {
      await gateway.client.call('session.input', { sid, data: '\x03' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await gateway.client.call('session.input', { sid, data: '\x03' });
      await new Promise((resolve) => setTimeout(resolve, 450));
    }
    await gateway.client.call('session.input', { sid, data: 'echo typed-after\r' });
    await expectRunOfTypedLine(gateway, sid);
    expect(gateway.outputOf(sid)).not.toContain('[9;6~');
  },
  60_000,
);

/** `echo typed-after` ran whole, and the line cleared before it did not run. */
async function expectRunOfTypedLine(gateway: GatewayClient, sid: string): Promise<void> {
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
  expect(gateway.outputOf(sid)).not.toMatch(/^thrown-away/m);
}

test('keys held after Ctrl+C go, in order, at the next prompt or after the limit without one', () => {
  vi.useFakeTimers();
  const typed: string[] = [];
  const hold = new InterruptHold<string>((held) => typed.push(...held));
  hold.start(200);
  hold.hold('echo ');
  hold.hold('one\r');
  expect(typed).toEqual([]);
  hold.release();
  expect(typed).toEqual(['echo ', 'one\r']);
  expect(hold.holding).toBe(false);

  hold.start(200);
  hold.hold('two');
  vi.advanceTimersByTime(199);
  expect(typed).toHaveLength(2);
  vi.advanceTimersByTime(1);
  expect(typed).toEqual(['echo ', 'one\r', 'two']);

  // The shell exited: nothing held is typed into the next one.
  hold.start(200);
  hold.hold('three');
  hold.stop();
  vi.advanceTimersByTime(1000);
  expect(typed).toHaveLength(3);
});

test('what runs at the limit runs before the held keys, and only when no prompt came first', () => {
  vi.useFakeTimers();
  const typed: string[] = [];
  const hold = new InterruptHold<string>((held) => typed.push(...held));
  hold.start(200, () => typed.push('nudge'));
  hold.hold('one\r');
  vi.advanceTimersByTime(200);
  expect(typed).toEqual(['nudge', 'one\r']);

  hold.start(200, () => typed.push('nudge'));
  hold.hold('two\r');
  hold.release();
  vi.advanceTimersByTime(1000);
  expect(typed).toEqual(['nudge', 'one\r', 'two\r']);

  hold.start(200, () => typed.push('nudge'));
  hold.stop();
  vi.advanceTimersByTime(1000);
  expect(typed).toHaveLength(3);
  vi.useRealTimers();
});

test('bash or zsh waiting for a key gets no key after a lone Ctrl+C; busy, or woken by keys before it, it does; fish always', () => {
  const waited = () => true;
  const busy = () => false;
  expect(typesKeyAfterInterrupt('bash', '\x03', waited)).toBe(false);
  expect(typesKeyAfterInterrupt('bash', '\x03\x03', waited)).toBe(false);
  expect(typesKeyAfterInterrupt('bash', '\x03', busy)).toBe(true);
  expect(typesKeyAfterInterrupt('bash', 'echo a\x03', waited)).toBe(true);
  expect(typesKeyAfterInterrupt('zsh', '\x03', waited)).toBe(false);
  expect(typesKeyAfterInterrupt('zsh', '\x03', busy)).toBe(true);
  expect(typesKeyAfterInterrupt('fish', '\x03', waited)).toBe(true);
});
