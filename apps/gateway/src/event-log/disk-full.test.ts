import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { hasErrno } from '../errno.js';
import { LifelineErrorCode, type SessionEvent } from '@lifeline/protocol';
import { TestWorld, type GatewayClient } from '../test-utils/gateway-harness.js';

const mayMount = process.getuid?.() === 0 || process.env.CI === 'true';
let world: TestWorld | undefined;
let unmount: (() => void) | undefined;
afterEach(async () => {
  // The gateway and hosts go first: a mount point cannot be unmounted while they hold files in it
  // (and the shells they hung up may take a moment to exit).
  await world?.stopProcesses();
  if (unmount) await vi.waitFor(unmount, { timeout: 10_000, interval: 100 });
  unmount = undefined;
  await world?.dispose();
  world = undefined;
});

/** Writes `file` until the file system is full; returns how many bytes it holds. */
function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x2e);
  let written = 0;
  try {
    for (;;) written += fs.writeSync(fd, chunk);
  } catch (error) {
    if (!hasErrno(error, 'ENOSPC')) throw error;
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/** Every event of the session's log on disk, paged through `session.events`; their seqs without a gap. */
async function eventsOnDisk(gateway: GatewayClient, sid: string): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  for (let fromSeq = 0; ;) {
    const page = await gateway.client.call('session.events', { sid, fromSeq });
    if (page.events.length === 0) break;
    events.push(...page.events);
    fromSeq = (page.events.at(-1)?.seq ?? 0) + 1;
  }
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
  return events;
}

/** A test world whose state directory is a 4 MiB file system of its own, unmounted after the test. */
function worldOnSmallDisk(): TestWorld {
  const small = new TestWorld();
  fs.mkdirSync(small.stateDir, { mode: 0o700 });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', small.stateDir]);
  unmount = () => execFileSync('umount', [small.stateDir]);
  return small;
}

/**
 * A session on a small disk of its own (see {@link worldOnSmallDisk}, also kept in `world` for the
 * clean-up), its first client attached, and the file that fills that disk when written by
 * {@link fillDisk}.
 */
async function attachedOnSmallDisk() {
  world = worldOnSmallDisk();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  await gateway.client.call('session.attach', { sid });
  return { world, gateway, sid, filler: path.join(world.stateDir, 'filler') };
}

test.skipIf(!mayMount)(
  'a full disk: the shell runs on, clients hear of it at once, the output is kept and written once there is room',
  async () => {
    const { world, gateway, sid, filler } = await attachedOnSmallDisk();
    await gateway.client.call('session.run', { sid, command: 'sleep 600 &' });
    expect(fillDisk(filler)).toBeGreaterThan(0);

    const result = await gateway.client.call('session.run', {
      sid,
      command: "head -c 50000 /dev/zero | tr '\\0' x; echo; echo still-here",
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({ completed: true, exitCode: 0 });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'note' && event.condition === 'disk_full',
    );
    expect(gateway.outputOf(sid)).toContain('still-here');
    expect(world.hostPids()).toHaveLength(1);
    const jobs = await gateway.client.call('session.run', { sid, command: 'jobs' });
    expect(jobs).toMatchObject({ completed: true, exitCode: 0 });
    await vi.waitFor(() => expect(gateway.outputOf(sid)).toContain('sleep 600'), {
      timeout: 10_000,
    });

    fs.rmSync(filler);
    const returned = await gateway.waitForEvent(
      sid,
      (event) => event.type === 'note' && event.condition === 'disk_space_returned',
    );
    expect(returned).toMatchObject({ lostBytes: 0 });
    const onDisk = await eventsOnDisk(gateway, sid);
    expect(onDisk.map((event) => (event.type === 'output' ? event.data : '')).join('')).toContain(
      'still-here',
    );
    expect(onDisk.filter((event) => event.type === 'note').map((event) => event.condition)).toEqual(
      ['disk_full', 'disk_space_returned'],
    );
  },
  90_000,
);

test.skipIf(!mayMount)(
  'a client that attaches while the disk is full gets every event, those not on disk yet too, and its runs complete',
  async () => {
    const { world, gateway: first, sid, filler } = await attachedOnSmallDisk();
    expect(fillDisk(filler)).toBeGreaterThan(0);
    await first.client.call('session.run', {
      sid,
      command: "head -c 50000 /dev/zero | tr '\\0' x; echo; echo held-in-memory",
    });
    await first.waitForEvent(
      sid,
      (event) => event.type === 'note' && event.condition === 'disk_full',
    );

    // As `lifeline exec` or a TUI started now does: a gateway of its own, attached from the start.
    const late = await world.startGateway();
    await late.client.call('session.attach', { sid, afterSeq: -1 });
    const result = await late.client.call('session.run', {
      sid,
      command: 'echo ran-while-full',
      timeoutMs: 20_000,
    });
    expect(result).toMatchObject({ completed: true, exitCode: 0 });
    await vi.waitFor(() => expect(late.outputOf(sid)).toContain('ran-while-full'), {
      timeout: 10_000,
    });
    const seqs = late.eventsOf(sid).map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index));
    expect(late.outputOf(sid)).toContain('held-in-memory');
    // The first gateway's client hears of the run through another gateway: a moment later, maybe.
    await vi.waitFor(() => expect(first.outputOf(sid)).toContain('ran-while-full'), {
      timeout: 10_000,
    });
  },
  90_000,
);

