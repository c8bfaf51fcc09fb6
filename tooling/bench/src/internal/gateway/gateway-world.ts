import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatewayCommand } from '@lifeline/gateway';
import { gatewayContract, stateLayout, type GatewayContract } from '@lifeline/protocol';
import { createClient, createPeer, type RpcClient } from '@lifeline/rpc';
import { spawnTransport, type SpawnedTransport } from '@lifeline/transport';
import { descendantPids, isProcessAlive, killAll, waitForExit } from '../process-tree.js';

/** File of a session directory holding the pid of the session's host. */
const HOST_LOCK_FILE = 'host.lock';

/** A gateway child on stdio with a typed client, as a TUI would run it. */
export class GatewayProcess {
  /** Typed calls and notifications of the gateway contract. */
  readonly client: RpcClient<GatewayContract>;
  /** The gateway's pid. */
  readonly pid: number;
  readonly #spawned: SpawnedTransport;

  private constructor(spawned: SpawnedTransport) {
    this.#spawned = spawned;
    this.pid = spawned.child.pid ?? 0;
    this.client = createClient(createPeer(spawned.transport), gatewayContract);
  }

  /**
   * Spawns `lifeline-gateway` with `env` in `cwd` and waits for its `ready` frame: this checkout's
   * build, or the `dist/cli.js` that `LIFELINE_BENCH_GATEWAY` names (whose hosts are that build's).
   * @throws Error with the gateway's stderr tail when it exits or stays silent for `readyTimeoutMs`
   */
  static async start(
    env: NodeJS.ProcessEnv,
    cwd: string,
    readyTimeoutMs = 10_000,
  ): Promise<GatewayProcess> {
    const otherBuild = process.env.LIFELINE_BENCH_GATEWAY;
    const { command, args } = otherBuild
      ? { command: process.execPath, args: [otherBuild] }
      : gatewayCommand();
    const gateway = new GatewayProcess(spawnTransport(command, args, { env, cwd }));
    let stop = (): void => undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          stop = gateway.client.on('ready', () => resolve());
        }),
        gateway.#spawned.transport.closed.then((info) => {
          throw new Error(
            `the gateway exited before its ready frame (${info.signal ?? `code ${String(info.exitCode)}`}): ${info.stderrTail ?? ''}`,
          );
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`the gateway sent no ready frame within ${readyTimeoutMs} ms`));
          }, readyTimeoutMs);
        }),
      ]);
    } catch (error) {
      gateway.#spawned.kill('SIGKILL');
      throw error;
    } finally {
      stop();
      clearTimeout(timer);
    }
    return gateway;
  }

  /** Closes the gateway's stdin (its signal to exit) and waits; SIGKILLs it after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    this.#spawned.transport.close();
    const gone = await waitForExit([this.pid], graceMs);
    if (gone.length > 0) await killAll(gone);
  }
}

/**
 * A private Lifeline world for one benchmark: its own state directory (`LIFELINE_HOME`), an empty
 * home directory (so no rc file of the user's shapes the shell) and `/bin/bash` as the shell, plus
 * every gateway it started. `dispose()` ends every process of the world, session hosts and their
 * shells included, and removes its files.
 */
export class GatewayWorld {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-gateway-'));
  readonly stateDir = path.join(this.root, 'state');
  readonly home = path.join(this.root, 'home');
  readonly work = path.join(this.root, 'work');
  readonly #gateways: GatewayProcess[] = [];
  readonly #extraEnv: Readonly<Record<string, string>>;
  #disposing: Promise<void> | undefined;

  /** @param extraEnv added to the environment of gateways, hosts and shells (`NODE_OPTIONS` to profile them) */
  constructor(extraEnv: Readonly<Record<string, string>> = {}) {
    this.#extraEnv = extraEnv;
    fs.mkdirSync(this.home, { recursive: true });
    fs.mkdirSync(this.work, { recursive: true });
  }

  /** What gateways (and through them hosts and shells) of this world run with. */
  env(): NodeJS.ProcessEnv {
    return { ...this.referenceEnv(), ...this.#extraEnv };
  }

  /**
   * What the references measured beside them run with: the same, without the options given to
   * Lifeline's processes alone (a profiler's, which would weigh on a reference's memory).
   */
  referenceEnv(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      LIFELINE_HOME: this.stateDir,
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
    };
  }

  /** Starts a gateway on stdio in the world's work directory. */
  async startGateway(): Promise<GatewayProcess> {
    const gateway = await GatewayProcess.start(this.env(), this.work);
    this.#gateways.push(gateway);
    return gateway;
  }

  /** The directory of one session's state (log, lock, record). */
  sessionDir(sid: string): string {
    return stateLayout.sessionDir(this.stateDir, sid);
  }

  /** Pid of the live host of one session, read from its lock file. */
  hostPid(sid: string): number | undefined {
    const pid = Number.parseInt(readOrEmpty(path.join(this.sessionDir(sid), HOST_LOCK_FILE)), 10);
    return isProcessAlive(pid) ? pid : undefined;
  }

  /** Pids of the live session hosts of this world. */
  hostPids(): number[] {
    let sids: string[];
    try {
      sids = fs.readdirSync(stateLayout.sessionsDir(this.stateDir));
    } catch {
      return [];
    }
    return sids.map((sid) => this.hostPid(sid)).filter((pid) => pid !== undefined);
  }

  /**
   * Ends everything: sessions are closed and gateways let go gracefully first (so processes run
   * with `--cpu-prof` write their profiles), then whatever still runs, hosts, their shells and
   * the shells' children included, is SIGKILLed. Removes the world's files.
   * Idempotent: a second call waits for the first.
   * @throws Error naming the pids that survived SIGKILL
   */
  dispose(): Promise<void> {
    this.#disposing ??= this.#dispose();
    return this.#disposing;
  }

  async #dispose(): Promise<void> {
    // Found while the tree is intact: a shell whose host died first is no longer under it.
    const treeOf = (pid: number) => [pid, ...descendantPids(pid)];
    const before = [
      ...this.hostPids().flatMap(treeOf),
      ...this.#gateways.flatMap((gateway) => descendantPids(gateway.pid)),
    ];
    await this.#closeSessions(3000);
    await Promise.all(this.#gateways.map((gateway) => gateway.close()));
    const lingering = await waitForExit(before, 2000);
    const survivors = await killAll([
      ...new Set([...lingering, ...this.hostPids().flatMap(treeOf)]),
    ]);
    // A shell hung up by its host may still be saving its history into home for a moment.
    fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
    if (survivors.length > 0) {
      throw new Error(
        `processes of the gateway benchmark survived SIGKILL: ${survivors.join(', ')}; kill them by hand`,
      );
    }
  }

  async #closeSessions(timeoutMs: number): Promise<void> {
    const gateway = this.#gateways.at(-1);
    if (!gateway) return;
    let timer: NodeJS.Timeout | undefined;
    const closing = (async () => {
      const { sessions } = await gateway.client.call('session.list', {}, { timeoutMs });
      await Promise.all(
        sessions
          .filter((session) => session.status === 'live')
          .map((session) =>
            gateway.client.call('session.close', { sid: session.sid }, { timeoutMs }),
          ),
      );
    })().catch(() => {
      // The gateway is already gone or cannot close them: the SIGKILL sweep takes over.
    });
    await Promise.race([
      closing,
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
