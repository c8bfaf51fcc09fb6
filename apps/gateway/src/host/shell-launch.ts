import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createSessionToken,
  createShellLaunch,
  type CompletionMode,
  type ShellKind,
} from '@lifeline/run-completion';
import { detectShell, writeShellLaunchFiles } from '@lifeline/run-completion/node';
import { userProcessEnv } from '../process-environment.js';
import type { SessionRecord } from '../state/session-record.js';
import { spawnPty, type PtyProcess } from './pty-process.js';
import { isDirectory } from '../is-directory.js';

/** A shell started in a PTY with the run-completion integration installed. */
export interface StartedShell {
  pty: PtyProcess;
  mode: CompletionMode;
  kind: ShellKind;
  token: string;
  /** Where it actually started (the recorded cwd, or the home directory if that is gone). */
  cwd: string;
  /** The `TERM` its terminal was started with. */
  term: string;
}

/** Variables of the host's own environment that must not leak into the user's shell. */
const privateVariables = ['LIFELINE_HOST_SID', 'LIFELINE_CRASH_LOG'];

/**
 * Starts the session's shell: detects its kind and mode, writes the integration scripts (which
 * carry the session's secret) into `<session dir>/shell` (0700), and spawns it in a PTY in the
 * last known cwd.
 */
export function startShell(
  record: SessionRecord,
  sessionDir: string,
  baseEnv: NodeJS.ProcessEnv,
): StartedShell {
  const detected = detectShell(record.shell);
  const token = createSessionToken();
  const directory = path.join(sessionDir, 'shell');
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(userProcessEnv(baseEnv))) {
    if (value !== undefined && !privateVariables.includes(name)) env[name] = value;
  }
  Object.assign(env, record.env);
  const launch = createShellLaunch({
    shell: record.shell,
    token,
    directory,
    kind: detected.kind,
    mode: detected.mode,
    env,
  });
  writeShellLaunchFiles(directory, launch);
  const cwd = isDirectory(record.cwd) ? record.cwd : (env.HOME ?? os.homedir());
  // The shell's terminal is the session's, which does what xterm does, whatever the terminal it
  // was asked for from: one without a terminal (`dumb`, as editors and CI give programs) would have
  // the line editor draw its lines without cursor moves, which no client can tell from output.
  const term =
    env.TERM === undefined || env.TERM === '' || env.TERM === 'dumb' ? 'xterm-256color' : env.TERM;
  const ptyEnv = { ...env, TERM: term, ...launch.env, LIFELINE_SESSION: record.sid };
  const pty = spawnPty({
    file: launch.file,
    args: launch.args,
    env: ptyEnv,
    cwd,
    cols: record.cols,
    rows: record.rows,
  });
  return { pty, mode: launch.mode, kind: launch.kind, token, cwd, term: ptyEnv.TERM };
}

/**
 * Saves a command that runs from a script (see `runsFromScript`) in `<session dir>/scripts` (0700
 * directory, 0600 file) for the shell to source.
 */
export function saveScript(sessionDir: string, text: string): { path: string; remove: () => void } {
  const directory = path.join(sessionDir, 'scripts');
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const file = path.join(directory, `${randomUUID()}.sh`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return { path: file, remove: () => fs.rmSync(file, { force: true }) };
}
