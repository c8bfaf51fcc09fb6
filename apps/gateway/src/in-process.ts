// `@lifeline/gateway/in-process`: the gateway's router, served to a client in the same process.
import { resolveStateDirectory } from '@lifeline/crash-log';
import type { Transport } from '@lifeline/transport';
import { createTransportPair } from '@lifeline/transport/testing';
import { serveClient } from './gateway/client-service.js';
import { HostRegistry } from './gateway/host-registry.js';
import { sweepLostHosts } from './gateway/lost-hosts.js';
import { hostEnvironment, sessionDefaults } from './gateway/session-defaults.js';
import { SessionCatalog } from './gateway/session-catalog.js';
import { unsafeStateDirectory } from './state/private-directory.js';

export { UnsafeDirectoryError } from './state/private-directory.js';

/** Writes one breadcrumb to the crash log. */
export type InProcessBreadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;

/** Options of {@link startInProcessGateway}. */
export interface InProcessGatewayOptions {
  /** The environment: the state directory is resolved from it, and hosts started with it. */
  env: NodeJS.ProcessEnv;
  /** Where the router's breadcrumbs go (the crash log of the process it runs in). */
  breadcrumb: InProcessBreadcrumb;
}

/** A gateway router running in this process, and the client end of its one connection. */
export interface InProcessGateway {
  /** The client's end: NDJSON-equivalent JSON-RPC messages, the gateway contract, `ready` first. */
  readonly transport: Transport;
  /** Ends the connection and disconnects from every session host (they keep running). */
  close(): void;
}

/**
 * Serves the gateway contract to one client of this process over an in-memory transport: the
 * same router a `lifeline-gateway` process runs (sessions, runs, attach streams, host
 * connections proven with the session's secret), without starting a process for it. Session hosts
 * it starts are detached and outlive this process, as when a gateway process starts them. It
 * installs no signal or exit hooks: the process it runs in keeps its own.
 * @throws UnsafeDirectoryError when the state directory is not a private directory of the user's
 */
export function startInProcessGateway(options: InProcessGatewayOptions): InProcessGateway {
  const { env, breadcrumb } = options;
  const stateDir = resolveStateDirectory(env);
  const refusal = unsafeStateDirectory(stateDir);
  if (refusal) throw refusal;
  const catalog = new SessionCatalog(stateDir);
  const registry = new HostRegistry(catalog, hostEnvironment(env, stateDir), breadcrumb);
  sweepLostHosts(catalog, breadcrumb, undefined);
  const [client, server] = createTransportPair();
  const close = () => {
    client.close();
    registry.close();
  };
  serveClient(server, {
    catalog,
    registry,
    breadcrumb,
    defaults: sessionDefaults(env),
    onShutdown: close,
  });
  return { transport: client, close };
}
