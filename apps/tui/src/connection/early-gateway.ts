import { createCrashLogger, defaultCrashLogPath, type CrashLogger } from '@lifeline/crash-log';
import { spawnGatewayProcess, type SpawnedGateway } from './gateway-process.js';

/** A gateway spawned before the TUI's own modules loaded, and the crash log it was recorded in. */
export interface EarlyGateway {
  gateway: SpawnedGateway;
  logger: CrashLogger;
}

/**
 * Whether these arguments open the TUI (no command; at most `-c` or `--resume <sid>`). Only a sure
 * yes counts: anything else goes through the full argument parser first.
 */
export function isTuiInvocation(argv: readonly string[]): boolean {
  if (argv.length === 0) return true;
  if (argv.length === 1) return argv[0] === '-c' || argv[0] === '--continue' || /^--resume=./.test(argv[0] ?? '');
  return argv.length === 2 && argv[0] === '--resume';
}

/**
 * Spawns the TUI's gateway before the TUI's own modules load, so that the two start side by side
 * instead of one after the other. Needs only the transport and the crash log, which load in a few
 * milliseconds. Nothing is spawned without a terminal: the TUI will refuse to start then.
 */
export function startGatewayEarly(env: NodeJS.ProcessEnv = process.env): EarlyGateway | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const logger = createCrashLogger({ source: 'tui', path: defaultCrashLogPath(env), env });
  const gateway = spawnGatewayProcess({ env, cwd: process.cwd(), breadcrumb: (event, fields) => logger.breadcrumb(event, fields) });
  return { gateway, logger };
}
