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
      notify: (method: string, params: { sid: string; seq: number }) =>
        log.push(`${name} ${method} ${params.sid} ${params.seq}`),
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

function inboundWorld() {
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
    },
    appliedSeq: () => state.appliedSeq,
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
  world.inbound.reportFor(world.first, 's_a', -1, true);
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
  world.inbound.reportFor(world.first, 's_a', -1, false);
  world.inbound.push(world.first, output(0, 10));
  world.inbound.flush();
  expect(world.log).toEqual([]);
});
