import { gatewayCommand, internalProcessEnv } from '@lifeline/gateway';
import { spawnTransport, type SpawnedTransport } from '@lifeline/transport';

/** How the TUI reports what happens to its gateway, for the crash log. */
export type Breadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;

/** Options of {@link spawnGatewayProcess}. */
export interface GatewayProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  breadcrumb: Breadcrumb;
  /** The gateway to run. @default gatewayCommand() of `@lifeline/gateway` */
  gateway?: { command: string; args: string[] };
}

/** A gateway child and when it was spawned. */
export interface SpawnedGateway {
  readonly process: SpawnedTransport;
  /** `Date.now()` at the spawn: the gateway's start time is measured from here. */
  readonly spawnedAt: number;
}

/**
 * Spawns a gateway child speaking NDJSON on stdio, in its own process group (the terminal's Ctrl+C
 * and hang-up reach the TUI, which decides). Needs nothing but the transport, so it can run before
 * the rest of the TUI has loaded; what the gateway says meanwhile waits in the transport. Variables
 * only the user's programs need reach the gateway set aside (`internalProcessEnv`), so its start
 * skips them, and come back in the session's shell.
 */
export function spawnGatewayProcess(options: GatewayProcessOptions): SpawnedGateway {
  const { command, args } = options.gateway ?? gatewayCommand();
  const spawnedAt = Date.now();
  const spawned = spawnTransport(command, args, {
    env: internalProcessEnv(options.env),
    cwd: options.cwd,
    detached: true,
  });
  options.breadcrumb('gateway.spawn', {
    pid: spawned.child.pid,
    argv: [command, ...args].join(' '),
  });
  return { process: spawned, spawnedAt };
}
