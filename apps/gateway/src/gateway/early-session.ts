import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { stateLayout } from '@lifeline/protocol/state';
import { createSessionFiles } from '../state/new-session.js';
import { ensurePrivateDirectory } from '../state/private-directory.js';
import type { SessionRecord } from '../state/session-record.js';
import { spawnHost, type SpawnedHost } from './host-spawn.js';
import { hostEnvironment, sessionDefaults } from './session-defaults.js';
import { parseSessionSize, type SessionSize } from './session-size.js';
import { resolveShell } from '@lifeline/run-completion/node';

/** A session begun at a gateway's start, or why it could not be. */
export type EarlySession =
  | { started: true; record: SessionRecord; sessionDir: string; host: SpawnedHost }
  | { started: false; reason: string };

/**
 * Begins the session that the gateway's client is about to create (`--new-session`): in this
 * process's cwd, with the default shell, as `session.create` with no options would, and spawns
 * its host at once, so that the host starts while the rest of the gateway loads. Loads neither
 * schemas nor the RPC layer. Never throws: whatever prevented it, `session.create` reports the
 * usual way when it is asked.
 */
export function startSessionEarly(
  size: SessionSize,
  env: NodeJS.ProcessEnv = process.env,
): EarlySession {
  try {
    const defaults = sessionDefaults(env);
    const { cwd } = defaults;
    const shell = resolveShell(defaults.shell, defaults.path);
    if (!shell) return { started: false, reason: `shell "${defaults.shell}" was not found` };
    if (!path.isAbsolute(cwd) || !fs.statSync(cwd).isDirectory()) {
      return { started: false, reason: `cwd "${cwd}" is not a directory` };
    }
    const stateDir = resolveStateDirectory(env);
    ensurePrivateDirectory(stateDir, 'state directory');
    const record = createSessionFiles(stateDir, {
      cwd,
      shell,
      env: {},
      cols: size.cols,
      rows: size.rows,
      name: undefined,
    });
    const sessionDir = stateLayout.sessionDir(stateDir, record.sid);
    const host = spawnHost({ sid: record.sid, sessionDir, env: hostEnvironment(env, stateDir) });
    return { started: true, record, sessionDir, host };
  } catch (error) {
    return { started: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The size of the session asked for at the start, when the arguments are exactly `--new-session`
 * and at most a valid `--size`: anything else goes through the full argument parser first.
 */
export function newSessionAtStart(argv: readonly string[]): SessionSize | undefined {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'new-session': { type: 'boolean' }, size: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    return values['new-session'] ? parseSessionSize(values.size ?? '80x24') : undefined;
  } catch {
    return undefined;
  }
}
