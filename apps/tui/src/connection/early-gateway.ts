import { createCrashLogger, defaultCrashLogPath, type CrashLogger } from '@lifeline/crash-log';
import { spawnGatewayLink, type GatewayLink } from './gateway-link.js';

/**
 * Spawns the TUI's gateway before the TUI's own modules load, so that the two start side by side
 * instead of one after the other. Nothing is spawned without a terminal: the TUI will refuse to
 * start then.
 * @returns the gateway's link and the crash log it writes its breadcrumbs to, or undefined
 */
export function startGatewayEarly(env: NodeJS.ProcessEnv = process.env): { link: GatewayLink; logger: CrashLogger } | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const logger = createCrashLogger({ source: 'tui', path: defaultCrashLogPath(env), env });
  const link = spawnGatewayLink({ env, cwd: process.cwd(), breadcrumb: (event, fields) => logger.breadcrumb(event, fields) });
  return { link, logger };
}
