import os from 'node:os';
import path from 'node:path';

/** The environment variables the state directory is resolved from. */
export type StateEnvironment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/**
 * Lifeline's state directory: `$LIFELINE_HOME`, else `$XDG_STATE_HOME/lifeline`, else
 * `~/.local/state/lifeline`. Empty variables count as unset; a relative `XDG_STATE_HOME` is
 * ignored (as the XDG spec asks); a relative `LIFELINE_HOME` is resolved against the current
 * directory, so a parent should pass children an absolute one.
 * @param env where the variables are read from
 * @default env process.env
 */
export function resolveStateDirectory(env: StateEnvironment = process.env): string {
  const lifelineHome = nonEmpty(env.LIFELINE_HOME);
  if (lifelineHome) return path.resolve(lifelineHome);
  const xdgStateHome = nonEmpty(env.XDG_STATE_HOME);
  if (xdgStateHome && path.isAbsolute(xdgStateHome)) return path.join(xdgStateHome, 'lifeline');
  const home = nonEmpty(env.HOME) ?? os.homedir();
  return path.join(home, '.local', 'state', 'lifeline');
}

/**
 * The crash log every Lifeline process appends to: `<state directory>/logs/crash.log`.
 * @param env where the variables are read from (see {@link resolveStateDirectory})
 * @default env process.env
 */
export function defaultCrashLogPath(env: StateEnvironment = process.env): string {
  return path.join(resolveStateDirectory(env), 'logs', 'crash.log');
}
