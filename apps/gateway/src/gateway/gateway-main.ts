import {
  CleanupRegistry,
  createCrashLogger,
  defaultCrashLogPath,
  installProcessHooks,
  resolveStateDirectory,
} from '@lifeline/crash-log';
import { stateLayout } from '@lifeline/protocol';
import {
  createStdioTransport,
  listenWebSocket,
  type CloseInfo,
  type WebSocketTransportServer,
} from '@lifeline/transport';
import { ensureTokenFile } from '@lifeline/transport/token-file';
import { UNSAFE_STATE_EXIT_CODE, unsafeStateDirectory } from '../state/private-directory.js';
import { serveClient, type ClientServiceOptions } from './client-service.js';
import type { EarlySession } from './early-session.js';
import { HostRegistry } from './host-registry.js';
import { describeListenFailure } from './listen-failure.js';
import { sweepLostHosts } from './lost-hosts.js';
import { PreparedSession } from './prepared-session.js';
import { hostEnvironment, sessionDefaults } from './session-defaults.js';
import { SessionCatalog } from './session-catalog.js';
import { relayLinkOptions } from '../link-options.js';

/** How to serve: NDJSON on stdio (one client, the default) or WebSocket (many clients). */
export type GatewayMode =
  | { kind: 'stdio' }
  | {
      kind: 'listen';
      host: string;
      port: number;
      tokenFile: string | undefined;
      allowedOrigins: string[];
    };

/** Everything a gateway process shares between its clients. */
function startGatewayCore(env: NodeJS.ProcessEnv, early: EarlySession | undefined) {
  const stateDir = resolveStateDirectory(env);
  const logger = createCrashLogger({ source: 'gateway', path: defaultCrashLogPath(env), env });
  const breadcrumb = (
    event: string,
    fields?: Record<string, string | number | boolean | null | undefined>,
  ) => {
    logger.breadcrumb(event, fields);
  };
  const cleanups = new CleanupRegistry();
  const hooks = installProcessHooks({ logger, cleanups, graceMs: 1000 });
  const catalog = new SessionCatalog(stateDir);
  // Hosts (and through them the shells) find the same state directory whatever their cwd.
  const registry = new HostRegistry(catalog, hostEnvironment(env, stateDir), breadcrumb);
  cleanups.add('hosts', () => {
    registry.close();
  });
  // The host of a session begun at the start may not hold its lock yet: it is starting, not lost.
  sweepLostHosts(catalog, breadcrumb, early?.started ? early.record.sid : undefined);
  const clientOptions = (
    onShutdown: () => void,
    prepared?: PreparedSession,
  ): ClientServiceOptions => ({
    catalog,
    registry,
    breadcrumb,
    defaults: sessionDefaults(env),
    prepared,
    onShutdown,
  });
  return { stateDir, breadcrumb, hooks, cleanups, registry, clientOptions };
}

/**
 * Runs a gateway process. In stdio mode it serves the client on its stdin/stdout and exits when
 * stdin closes (the client, usually the TUI that spawned it, is gone); stdout carries frames only.
 * `early`: the session begun at the start for the client's first `session.create` (stdio only).
 */