test.skipIf(!mayMount)(
  'the log read page by page while the disk is full (as `lifeline replay` reads it) goes on with the events the host holds, the end of the run among them',
  async () => {
    const { world, gateway, sid, filler } = await attachedOnSmallDisk();
    expect(fillDisk(filler)).toBeGreaterThan(0);
    const run = await gateway.client.call('session.run', {
      sid,
      command: "head -c 50000 /dev/zero | tr '\\0' x; echo; echo held-in-memory",
      timeoutMs: 20_000,
    });
    expect(run).toMatchObject({ completed: true, exitCode: 0 });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'note' && event.condition === 'disk_full',
    );

    // A reader of its own, paging up to the last seq the first page says, as replay does.
    const reader = await world.startGateway();
    const events: SessionEvent[] = [];
    let lastSeq = Number.POSITIVE_INFINITY;
    for (let fromSeq = 0; fromSeq <= lastSeq;) {
      const page = await reader.client.call('session.events', { sid, fromSeq, limit: 5 });
      if (lastSeq === Number.POSITIVE_INFINITY) lastSeq = page.lastSeq;
      if (page.events.length === 0) break;
      events.push(...page.events);
      fromSeq = (page.events.at(-1)?.seq ?? 0) + 1;
    }
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index));
    expect(events.map((event) => (event.type === 'output' ? event.data : '')).join('')).toContain(
      'held-in-memory',
    );
    expect(events.find((event) => event.seq === run.completeSeq)).toMatchObject({
      type: 'run_complete',
      exitCode: 0,
    });
    // Nothing of it was on disk: the note that the disk is full is among what the host holds.
    expect(events.some((event) => event.type === 'note' && event.condition === 'disk_full')).toBe(
      true,
    );
  },
  90_000,
);

test.skipIf(!mayMount)(
  'a session started on a full disk is refused saying so and what to do, and leaves nothing behind',
  async () => {
    world = worldOnSmallDisk();
    const gateway = await world.startGateway();
    // The sessions' directory exists already, as on a machine where Lifeline has run before.
    const { sid } = await gateway.client.call('session.create', { cwd: world.work });
    await gateway.client.call('session.close', { sid });
    const filler = path.join(world.stateDir, 'filler');
    expect(fillDisk(filler)).toBeGreaterThan(0);
    // What little room the filler left may take a record or two: as many tries as it takes.
    let refusal: unknown;
    for (let attempt = 0; attempt < 20 && refusal === undefined; attempt += 1)
      await gateway.client.call('session.create', { cwd: world.work }).then(
        (created) => gateway.client.call('session.close', { sid: created.sid }),
        (error: unknown) => (refusal = error),
      );
    expect(refusal).toMatchObject({ code: LifelineErrorCode.OutOfResources });
    expect((refusal as Error).message).toMatch(
      /^starting a session failed: the disk Lifeline keeps its sessions on is full \(ENOSPC\); nothing was changed\. Free some space there/,
    );
    const { sessions } = await gateway.client.call('session.list', {});
    expect(fs.readdirSync(path.join(world.stateDir, 'sessions')).sort()).toEqual(
      sessions.map((session) => session.sid).sort(),
    );
  },
  90_000,
);

test.skipIf(!mayMount)(
  'a host killed while the disk is full: what it held is lost, but no later event takes those seqs, so its client hears the next shell',
  async () => {
    const { world, gateway, sid, filler } = await attachedOnSmallDisk();
    await gateway.client.call('session.run', { sid, command: 'true' });
    expect(fillDisk(filler)).toBeGreaterThan(0);
    await gateway.client.call('session.run', {
      sid,
      command: "head -c 50000 /dev/zero | tr '\\0' x; echo; echo held-then-lost",
    });
    await gateway.waitForEvent(
      sid,
      (event) => event.type === 'note' && event.condition === 'disk_full',
    );
    await vi.waitFor(() => expect(gateway.outputOf(sid)).toContain('held-then-lost'), {
      timeout: 10_000,
    });
    const seen = gateway.eventsOf(sid).at(-1)?.seq ?? -1;
    const [hostPid] = world.hostPids();
    process.kill(hostPid ?? 0, 'SIGKILL');
    fs.rmSync(filler);

    // The next run starts a new host, whose events the client must hear: none reuses a seq it saw.
    // (A run sent before the gateway noticed the host's end fails as the host goes: sent again.)
    await vi.waitFor(() => expect(world.hostPids()).toEqual([]), { timeout: 10_000 });
    const result = await vi.waitFor(
      () =>
        gateway.client.call('session.run', {
          sid,
          command: 'echo after-the-loss',
          timeoutMs: 20_000,
        }),
      { timeout: 30_000, interval: 100 },
    );
    expect(result).toMatchObject({ completed: true, exitCode: 0 });
    await gateway.waitForEvent(sid, (event) => event.type === 'host_start' && event.seq > seen);
    await vi.waitFor(() => expect(gateway.outputOf(sid)).toContain('after-the-loss'), {
      timeout: 10_000,
    });
    const onDisk = await eventsOnDisk(gateway, sid);
    // The seqs the host held are taken up by notes: the first says what was lost.
    const lost = onDisk.find(
      (event) => event.type === 'note' && event.text.includes('were lost: its session host died'),
    );
    expect(lost?.seq).toBeLessThanOrEqual(seen);
    const takenUp = onDisk.filter((event) => event.seq > (lost?.seq ?? 0) && event.seq <= seen);
    expect(takenUp.map((event) => (event.type === 'note' ? event.text : event.type))).toEqual(
      takenUp.map(() => ''),
    );
  },
  90_000,
);
