// Keys typed into a session whose shell is still starting wait for its first prompt: typed into
// the terminal earlier, a line is echoed by the terminal itself (taken for what the shell printed
// as it started) and drawn again after the prompt by the line editor once it starts.
import fs from 'node:fs';
import path from 'node:path';
import { stateLayout, type SessionEvent } from '@lifeline/protocol';
import { afterEach, expect, test, vi } from 'vitest';
import { readEvents } from '../event-log/event-log-reader.js';
import { TestWorld } from '../test-utils/gateway-harness.js';

let world: TestWorld;
afterEach(async () => {
  await world.dispose();
});

/** Every event of the session so far. */
function sessionEvents(sessionDir: string): SessionEvent[] {
  return readEvents(sessionDir, 0, { limit: 1000 }).events;
}

test('a line typed while the shell starts is typed at its first prompt, echoed once', async () => {
  world = new TestWorld();
  const prompt = 'first-prompt> ';
  const go = path.join(world.root, 'go');
  // The shell's startup goes on until the test lets it: the keys come while it runs.
  fs.writeFileSync(
    path.join(world.home, '.bashrc'),
    `while [ ! -e '${go}' ]; do sleep 0.02; done\nPS1='${prompt}'\n`,
  );
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionDir = stateLayout.sessionDir(world.stateDir, sid);
  await gateway.client.call('session.input', { sid, data: 'echo typed-early-$((6*7))\r' });
  fs.writeFileSync(go, '');
  const events = await vi.waitFor(
    () => {
      const all = sessionEvents(sessionDir);
      expect(all.map((event) => event.type)).toContain('run_complete');
      return all;
    },
    { timeout: 15_000, interval: 20 },
  );
  const ready = events.findIndex((event) => event.type === 'shell_ready');
  const started = events.findIndex((event) => event.type === 'run_start');
  expect(ready).toBeGreaterThan(-1);
  const outputOf = (from: number, to: number) =>
    events
      .slice(from, to)
      .flatMap((event) => (event.type === 'output' ? [event.data] : []))
      .join('');
  // Nothing of the line before the shell was ready: the terminal did not echo it.
  expect(outputOf(0, ready)).not.toContain('typed-early');
  // The keys reached the shell at its prompt, which the line editor drew the line after. (They
  // may be logged before the prompt's output is: let go as the line editor starts to read, once
  // it has drawn the prompt, before the host has read that from the terminal.)
  const beforeRun = outputOf(ready, started);
  expect(beforeRun.indexOf('echo typed-early')).toBeGreaterThan(beforeRun.indexOf(prompt));
  expect(outputOf(started, events.length)).toContain('typed-early-42');
}, 30_000);

test('a command run while the shell starts, then lines typed: they run in the order they came, each once', async () => {
  world = new TestWorld();
  const go = path.join(world.root, 'go');
  fs.writeFileSync(
    path.join(world.home, '.bashrc'),
    `while [ ! -e '${go}' ]; do sleep 0.02; done\n`,
  );
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const sessionDir = stateLayout.sessionDir(world.stateDir, sid);
  // As a person's command line starts a new shell, and the lines typed after it wait for its prompt.
  // (Answered once the run starts, after that prompt.)
  const started = gateway.client.call('session.run', {
    sid,
    command: 'echo first',
    wait: false,
    typedBy: 'person',
  });
  await gateway.client.call('session.input', { sid, data: 'echo second\r' });
  await gateway.client.call('session.input', { sid, data: 'echo third\r' });
  fs.writeFileSync(go, '');
  await started;
  const runs = await vi.waitFor(
    () => {
      const events = sessionEvents(sessionDir);
      expect(events.filter((event) => event.type === 'run_complete')).toHaveLength(3);
      return events.flatMap((event) => (event.type === 'run_start' ? [event.command] : []));
    },
    { timeout: 20_000, interval: 50 },
  );
  expect(runs.map((command) => command.trim())).toEqual([
    'echo first',
    'echo second',
    'echo third',
  ]);
}, 40_000);
