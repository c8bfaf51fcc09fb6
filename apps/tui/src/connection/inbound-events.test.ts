import type { SessionEvent } from '@lifeline/protocol';
import { expect, test } from 'vitest';
import type { GatewayLink } from './gateway-link.js';
import { InboundEvents } from './inbound-events.js';

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

/** @param applyMs how long applying one event takes on the world's clock */
function inboundWorld(applyMs = 0) {
  let clock = 0;
  const log: string[] = [];
  const first = recordingLink('first', log);
  const second = recordingLink('second', log);
  const state = { link: first as GatewayLink | undefined, sid: 's_a', appliedSeq: -1 };
  const applied: string[] = [];
  const inbound = new InboundEvents({
    currentLink: () => state.link,
    shownSession: () => state.sid,
    apply: (link, event) => {
      applied.push(`${link === first ? 'first' : 'second'} ${event.seq}`);
      state.appliedSeq = event.seq;
      clock += applyMs;
    },
    appliedSeq: () => state.appliedSeq,
    now: () => clock,
  });
  return { inbound, log, applied, state, first, second };
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
