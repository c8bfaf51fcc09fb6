import os from 'node:os';
import path from 'node:path';

/** The environment variables the state directory is resolved from. */
export type StateEnvironment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** Which setting gave the state directory: a variable, or the home directory (neither set). */
export type StateDirectorySource = 'LIFELINE_HOME' | 'XDG_STATE_HOME' | 'HOME';

/**
 * Which setting {@link resolveStateDirectory} takes the state directory from: `LIFELINE_HOME`
 * when it is set, else `XDG_STATE_HOME` when it is set to an absolute path, else the home
 * directory. Empty variables count as unset.
 * @param env where the variables are read from
 * @default env process.env
 */
export function stateDirectorySource(env: StateEnvironment = process.env): StateDirectorySource {
  if (nonEmpty(env.LIFELINE_HOME)) return 'LIFELINE_HOME';
  const xdgStateHome = nonEmpty(env.XDG_STATE_HOME);
  return xdgStateHome && path.isAbsolute(xdgStateHome) ? 'XDG_STATE_HOME' : 'HOME';
}

/**
 * Lifeline's state directory: `$LIFELINE_HOME`, else `$XDG_STATE_HOME/lifeline`, else
 * `~/.local/state/lifeline` (see {@link stateDirectorySource}). Empty variables count as unset; a
 * relative `XDG_STATE_HOME` is ignored (as the XDG spec asks); a relative `LIFELINE_HOME` is
 * resolved against the current directory, so a parent should pass children an absolute one.
 * @param env where the variables are read from
 * @default env process.env
 */
export function resolveStateDirectory(env: StateEnvironment = process.env): string {
  switch (stateDirectorySource(env)) {
    case 'LIFELINE_HOME':
      return path.resolve(env.LIFELINE_HOME as string);
    case 'XDG_STATE_HOME':
      return path.join(env.XDG_STATE_HOME as string, 'lifeline');
    case 'HOME':
      return path.join(nonEmpty(env.HOME) ?? os.homedir(), '.local', 'state', 'lifeline');
  }
}

/**
 * The crash log every Lifeline process appends to: `<state directory>/logs/crash.log`.
 * @param env where the variables are read from (see {@link resolveStateDirectory})
 * @default env process.env
 */
export function defaultCrashLogPath(env: StateEnvironment = process.env): string {
  return path.join(resolveStateDirectory(env), 'logs', 'crash.log');
}
