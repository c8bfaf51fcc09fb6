import { createCrashLogger, defaultCrashLogPath } from '@lifeline/crash-log';
import { PeerExitedError } from '@lifeline/rpc';
import {
  linkInProcessGateway,
  spawnGatewayLink,
  type Breadcrumb,
  type GatewayLink,
} from '../../connection/gateway-link.js';
import { CliError } from './cli-error.js';
import { knownCliError } from './known-cli-error.js';

/** What every command runs with: its environment, its directory and its crash-log writer. */
export interface CliContext {
  /** The environment gateways are started with (and the state directory resolved from). */
  env: NodeJS.ProcessEnv;
  /** What relative paths on the command line are resolved against. */
  cwd: string;
  /** Writes one breadcrumb to the crash log. */
  breadcrumb: Breadcrumb;
}

/** The context of this process; breadcrumbs go to the shared crash log as `[cli]`. */
export function processContext(): CliContext {
  const env = process.env;
  const logger = createCrashLogger({ source: 'cli', path: defaultCrashLogPath(env), env });
  return {
    env,
    cwd: process.cwd(),
    breadcrumb: (event, fields) => logger.breadcrumb(event, fields),
  };
}

/**
 * Starts a gateway of this command's own on stdio and waits for it to be ready.
 * @throws CliError `unreachable` when it does not start
 */
export async function openLocalGateway(context: CliContext): Promise<GatewayLink> {
  const link = spawnGatewayLink({
    env: context.env,
    cwd: context.cwd,
    breadcrumb: context.breadcrumb,
  });
  try {
    await link.ready;
  } catch (error) {
    link.kill('not ready');
    throw new CliError(
      'unreachable',
      `could not start the gateway: ${messageOf(error)}; \`lifeline logs\` shows what happened`,
      { cause: error },
    );
  }
  return link;
}

/**
 * Runs the gateway's router in this process (loaded only now: other commands never pay for it)
 * and links to it in memory: the same requests and semantics as a spawned gateway, without
 * starting one. Session hosts it starts are detached, as a gateway's are.
 * @throws CliError `unreachable` when the state directory is not a private directory of the user's
 */
export async function openInProcessGateway(context: CliContext): Promise<GatewayLink> {
  const { startInProcessGateway, UnsafeDirectoryError } =
    await import('@lifeline/gateway/in-process');
  let gateway;
  try {
    gateway = startInProcessGateway({ env: context.env, breadcrumb: context.breadcrumb });
  } catch (error) {
    if (!(error instanceof UnsafeDirectoryError)) throw error;
    throw new CliError('unreachable', error.message, { cause: error });
  }
  const link = linkInProcessGateway(gateway, { breadcrumb: context.breadcrumb });
  await link.ready;
  return link;
}

/**
 * Turns a failed gateway call into what the user is told: one of {@link knownCliError}, a gateway
 * that died (4), or anything else (1), saying what was being done.
 */
export function cliErrorFor(error: unknown, doing: string): CliError {
  const known = knownCliError(error);
  if (known) return known;
  if (PeerExitedError.isInstance(error)) {
    return new CliError(
      'unreachable',
      `the gateway exited while ${doing} (${error.message}); \`lifeline logs\` shows why`,
      { cause: error },
    );
  }
  const message = messageOf(error);
  // The gateway may have said what failed already.
  const said = message.startsWith(`${doing} failed: `) ? message : `${doing} failed: ${message}`;
  return new CliError('failure', said, { cause: error });
}

/** One line of an error, whatever was thrown. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
