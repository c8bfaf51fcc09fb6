import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { stateLayout } from '@lifeline/protocol/state';
import { createSessionFiles } from '../state/new-session.js';
import type { SessionRecord } from '../state/session-record.js';
import { spawnHost, type SpawnedHost } from './host-spawn.js';
import { resolveShell } from './shell-resolution.js';

/** The terminal size the client will ask for. */
export interface EarlySessionSize {
  cols: number;
  rows: number;
}

/** A session begun at a gateway's start, or why it could not be. */
export type EarlySession =
  | { started: true; record: SessionRecord; host: SpawnedHost }
  | { started: false; reason: string };

/**
 * Begins the session that the gateway's client is about to create (`--new-session`): in this
 * process's cwd, with the default shell, as `session.create` with no options would, and spawns
 * its host at once, so that the host starts while the rest of the gateway loads. Loads neither
 * schemas nor the RPC layer. Never throws: whatever prevented it, `session.create` reports the
 * usual way when it is asked.
 */
export function startSessionEarly(
  size: EarlySessionSize,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): EarlySession {
  try {
    const requestedShell = env.SHELL ?? '/bin/sh';
    const shell = resolveShell(requestedShell, env.PATH);
    if (!shell) return { started: false, reason: `shell "${requestedShell}" was not found` };
    if (!path.isAbsolute(cwd) || !fs.statSync(cwd).isDirectory()) {
      return { started: false, reason: `cwd "${cwd}" is not a directory` };
    }
    const stateDir = resolveStateDirectory(env);
    const record = createSessionFiles(stateDir, { cwd, shell, env: {}, cols: size.cols, rows: size.rows, name: undefined });
    const host = spawnHost({
      sid: record.sid,
      sessionDir: stateLayout.sessionDir(stateDir, record.sid),
      env: { ...env, LIFELINE_HOME: stateDir },
    });
    return { started: true, record, host };
  } catch (error) {
    return { started: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** `COLSxROWS` as a size, or undefined when it is not one (1–1000 each). */
export function parseSessionSize(text: string): EarlySessionSize | undefined {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(text);
  const cols = Number(match?.[1]);
  const rows = Number(match?.[2]);
  return match && cols >= 1 && cols <= 1000 && rows >= 1 && rows <= 1000 ? { cols, rows } : undefined;
}

/**
 * The size of the session asked for at the start, when the arguments are exactly `--new-session`
 * and at most a valid `--size`: anything else goes through the full argument parser first.
 */
export function newSessionAtStart(argv: readonly string[]): EarlySessionSize | undefined {
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