export async function runGateway(
  mode: GatewayMode,
  env: NodeJS.ProcessEnv = process.env,
  early?: EarlySession,
): Promise<void> {
  if (mode.kind === 'stdio') {
    // Nothing but frames may reach stdout: stray logging goes to stderr.
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }
  const refusal = unsafeStateDirectory(resolveStateDirectory(env));
  if (refusal) {
    process.stderr.write(`lifeline: ${refusal.message}\n`);
    process.exitCode = UNSAFE_STATE_EXIT_CODE;
    return;
  }
  const core = startGatewayCore(env, mode.kind === 'stdio' ? early : undefined);
  const { breadcrumb, hooks } = core;
  if (mode.kind === 'stdio') {
    const transport = createStdioTransport(relayLinkOptions);
    breadcrumb('gateway.start', { pid: process.pid, mode: 'stdio', state: core.stateDir });
    const prepared = early && prepareSession(early, core);
    serveClient(
      transport,
      core.clientOptions(() => void hooks.shutdown('shutdown requested'), prepared),
    );
    const info = await transport.closed;
    if (!hooks.shuttingDown) {
      breadcrumb('client.gone', { reason: info.reason, error: info.error?.message });
      const failure = describeClientFailure(info);
      if (failure === undefined) {
        await hooks.shutdown('client gone');
        return;
      }
      // The client may still read: it hears why, as a JSON-RPC error, and so does whoever reads stderr.
      if (info.reason === 'oversize') {
        process.stdout.write(
          `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: failure } })}\n`,
        );
      }
      process.stderr.write(`lifeline-gateway: ${failure}\n`);
      await hooks.shutdown('client connection failed', 1);
    }
    return;
  }
  const tokenFile = mode.tokenFile ?? stateLayout.gatewayToken(core.stateDir);
  const target = { host: mode.host, port: mode.port, tokenFile };
  let stage: 'token' | 'listen' = 'token';
  let server: WebSocketTransportServer;
  try {
    await ensureTokenFile(tokenFile);
    stage = 'listen';
    server = await listenWebSocket(
      { host: mode.host, port: mode.port, tokenFile, allowedOrigins: mode.allowedOrigins },
      (transport, info) => {
        breadcrumb('client.connect', { address: info.remoteAddress, origin: info.origin });
        serveClient(
          transport,
          core.clientOptions(() => void hooks.shutdown('shutdown requested')),
        );
      },
    );
  } catch (error) {
    // An ordinary reason not to start (the port is taken, the token file is not private) is one
    // line that says what to do, with the CLI's exit code; anything else is a bug, with its stack.
    const failure = describeListenFailure(error, stage, target);
    if (!failure) throw error;
    breadcrumb('gateway.listen_failed', {
      stage,
      exitCode: failure.exitCode,
      reason: failure.message,
    });
    process.stderr.write(`lifeline: ${failure.message}\n`);
    await hooks.shutdown('could not listen', failure.exitCode);
    return;
  }
  core.cleanups.add('listener', () => server.close());
  // Started by `lifeline gateway` with a channel to it: a server in its terminal's foreground
  // ends with its parent, however the parent ended (SIGKILL included), and frees its port.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => {
      breadcrumb('parent.gone', { ppid: process.ppid });
      void hooks.shutdown('parent gone');
    });
  }
  breadcrumb('gateway.start', { pid: process.pid, mode: 'listen', url: server.url });
  process.stdout.write(
    `lifeline gateway listening on ${server.url}\nbearer token file: ${tokenFile}\n`,
  );
}

/**
 * Why a stdio client's connection failed, in one line, or undefined when the client simply went
 * away (its end closed, or it vanished).
 */
function describeClientFailure(info: CloseInfo): string | undefined {
  switch (info.reason) {
    case 'oversize':
      return `a frame from the client was larger than the limit (${info.error?.message ?? 'oversize'}); the connection was closed`;
    case 'stalled':
      return `the client stopped reading its replies and too many were queued (${info.error?.message ?? 'stalled'}); the connection was closed`;
    case 'error':
      return `the client connection failed: ${info.error?.message ?? 'I/O error'}`;
    default:
      return undefined;
  }
}

/** Hands the session begun at the start to the registry until the client claims it. */
function prepareSession(
  early: EarlySession,
  core: ReturnType<typeof startGatewayCore>,
): PreparedSession | undefined {
  if (!early.started) {
    core.breadcrumb('session.prepare_failed', { reason: early.reason });
    return undefined;
  }
  const { record, host } = early;
  core.breadcrumb('session.prepare', {
    sid: record.sid,
    hostPid: host.child.pid,
    cwd: record.cwd,
    shell: record.shell,
  });
  const prepared = new PreparedSession(early, core.registry, core.breadcrumb);
  core.cleanups.add('prepared session', () => prepared.discard('the client never asked for it'));
  return prepared;
}
