import path from 'node:path';

/** Environment variables that decide where Lifeline keeps its state. */
export interface StateDirEnvironment {
  LIFELINE_HOME?: string | undefined;
  XDG_STATE_HOME?: string | undefined;
  HOME?: string | undefined;
}

/**
 * The state directory shared by the TUI, gateways and session hosts: `$LIFELINE_HOME`, else
 * `$XDG_STATE_HOME/lifeline`, else `~/.local/state/lifeline`. Relative values are ignored, as the
 * XDG specification asks.
 * @throws Error when none of the variables gives an absolute path
 */
export function resolveStateDir(env: StateDirEnvironment): string {
  if (env.LIFELINE_HOME && path.isAbsolute(env.LIFELINE_HOME)) return env.LIFELINE_HOME;
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)) {
    return path.join(env.XDG_STATE_HOME, 'lifeline');
  }
  if (env.HOME && path.isAbsolute(env.HOME)) return path.join(env.HOME, '.local', 'state', 'lifeline');
  throw new Error(
    'cannot tell where to keep Lifeline state: set LIFELINE_HOME (or HOME) to an absolute directory',
  );
}

/** Where each file lives inside the state directory. */
export const stateLayout = {
  sessionsDir: (stateDir: string) => path.join(stateDir, 'sessions'),
  sessionDir: (stateDir: string, sid: string) => path.join(stateDir, 'sessions', sid),
  crashLog: (stateDir: string) => path.join(stateDir, 'logs', 'crash.log'),
  gatewayToken: (stateDir: string) => path.join(stateDir, 'gateway.token'),
} as const;
