// Ctrl+C at the prompt clears the line the shell was reading, whatever it was doing with it (reading
// a long paste, drawing what was typed), and the keys typed after it make a command line of their
// own: none is lost into the line thrown away, nor taken as pasted text.
import { afterEach, expect, test, vi } from 'vitest';
import {
  type GatewayClient,
  sessionAfterRun,
  type TestWorld,
} from '../test-utils/gateway-harness.js';
import { withInterruptKey } from './prompt-interrupt.js';

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.dispose();
  world = undefined;
});

/** About 5,000 characters, as a terminal sends them when someone pastes them. */
const longPaste = `\x1b[200~${Array.from({ length: 120 }, (_, line) => `pasted line ${line} of some text`).join('\n')}\x1b[201~`;

// The kernel throws away what the shell had not read when the interrupt came, the paste's end with
// it: bash's readline then took every later key as pasted text, fish stayed in its paste mode.
// (One round in three or so got stuck on bash; every round on fish.)
test.each(['bash', 'zsh', 'fish'])(
  '%s: Ctrl+C right after a long paste, then a command: the command runs, round after round',
  async (shell) => {
    const { gateway, sid } = await sessionAfterRun((started) => (world = started), shell);
    for (let round = 0; round < 8; round++) {
      void gateway.client.call('session.input', { sid, data: longPaste });
      void gateway.client.call('session.input', { sid, data: '\x03' });
      await gateway.client.call('session.input', { sid, data: `echo after-paste-${round}\r` });
      await expectRun(gateway, sid, `echo after-paste-${round}`, `after-paste-${round}`);
    }
    // Nothing of the pastes ran, and nothing (a `~`) was typed at a new prompt before a command.
    expect(commandsRun(gateway, sid)).toEqual([
      'true',
      ...Array.from({ length: 8 }, (_, round) => `echo after-paste-${round}`),
    ]);
  },
  120_000,
);

// fish acted on the interrupt late, when it came while it was busy drawing what was typed (most
// times, with the key lifeline typed after it), and the next line was typed onto the old one.
test('fish: Ctrl+C on a typed line clears it, and the next command runs alone, round after round', async () => {
  const { gateway, sid } = await sessionAfterRun((started) => (world = started), 'fish');
  for (let round = 0; round < 8; round++) {
    await gateway.client.call('session.input', { sid, data: `echo thrown-away-${round}` });
    await gateway.client.call('session.input', { sid, data: '\x03' });
    await gateway.client.call('session.input', { sid, data: `echo typed-after-${round}\r` });
    await expectRun(gateway, sid, `echo typed-after-${round}`, `typed-after-${round}`);
  }
  expect(commandsRun(gateway, sid)).toEqual([
    'true',
    ...Array.from({ length: 8 }, (_, round) => `echo typed-after-${round}`),
  ]);
  expect(gateway.outputOf(sid)).not.toMatch(/^thrown-away/m);
}, 120_000);

// bash read the key typed after the Ctrl+C before it acted on the interrupt, and that key's binding
// cleared only the first row of the line it was throwing away: its new prompt came on the second
// row, with the third (`yyy…^C`) left under it, which a terminal then showed as the next command's
// output.
test('bash: Ctrl+C on a line of three rows and more leaves it as drawn, and the next command shows only its own output, round after round', async () => {
  const { gateway, sid } = await sessionAfterRun((started) => (world = started), 'bash', {
    cols: 120,
    rows: 30,
  });
  for (let round = 0; round < 6; round++) {
    const tail = 'y'.repeat(300 + round * 40);
    // At the prompt, which is printed after the last run completed.
    await vi.waitFor(
      () => {
        expect(gateway.outputOf(sid)).toMatch(/[$#] $/);
      },
      { timeout: 15_000, interval: 10 },
    );
    const typed = gateway.eventsOf(sid).length;
    await gateway.client.call('session.input', { sid, data: `echo ${tail}` });
    // Drawn to its end.
    await vi.waitFor(
      () => {
        expect(printedAfter(gateway, sid, typed).split('y').length - 1).toBe(tail.length);
      },
      { timeout: 15_000, interval: 10 },
    );
    const interrupt = gateway.eventsOf(sid).length;
    await gateway.client.call('session.input', { sid, data: '\x03' });
    await gateway.client.call('session.input', { sid, data: `echo next-${round}\r` });
    await expectRun(gateway, sid, `echo next-${round}`, `next-${round}`);
    const events = gateway.eventsOf(sid).slice(interrupt);
    const start = events.findIndex((event) => event.type === 'run_start');
    const complete = events.findIndex((event) => event.type === 'run_complete');
    const printed = (from: number, to: number) =>
      events
        .slice(from, to)
        .map((event) => (event.type === 'output' ? event.data : ''))
        .join('');
    // The cancelled line stays on the screen as it was drawn, `^C` after it, and the next prompt
    // comes under it: nothing printed before the command starts moves the cursor back up into it.
    expect(printed(0, start)).toMatch(/^\^C/);
    expect(printed(0, start)).not.toMatch(cursorMovesUp);
    expect(printed(start, complete)).toBe(`next-${round}\r\n`);
  }
  expect(commandsRun(gateway, sid)).toEqual([
    'true',
    ...Array.from({ length: 6 }, (_, round) => `echo next-${round}`),
  ]);
}, 120_000);

/** A cursor move up (`CSI A`, `CSI F`), to a given row (`CSI H`, `CSI f`, `CSI d`), or a reverse index. */
const cursorMovesUp = /\x1b\[[\d;]*[AFHfd]|\x1bM/;

test('Ctrl+C typed at the prompt becomes the given key, except inside a bracketed paste and after an Enter', () => {
  const key = '\x1b[9;3~';
  expect(withInterruptKey('abc\x03def\x03', key)).toBe(`abc${key}def${key}`);
  expect(withInterruptKey('a\x1b[200~x\x03y\x1b[201~\x03', key)).toBe(
    `a\x1b[200~x\x03y\x1b[201~${key}`,
  );
  // A paste cut at the end of the piece: what follows its start is pasted text.
  expect(withInterruptKey('\x03\x1b[200~x\x03', key)).toBe(`${key}\x1b[200~x\x03`);
  // After an Enter, Ctrl+C may be for the command it starts.
  expect(withInterruptKey('\x03echo a\r\x03', key)).toBe(`${key}echo a\r\x03`);
  expect(withInterruptKey('abc\x03', '\x03')).toBe('abc\x03');
});

/** `command` started and completed with 0, printing `line`. */
async function expectRun(
  gateway: GatewayClient,
  sid: string,
  command: string,
  line: string,
): Promise<void> {
  const run = await gateway.waitForEvent(
    sid,
    (event) => event.type === 'run_start' && event.command === command,
  );
  const complete = await gateway.waitForEvent(
    sid,
    (event) => event.type === 'run_complete' && event.startSeq === run.seq,
  );
  expect(complete).toMatchObject({ exitCode: 0 });
  expect(gateway.outputOf(sid)).toMatch(new RegExp(`^${line}\\r?$`, 'm'));
}

/** What the session printed after its first `from` events. */
function printedAfter(gateway: GatewayClient, sid: string, from: number): string {
  return gateway
    .eventsOf(sid)
    .slice(from)
    .map((event) => (event.type === 'output' ? event.data : ''))
    .join('');
}

/** The command lines the session ran, in order. */
function commandsRun(gateway: GatewayClient, sid: string): string[] {
  return gateway
    .eventsOf(sid)
    .flatMap((event) => (event.type === 'run_start' ? [event.command] : []));
}
