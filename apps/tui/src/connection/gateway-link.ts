import type { InProcessGateway } from '@lifeline/gateway/in-process';
import {
  formatDurationSpec,
  gatewayContract,
  PROTOCOL_VERSION,
  type GatewayContract,
  type Ready,
} from '@lifeline/protocol';
import { createClient, createPeer, type ClientOptions, type RpcClient } from '@lifeline/rpc';
import { connectWebSocket, type CloseInfo, type Transport } from '@lifeline/transport';
import {
  spawnGatewayProcess,
  type Breadcrumb,
  type GatewayProcessOptions,
  type SpawnedGateway,
} from './gateway-process.js';

export type { Breadcrumb } from './gateway-process.js';

/** One connection to a gateway: a spawned child on stdio, or a remote one over WebSocket. */
export interface GatewayLink {
  readonly client: RpcClient<GatewayContract>;
  /** Resolves with the gateway's `ready` frame; rejects on startup timeout or an early exit. */
  readonly ready: Promise<Ready>;
  /**
   * Resolves once, when the connection is gone; `killedFor` says why this link ended it (a
   * gateway that stopped answering its heartbeats, say), when it did.
   */
  readonly closed: Promise<CloseInfo & { killedFor?: string }>;
  /** Pid of a spawned gateway. */
  readonly pid: number | undefined;
  /** Ends the link (and kills a spawned gateway), recording why. */
  kill(reason: string): void;
  /** Ends the link politely: a spawned gateway sees its stdin close and exits by itself. */
  close(): void;
  /** Stops reading from the gateway (it holds what it has for us, and slows the session down). */
  pause(): void;
  /** Reads from the gateway again after `pause()`. */
  resume(): void;
}

/** Options shared by both kinds of link. */
export interface LinkOptions {
  breadcrumb: Breadcrumb;
  /** Longest wait for the `ready` frame. @default 10000 */
  startupTimeoutMs?: number;
  /** Interval of the liveness ping; a gateway that misses two in a row is killed. @default 5000 */
  heartbeatMs?: number;
}

/** Options of {@link spawnGatewayLink}. */
export interface SpawnLinkOptions extends LinkOptions, GatewayProcessOptions {}

/** Spawns a gateway child speaking NDJSON JSON-RPC on stdio. */
export function spawnGatewayLink(options: SpawnLinkOptions): GatewayLink {
  return linkSpawnedGateway(spawnGatewayProcess(options), options);
}

/** The link to a gateway child spawned by {@link spawnGatewayProcess}. */
export function linkSpawnedGateway(gateway: SpawnedGateway, options: LinkOptions): GatewayLink {
  const spawned = gateway.process;
  const pid = spawned.child.pid;
  const kill = (reason: string) => {
    if (spawned.transport.isClosed && spawned.child.exitCode !== null) return;
    options.breadcrumb('gateway.kill', { pid, reason });
    spawned.kill('SIGKILL', 'local');
  };
  void spawned.transport.closed.then((info) => {
    options.breadcrumb('gateway.exit', {
      pid,
      reason: info.reason,
      code: info.exitCode,
      signal: info.signal,
      stderr: info.stderrTail?.trim().split('\n').slice(-3).join('\n'),
    });
    // A gateway that closed its stdout but lives on is of no use: make sure it is gone.
    if (spawned.child.exitCode === null && spawned.child.signalCode === null)
      kill(`transport ${info.reason}`);
  });
  return {
    ...wrapTransport(spawned.transport, kill, options, { pid, startedAt: gateway.spawnedAt }),
    close: () => spawned.transport.close(),
  };
}

/** The link to a gateway router running in this process: no process to start, wait for or kill. */
export function linkInProcessGateway(gateway: InProcessGateway, options: LinkOptions): GatewayLink {
  const kill = (reason: string) => {
    if (gateway.transport.isClosed) return;
    options.breadcrumb('gateway.kill', { inProcess: true, reason });
    gateway.close();
  };
  // Its answers are built to the contract by the router's own code in this process: they are not
  // checked against it again (a spawned or remote gateway's are).
  return {
    ...wrapTransport(gateway.transport, kill, options, { validateResults: false }),
    close: () => gateway.close(),
  };
}

