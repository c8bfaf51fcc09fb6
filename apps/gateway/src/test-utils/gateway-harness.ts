import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCrashLogLine } from '@lifeline/crash-log';
import { gatewayContract, type SessionEvent, type GatewayContract } from '@lifeline/protocol';
import { createClient, createPeer, type RpcClient } from '@lifeline/rpc';
import { spawnTransport, type SpawnedTransport } from '@lifeline/transport';
import { vi } from 'vitest';
import { gatewayCliPath } from '../entry-points.js';

/** A private state directory and home for one test, with every process it starts. */
export class TestWorld {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-gw-'));
  readonly stateDir = path.join(this.root, 'state');
  readonly home = path.join(this.root, 'home');
  readonly work = path.join(this.root, 'work');
  private readonly gateways: SpawnedTransport[] = [];

  constructor() {
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
  }

  env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      LIFELINE_HOME: this.stateDir,
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
    };
  }

  /**
   * Starts a gateway on stdio in the world's work directory, with `env` added to the world's
   * environment and `args` on its command line, and waits for its `ready` frame.
   */
  async startGateway(
    options: { env?: NodeJS.ProcessEnv; args?: readonly string[] } = {},
  ): Promise<GatewayClient> {
    const spawned = spawnTransport(process.execPath, [gatewayCliPath(), ...(options.args ?? [])], {
      env: { ...this.env(), ...options.env },
      cwd: this.work,
    });
    this.gateways.push(spawned);
    const client = createClient(createPeer(spawned.transport), gatewayContract);
    const gateway = new GatewayClient(spawned, client);
    await vi.waitFor(
      () => {
        if (!gateway.ready) throw new Error('no ready frame yet');
      },
      { timeout: 10_000, interval: 10 },
    );
    return gateway;
  }

  /** Pids of the live session hosts of this world. */
  hostPids(): number[] {
    const sessionsDir = path.join(this.stateDir, 'sessions');
    if (!fs.existsSync(sessionsDir)) return [];
    return fs
      .readdirSync(sessionsDir)
      .map((sid) => Number.parseInt(readOrEmpty(path.join(sessionsDir, sid, 'host.lock')), 10))
      .filter((pid) => Number.isInteger(pid) && pid > 0 && isAlive(pid));
  }

  /** The breadcrumbs every process of this world wrote to its crash log so far, oldest first. */
  crashLogEvents(): { source: string; event: string; fields: Record<string, string> }[] {
    const file = path.join(this.stateDir, 'logs', 'crash.log');
    return readOrEmpty(file)
      .split('\n')
      .filter(Boolean)
      .map((line) => parseCrashLogLine(line))
      .filter((entry) => entry !== undefined)
      .map((entry) => ({ source: entry.source, event: entry.event, fields: entry.fields }));
  }

  /** Kills every gateway and host this world started and removes its files. */
  async dispose(): Promise<void> {
    await this.stopProcesses();
    // A shell hung up by its host may still be saving its history into home for a moment (longer
    // on a loaded machine): removal is retried until nothing writes there any more.
    await vi.waitFor(() => fs.rmSync(this.root, { recursive: true, force: true }), {
      timeout: 10_000,
      interval: 50,
    });
  }

  /** Kills every gateway and host this world started, and waits until the hosts are gone. */
  async stopProcesses(): Promise<void> {
    for (const gateway of this.gateways) gateway.kill('SIGKILL');
    for (const pid of this.hostPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await vi.waitFor(
      () => {
        if (this.hostPids().length > 0) throw new Error('hosts still running');
      },
      { timeout: 5000 },
    );
  }
}

/** A test's view of one gateway: typed calls plus every event it streamed, by session. */
export class GatewayClient {
  ready = false;
  /** What the gateway's `ready` frame offered. */
  capabilities: readonly string[] = [];
  readonly events = new Map<string, SessionEvent[]>();

  constructor(
    readonly spawned: SpawnedTransport,
    readonly client: RpcClient<GatewayContract>,
  ) {
    client.on('ready', (frame) => {
      this.ready = true;
      this.capabilities = frame.capabilities;
    });
    client.on('session.event', ({ sid, ...event }) => {
      let list = this.events.get(sid);
      if (!list) {
        list = [];
        this.events.set(sid, list);
      }
      list.push(event);
    });
  }

  get pid(): number {
    return this.spawned.child.pid ?? 0;
  }

  eventsOf(sid: string): SessionEvent[] {
    return this.events.get(sid) ?? [];
  }

  /** Waits until an event matching `predicate` has streamed for `sid`. */
  async waitForEvent(
    sid: string,
    predicate: (event: SessionEvent) => boolean,
    timeout = 15_000,
  ): Promise<SessionEvent> {
    let found: SessionEvent | undefined;
    await vi.waitFor(
      () => {
        found = this.eventsOf(sid).find(predicate);
        if (!found) throw new Error('event not seen yet');
      },
      { timeout, interval: 10 },
    );
    return found as SessionEvent;
  }

  /** Everything the session printed, as the client received it. */
  outputOf(sid: string): string {
    return this.eventsOf(sid)
      .map((event) => (event.type === 'output' ? event.data : ''))
      .join('');
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readOrEmpty(`/proc/${pid}/stat`);
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** The contiguous seqs a test expects: no gap, no duplicate. */
export function expectContiguous(events: readonly SessionEvent[], from = 0): boolean {
  return events.every((event, index) => event.seq === from + index);
}

/**
 * A gateway of a new world with a session of `shell` (`bash`, `zsh`, `fish`) that has run a
 * command, so its integration is up; `started` gets the world first, for the test to dispose of.
 * The terminal is `size` (the gateway's default where not given).
 */
export async function sessionAfterRun(
  started: (world: TestWorld) => void,
  shell: string,
  size: { cols?: number; rows?: number } = {},
): Promise<{ gateway: GatewayClient; sid: string }> {
  const world = new TestWorld();
  started(world);
  // zsh asks a new user to set it up unless there is a .zshrc.
  fs.writeFileSync(path.join(world.home, '.zshrc'), '');
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', {
    cwd: world.work,
    shell: shell === 'fish' ? 'fish' : `/bin/${shell}`,
    ...size,
  });
  await gateway.client.call('session.attach', { sid });
  await gateway.client.call('session.run', { sid, command: 'true' });
  return { gateway, sid };
}
