import { createCrashLogger, defaultCrashLogPath, type CrashLogger } from '@lifeline/crash-log';
import { gatewayCommand, newSessionArguments } from '@lifeline/gateway';
import type { TuiOptions } from '../tui-main.js';
import { spawnGatewayProcess, type SpawnedGateway } from './gateway-process.js';

/** A gateway spawned before the TUI's own modules loaded, and the crash log it was recorded in. */
export interface EarlyGateway {
  gateway: SpawnedGateway;
  logger: CrashLogger;
}

/**
 * Spawns the TUI's gateway before the TUI's own modules load, so that the two start side by side
 * instead of one after the other. Needs only the transport and the crash log, which load in a few
 * milliseconds. With `newSession` (the TUI opens a new session), the gateway begins that session
 * at once, in this cwd at this terminal's size (`--new-session`): its host starts while the
 * gateway and the TUI load. Nothing is spawned without a terminal: the TUI will refuse to start.
 */
export function startGatewayEarly(
  options: { newSession: boolean },
  env: NodeJS.ProcessEnv = process.env,
): EarlyGateway | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const logger = createCrashLogger({ source: 'tui', path: defaultCrashLogPath(env), env });
  const gateway = spawnGatewayProcess({
    env,
    cwd: process.cwd(),
    breadcrumb: (event, fields) => logger.breadcrumb(event, fields),
    gateway: gatewayCommand(
      options.newSession
        ? newSessionArguments({ cols: process.stdout.columns, rows: process.stdout.rows })
        : [],
    ),
  });
  return { gateway, logger };
}

/** The TUI's gateway: the one started early, if there is one, else one the TUI spawns itself. */
export function tuiGateway(
  early: EarlyGateway | undefined,
): Pick<TuiOptions, 'gateway' | 'logger'> {
  return early
    ? { gateway: { kind: 'spawn', started: early.gateway }, logger: early.logger }
    : { gateway: { kind: 'spawn' } };
}