/**
 * Connects to a gateway listening on WebSocket (`lifeline gateway --listen`).
 * @throws TransportError `UNAUTHORIZED`, `FORBIDDEN_ORIGIN`, `UNREACHABLE`, …
 */
export async function connectGatewayLink(
  url: string,
  token: string,
  options: LinkOptions,
): Promise<GatewayLink> {
  const transport = await connectWebSocket(url, { token });
  options.breadcrumb('gateway.connect', { url });
  void transport.closed.then((info) => {
    options.breadcrumb('gateway.disconnect', { url, reason: info.reason });
  });
  const link = wrapTransport(
    transport,
    (reason) => {
      options.breadcrumb('gateway.kill', { url, reason });
      transport.close();
    },
    options,
  );
  return { ...link, close: () => transport.close() };
}

function wrapTransport(
  transport: Transport,
  kill: (reason: string) => void,
  options: LinkOptions,
  {
    pid,
    startedAt = Date.now(),
    ...clientOptions
  }: ClientOptions & {
    /** The gateway's process, when this one started it. */
    pid?: number | undefined;
    /** When it was started, for the time it took to be ready. @default now */
    startedAt?: number;
  } = {},
): Omit<GatewayLink, 'close'> {
  let killedFor: string | undefined;
  const killFor = (reason: string) => {
    killedFor ??= reason;
    kill(reason);
  };
  const client = createClient(createPeer(transport), gatewayContract, clientOptions);
  const startupTimeoutMs = options.startupTimeoutMs ?? 10_000;
  const ready = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      options.breadcrumb('gateway.startup_timeout', { pid, ms: startupTimeoutMs });
      killFor('startup timeout');
      reject(
        new Error(
          `the gateway did not say it was ready within ${formatDurationSpec(startupTimeoutMs)}`,
        ),
      );
    }, startupTimeoutMs);
    const stop = client.on('ready', (frame) => {
      clearTimeout(timer);
      stop();
      if (frame.version !== PROTOCOL_VERSION) {
        killFor('protocol mismatch');
        reject(
          new Error(
            `the gateway speaks protocol version ${frame.version}, this lifeline speaks ${PROTOCOL_VERSION}; install matching versions`,
          ),
        );
        return;
      }
      options.breadcrumb('gateway.ready', { pid: frame.pid, ms: Date.now() - startedAt });
      resolve(frame);
    });
    void transport.closed.then((info) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the gateway went away before it was ready (${info.reason}${info.signal ? `, ${info.signal}` : ''}${typeof info.exitCode === 'number' ? `, code ${info.exitCode}` : ''})`,
        ),
      );
    });
  });
  ready.catch(() => undefined);
  startHeartbeat(client, transport, killFor, options);
  return {
    client,
    ready,
    closed: transport.closed.then((info) =>
      killedFor === undefined ? info : { ...info, killedFor },
    ),
    pid,
    kill,
    pause: () => transport.pause?.(),
    resume: () => transport.resume?.(),
  };
}

/** A gateway that stops answering (alive but stuck) is killed, so recovery can replace it. */
function startHeartbeat(
  client: RpcClient<GatewayContract>,
  transport: Transport,
  kill: (reason: string) => void,
  options: LinkOptions,
): void {
  const intervalMs = options.heartbeatMs ?? 5000;
  let misses = 0;
  const timer = setInterval(() => {
    client.peer.request('ping', {}, { timeoutMs: intervalMs }).then(
      () => {
        misses = 0;
      },
      () => {
        misses += 1;
        if (misses >= 2) kill('it missed two heartbeats');
      },
    );
  }, intervalMs);
  timer.unref();
  void transport.closed.then(() => {
    clearInterval(timer);
  });
}
