import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import type { GatewayLink } from './gateway-link.js';
import { InboundEvents } from './inbound-events.js';
import { OUTPUT_PART_CHARS } from './output-parts.js';

/** What a link was asked to do: pause, resume, and the reports notified to its gateway. */
function recordingLink(name: string, log: string[]): GatewayLink {
  const link = {
    pause: () => log.push(`${name} paused`),
    resume: () => log.push(`${name} resumed`),
    client: {
      notify: (method: string, params: { sid: string; seq: number; outputWindow?: number }) =>
        log.push(
          `${name} ${method} ${params.sid} ${params.seq}${params.outputWindow === undefined ? '' : ` window ${params.outputWindow}`}`,
        ),
    },
  };
  return link as unknown as GatewayLink;
}

const output = (seq: number, length: number): SessionEvent => ({
  seq,
  time: seq,
  type: 'output',
  data: 'x'.repeat(length),
});

/** @param applyMs how long applying 32 Ki characters of output (or another event) takes on the world's clock */
function inboundWorld(applyMs = 0) {
  let clock = 0;
  const log: string[] = [];
  const first = recordingLink('first', log);
  const second = recordingLink('second', log);
  const state = { link: first as GatewayLink | undefined, sid: 's_a', appliedSeq: -1 };
  const applied: string[] = [];
  /** The output of each event or part applied. */
  const parts: string[] = [];
  const inbound = new InboundEvents({
    currentLink: () => state.link,
    shownSession: () => state.sid,
    apply: (link, event, more) => {
      applied.push(`${link === first ? 'first' : 'second'} ${event.seq}${more ? ' more' : ''}`);
      parts.push(event.type === 'output' ? event.data : '');
      state.appliedSeq = event.seq;
      clock += event.type === 'output' ? (applyMs * event.data.length) / (32 * 1024) : applyMs;
      return true;
    },
    appliedSeq: () => state.appliedSeq,
    now: () => clock,
  });
  return { inbound, log, applied, parts, state, first, second };
}

test('events are applied in order; those still queued from a link that is no longer current are dropped', () => {
  const world = inboundWorld();
  world.inbound.push(world.first, output(0, 10));
  world.inbound.push(world.first, output(1, 10));
  world.inbound.flush();
  world.inbound.push(world.first, output(2, 10));
  world.state.link = world.second;
  world.inbound.push(world.second, output(2, 10));
  world.inbound.flush();
  expect(world.applied).toEqual(['first 0', 'first 1', 'second 2']);
});

test('a flood pauses the current link, and the same link is resumed once little waits, whichever is current then', () => {
  const world = inboundWorld();
  world.inbound.push(world.first, output(0, 20 * 1024));
  expect(world.log).toEqual([]);
  world.inbound.push(world.first, output(1, 20 * 1024));
  expect(world.log).toEqual(['first paused']);
  world.state.link = world.second;
  world.inbound.flush();
  expect(world.log).toEqual(['first paused', 'first resumed']);
});

test('how far the session is applied is reported to a gateway with an output window, every half window, for the session shown only', () => {
  const world = inboundWorld();
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: true, resizable: true });
  world.inbound.push(world.first, output(0, 10));
  world.inbound.flush();
  // Little applied yet: no write for the gateway to wake up for.
  expect(world.log).toEqual([]);
  // Half a window applied reports at once, before the queue is empty.
  world.inbound.push(world.first, output(1, 32 * 1024));
  world.inbound.push(world.first, output(2, 10));
  world.inbound.flush();
  expect(world.log).toEqual(['first paused', 'first session.consumed s_a 1', 'first resumed']);
  world.state.sid = 's_b';
  world.inbound.push(world.first, output(3, 32 * 1024));
  world.inbound.flush();
  expect(world.log.at(-1)).toBe('first resumed');
  // No report for the session no longer shown, before the resume or after it.
  expect(world.log.filter((entry) => entry.includes('session.consumed'))).toEqual([
    'first session.consumed s_a 1',
  ]);
});

test('a gateway without an output window gets no reports', () => {
  const world = inboundWorld();
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: false, resizable: false });
  world.inbound.push(world.first, output(0, 10));
  world.inbound.flush();
  expect(world.log).toEqual([]);
});

/** `events` events of 32 Ki characters over the first link, each applied as it comes. */
function flood(world: ReturnType<typeof inboundWorld>, events: number): void {
  for (let seq = 0; seq < events; seq += 1) {
    world.inbound.push(world.first, output(seq, 32 * 1024));
    world.inbound.flush();
  }
}

/** The windows reported, in order. */
const reportedWindows = (log: readonly string[]) =>
  log.flatMap((entry) => {
    const window = / window (\d+)$/.exec(entry)?.[1];
    return window === undefined ? [] : [Number(window)];
  });

