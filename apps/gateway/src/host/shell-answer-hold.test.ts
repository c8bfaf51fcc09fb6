// A run's start is sent to gateways with the shell's first answer to its command: a quick run's
// events and answer then leave the host in one write (see `SessionHost.holdForShell`).
import type { SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { bashSessionHost } from '../test-utils/bash-session-host.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A session host over a real bash, its log kept in memory, and what a subscriber of it saw. */
function startHost() {
  const { host, close } = bashSessionHost('hold');
  const events: SessionEvent[] = [];
  /** What the subscriber was sent, `hold` and `release` marking where it held and let go. */
  const seen: string[] = [];
  host.subscribe({
    event: (event) => {
      events.push(event);
      seen.push(event.type);
    },
    backlog: () => 0,
    hold: () => {
      seen.push('hold');
      return () => seen.push('release');
    },
  });
  host.start(process.pid);
  cleanups.push(close);
  return { host, seen, events };
}

const request = { timeoutMs: 10_000, ifIdle: false, startWithinMs: 10_000 } as const;

test('a run its caller waits for is held from its start until the shell answers it', async () => {
  const { host, seen } = startHost();
  const result = await host.run({
    ...request,
    command: 'true',
    wait: true,
    idempotencyKey: undefined,
  });
  expect(result).toMatchObject({ completed: true, exitCode: 0 });
  await vi.waitFor(() => expect(seen).toContain('release'));
  const held = seen.slice(seen.indexOf('run_start'));
  // Held right after its start was sent, let go once: never left holding.
  expect(held[1]).toBe('hold');
  expect(held.filter((entry) => entry === 'hold')).toHaveLength(1);
  expect(held.filter((entry) => entry === 'release')).toHaveLength(1);
}, 20_000);

test('a run whose caller waits only for its start is not held', async () => {
  const { host, seen, events } = startHost();
  const started = await host.run({
    ...request,
    command: 'true',
    wait: false,
    idempotencyKey: undefined,
  });
  await vi.waitFor(() =>
    expect(
      events.some((event) => event.type === 'run_complete' && event.runId === started.runId),
    ).toBe(true),
  );
  expect(seen).not.toContain('hold');
}, 20_000);
