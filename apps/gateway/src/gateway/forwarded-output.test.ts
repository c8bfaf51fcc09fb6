import fs from 'node:fs';
import path from 'node:path';
import type { SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test } from 'vitest';
import { expectContiguous, TestWorld, type GatewayClient } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

const start = Buffer.from('<<payload-start>>');
const end = Buffer.from('<<payload-end>>');

/**
 * Bytes a program may print, of every class a JSON string treats apart: every control character
 * (NUL, ESC, DEL, the C1 range as UTF-8), quotes and backslashes, escape-like text, U+2028/2029,
 * multi-byte characters (2, 3 and 4 bytes) at every offset, so that PTY reads and output events
 * split them, invalid UTF-8 (a stray continuation byte, a truncated sequence, 0xFF), and long
 * runs of plain ASCII between them.
 */
function payload(): Buffer {
  const controls = Buffer.from(Array.from({ length: 0x20 }, (_, code) => code).concat(0x7f));
  const classes = [
    controls,
    Buffer.from('"quoted" \\back\\slash\\ \\u0000 \\n \\"'),
    Buffer.from('\u0080\u009b\u009f \u2028 \u2029 é € 🙂 𝄞 \ufeff'),
    Buffer.from([0x41, 0x80, 0x42, 0xe2, 0x82, 0x43, 0xff, 0x44, 0xf0, 0x9f, 0x45]),
    Buffer.from('\u001b[1;31mred\u001b[0m\r\n'),
  ];
  const pieces: Buffer[] = [start];
  for (let round = 0; round < 3000; round += 1) {
    pieces.push(classes[round % classes.length] as Buffer);
    pieces.push(Buffer.from('x'.repeat(round % 97)));
    pieces.push(Buffer.from('é🙂€'.repeat(round % 7)));
  }
  pieces.push(Buffer.from('y'.repeat(300_000)), end);
  return Buffer.concat(pieces);
}

/** What a terminal makes of `bytes` on its way out (newline to CR LF), decoded as UTF-8. */
function asPrinted(bytes: Buffer): string {
  const withCrLf: number[] = [];
  for (const byte of bytes) {
    if (byte === 0x0a) withCrLf.push(0x0d);
    withCrLf.push(byte);
  }
  return Buffer.from(withCrLf).toString('utf8');
}

function outputText(events: readonly SessionEvent[]): string {
  return events.map((event) => (event.type === 'output' ? event.data : '')).join('');
}

async function logEvents(gateway: GatewayClient, sid: string, upTo: number) {
  const events: SessionEvent[] = [];
  for (let fromSeq = 0; fromSeq <= upTo;) {
    const page = await gateway.client.call('session.events', { sid, fromSeq, limit: 10_000 });
    events.push(...page.events);
    fromSeq = (page.events.at(-1)?.seq ?? upTo) + 1;
  }
  return events.filter((event) => event.seq <= upTo);
}

test('output of every byte class reaches a live client exactly as the log holds it, and a client resuming from any seq gets the rest of it once', async () => {
  world = new TestWorld();
  const bytes = payload();
  const file = path.join(world.work, 'payload.bin');
  fs.writeFileSync(file, bytes);
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.attach', { sid });
  const run = await gateway.client.call('session.run', {
    sid,
    command: `cat ${file}`,
    timeoutMs: 60_000,
  });
  expect(run).toMatchObject({ completed: true, exitCode: 0 });
  const completeSeq = run.completeSeq ?? -1;
  await gateway.waitForEvent(sid, (event) => event.seq === completeSeq, 60_000);

  const live = gateway.eventsOf(sid).filter((event) => event.seq <= completeSeq);
  expect(expectContiguous(live)).toBe(true);
  expect(live).toEqual(await logEvents(gateway, sid, completeSeq));
  const printed = outputText(live);
  const expected = asPrinted(bytes);
  const from = printed.indexOf(start.toString());
  expect(printed.slice(from, from + expected.length)).toBe(expected);

  // Resume from a seq in the middle of the output, through a gateway of its own.
  const outputs = live.filter((event) => event.seq > run.startSeq && event.type === 'output');
  expect(outputs.length).toBeGreaterThan(4);
  const resumeAfter = (outputs[Math.floor(outputs.length / 2)] as SessionEvent).seq;
  const second = await world.startGateway();
  await second.client.call('session.attach', { sid, afterSeq: resumeAfter });
  await second.waitForEvent(sid, (event) => event.seq === completeSeq, 60_000);
  const resumed = second.eventsOf(sid).filter((event) => event.seq <= completeSeq);
  expect(resumed).toEqual(live.filter((event) => event.seq > resumeAfter));

  // What both streamed later is forwarded too: one more run after the resume reaches both once.
  const after = await second.client.call('session.run', { sid, command: 'printf "\\x1b\\\\done"' });
  const afterSeq = after.completeSeq ?? -1;
  await second.waitForEvent(sid, (event) => event.seq === afterSeq);
  await gateway.waitForEvent(sid, (event) => event.seq === afterSeq);
  const tail = (client: GatewayClient) =>
    client.eventsOf(sid).filter((event) => event.seq > completeSeq && event.seq <= afterSeq);
  expect(expectContiguous(tail(second), completeSeq + 1)).toBe(true);
  expect(tail(gateway)).toEqual(tail(second));
  expect(outputText(tail(second))).toContain('\u001b\\done');
}, 120_000);
