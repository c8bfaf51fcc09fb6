// A PTY paused because a gateway fell behind resumes as soon as that gateway has taken what was
// queued for it, not at flow control's next look: a flood does not sit idle between the two.
import type { SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { bashSessionHost } from '../test-utils/bash-session-host.js';
import { PAUSE_ABOVE_BYTES } from './flow-control.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Longest delay a timer takes: flow control never looks again by itself. */
const NEVER_MS = 2 ** 31 - 1;

/** A session host over a real bash whose one subscriber's queue the test sets and drains. */
function startHost() {
  const { host, close } = bashSessionHost('drained', { flowPollMs: NEVER_MS });
  const consumer = { backlog: 0, drained: (): void => undefined, events: [] as SessionEvent[] };
  host.subscribe({
    event: (event) => consumer.events.push(event),
    backlog: () => consumer.backlog,
    onDrain: (listener) => {
      consumer.drained = listener;
      return () => (consumer.drained = () => undefined);
    },
  });
  host.start(process.pid);
  cleanups.push(close);
  return { host, consumer };
}

const request = {
  timeoutMs: 10_000,
  wait: true,
  ifIdle: false,
  startWithinMs: 10_000,
  idempotencyKey: undefined,
} as const;

test('a PTY paused for a consumer far behind resumes once that consumer has taken its queue', async () => {
  const { host, consumer } = startHost();
  await host.run({ ...request, command: 'true' });
  consumer.events.length = 0;
  // The run's start is logged while the consumer is far behind: the PTY is paused before the
  // shell can answer, and flow control never looks again by itself.
  consumer.backlog = PAUSE_ABOVE_BYTES + 1;
  const run = host.run({ ...request, command: 'echo resumed' });
  await vi.waitFor(() =>
    expect(consumer.events.some((event) => event.type === 'run_start')).toBe(true),
  );
  consumer.backlog = 0;
  consumer.drained();
  expect(await run).toMatchObject({ completed: true, exitCode: 0 });
}, 20_000);