test('output applied fast widens the window, and a gateway that takes a new one is told', () => {
  // 32 Ki characters a millisecond: a flood of plain lines.
  const world = inboundWorld(1);
  expect(world.inbound.outputWindow).toBe(64 * 1024);
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: true, resizable: true });
  flood(world, 60);
  const windows = reportedWindows(world.log);
  expect(windows.length).toBeGreaterThan(0);
  expect(windows.every((window, index) => index === 0 || window > (windows[index - 1] ?? 0))).toBe(
    true,
  );
  expect(world.inbound.outputWindow).toBeGreaterThan(256 * 1024);
  expect(windows.at(-1)).toBeGreaterThan(256 * 1024);
  // The link is no longer paused for what a window that large lets through.
  const pausesBefore = world.log.filter((entry) => entry.endsWith('paused')).length;
  world.inbound.push(world.first, output(60, 128 * 1024));
  expect(world.log.filter((entry) => entry.endsWith('paused'))).toHaveLength(pausesBefore);
});

test('a gateway that takes no new window keeps the one it was attached with', () => {
  const world = inboundWorld(1);
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: true, resizable: false });
  flood(world, 60);
  expect(reportedWindows(world.log)).toEqual([]);
  // Reported every half of the 64 KiB window it was attached with: after each event of 32 KiB.
  expect(world.log.filter((entry) => entry.includes('session.consumed'))).toHaveLength(60);
});

test('output slow to apply keeps the smallest window', () => {
  // 1 Ki characters a millisecond: output that redraws the screen.
  const world = inboundWorld(32);
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: true, resizable: true });
  flood(world, 20);
  expect(world.inbound.outputWindow).toBe(64 * 1024);
  expect(reportedWindows(world.log)).toEqual([]);
});

test('a long piece of output is applied in parts, a slice at a time, so a key waits for a part, not for the whole piece', async () => {
  // 32 Ki characters in 16 ms: a slice of 6 ms applies two parts of 8 Ki, of the six.
  const world = inboundWorld(16);
  const data = Array.from({ length: 4000 }, (_, index) => `line ${index}\r\n`).join('');
  world.inbound.push(world.first, { seq: 0, time: 0, type: 'output', data });
  await new Promise((resolve) => setImmediate(resolve));
  // The event loop had its turn with most of the piece still to apply.
  expect(world.applied).toEqual(['first 0', 'first 0 more']);
  world.inbound.flush();
  expect(world.applied).toEqual(['first 0', ...Array<string>(5).fill('first 0 more')]);
  expect(world.parts.join('')).toBe(data);
  expect(world.parts.every((part) => part.length <= OUTPUT_PART_CHARS)).toBe(true);
});

test('output begun is applied whole though the link changes before its last part; output whose first part is not applied is dropped whole', async () => {
  const world = inboundWorld(16);
  const long = (seq: number) => output(seq, 3 * OUTPUT_PART_CHARS);
  world.inbound.push(world.first, long(0));
  await new Promise((resolve) => setImmediate(resolve));
  expect(world.applied).toEqual(['first 0', 'first 0 more']);
  // A new link attaches after seq 0, which counts as applied: its last part must not be lost.
  world.state.link = world.second;
  world.inbound.push(world.second, output(1, 10));
  world.inbound.flush();
  expect(world.applied).toEqual(['first 0', 'first 0 more', 'first 0 more', 'second 1']);
  expect(world.parts.slice(0, 3).join('')).toBe('x'.repeat(3 * OUTPUT_PART_CHARS));

  world.applied.length = 0;
  world.inbound.push(world.second, long(2));
  world.state.link = world.first;
  world.inbound.push(world.first, output(2, 10));
  world.inbound.flush();
  // Seq 2 over the second link was due once that link was no longer current: none of it is applied.
  expect(world.applied).toEqual(['first 2']);
});

test('output applied in parts is reported applied once its last part is', async () => {
  // 32 Ki characters in 4 ms: a slice applies six of the eight parts, more than half a window.
  const world = inboundWorld(4);
  world.inbound.reportFor(world.first, 's_a', -1, { windowed: true, resizable: false });
  world.inbound.push(world.first, output(0, 8 * OUTPUT_PART_CHARS));
  await new Promise((resolve) => setImmediate(resolve));
  expect(world.applied).toHaveLength(6);
  expect(world.log.filter((entry) => entry.includes('session.consumed'))).toEqual([]);
  world.inbound.flush();
  expect(world.log.filter((entry) => entry.includes('session.consumed'))).toEqual([
    'first session.consumed s_a 0',
  ]);
});
