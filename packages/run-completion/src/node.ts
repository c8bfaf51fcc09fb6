// Node-only helpers for hosts that spawn shells with node-pty: detect a shell, write and remove
// the integration files. Import from `@lifeline/run-completion/node`; the main entry stays free of
// Node APIs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RunCompletionError } from './errors.js';
import { describeValue } from './internal/describe-value.js';
import type { ShellIntegrationFile, ShellLaunch } from './launch.js';
import { type CompletionMode, selectMode } from './mode.js';
import { detectShellKind, type ShellKind } from './shell-kind.js';

export type { ShellIntegrationFile, ShellLaunch } from './launch.js';

/** What {@link detectShell} found out about a shell. */
export interface DetectedShell {
  /** The path as given. */
  path: string;
  /**
   * Its kind, after following symbolic links (`/bin/sh` → busybox, dash); `unknown` for a name
   * that is not one of a shell this package knows, whether or not the file exists.
   */
  kind: ShellKind;
  /** `BASH_VERSION` for bash; otherwise undefined. */
  version: string | undefined;
  /** The mode `selectMode()` picks for it. */
  mode: CompletionMode;
}

/** Options of {@link detectShell}. */
export interface DetectShellOptions {
  /**
   * Milliseconds to wait for `bash -c 'printf %s "$BASH_VERSION"'`: an integer > 0.
   * @default 5000
   */
  timeoutMs?: number | undefined;
}

/**
 * Finds out the kind (following symbolic links) and, for bash, the version of a shell, and the
 * mode to run it in. A bare name (`bash`) is looked up on this process's `PATH`, as a spawn with
 * that `PATH` would find it. Runs bash once, non-interactively, with an empty environment.
 *
 * It classifies the path by its name (and its link's target); it does not check that the file
 * exists or is a shell, and never throws for that: `/bin/nope` and `/bin/ls` are both `unknown`,
 * in postamble mode (what a shell it has never heard of gets too: `probe()` makes any POSIX shell
 * announce itself), and a missing `/opt/bash` is a bash of unknown version. To make sure the
 * shell is there before starting it, call {@link resolveShell}, which returns `undefined` when no
 * executable file matches.
 * @throws RunCompletionError (`INVALID_OPTION`) when `timeoutMs` is not an integer > 0
 */
export function detectShell(shellPath: string, options: DetectShellOptions = {}): DetectedShell {
  if (typeof shellPath !== 'string' || shellPath === '') {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `detectShell takes the path or name of a shell ('/bin/bash', 'zsh'), got ${describeValue(shellPath)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `detectShell timeoutMs must be a whole number of milliseconds > 0, got ${describeValue(timeoutMs)}`,
    );
  }
  const executable = resolveShell(shellPath, process.env.PATH) ?? shellPath;
  let kind = detectShellKind(shellPath);
  if (kind === 'posix' || kind === 'unknown') {
    let target: string | undefined;
    try {
      target = fs.realpathSync(executable);
    } catch {
      target = undefined;
    }
    const resolved = target === undefined ? 'unknown' : detectShellKind(target);
    // bash started as `sh` behaves as a POSIX sh (no PS0, reads ENV): keep `posix` for it.
    if (
      resolved === 'busybox' ||
      resolved === 'dash' ||
      (kind === 'unknown' && resolved !== 'bash')
    ) {
      kind = resolved;
    }
  }
  let version: string | undefined;
  if (kind === 'bash') {
    try {
      version = execFileSync(executable, ['-c', 'printf %s "$BASH_VERSION"'], {
        encoding: 'utf8',
        env: {},
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: timeoutMs,
      }).trim();
    } catch {
      version = undefined;
    }
  }
  return {
    path: shellPath,
    kind,
    version: version || undefined,
    mode: selectMode({ kind, version }),
  };
}

/**
 * Writes the launch's files under `directory` (created 0700 if missing), each with mode 0600 even
 * when it already existed. Call before spawning the shell.
 */
export function writeShellLaunchFiles(directory: string, launch: Pick<ShellLaunch, 'files'>): void {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  for (const file of launch.files) {
    const target = resolveInside(directory, file);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, file.contents, { mode: file.mode });
    fs.chmodSync(target, file.mode);
  }
}

/**
 * Removes the launch's files (and the subdirectories they were in, up to `directory`, when empty), once the session
 * ends: until then, an `exec zsh`, `exec bash` or `exec fish` typed in the session's shell reads
 * them again (removed earlier, such an exec starts a shell without the integration). Missing files
 * are ignored.
 */
export function removeShellLaunchFiles(
  directory: string,
  launch: Pick<ShellLaunch, 'files'>,
): void {
  const parents = new Set<string>();
  const root = path.resolve(directory);
  for (const file of launch.files) {
    const target = resolveInside(directory, file);
    fs.rmSync(target, { force: true });
    // Every folder between the file and the directory (fish/exec/fish/vendor_conf.d), deepest first.
    for (let parent = path.dirname(target); parent !== root; parent = path.dirname(parent)) {
      parents.add(parent);
    }
  }
  for (const parent of [...parents].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(parent);
    } catch {
      // Not empty or already gone: either way nothing of ours is left in it.
    }
  }
}

/**
 * The absolute path of a shell given as a path or as a bare name looked up on `searchPath` (a
 * `PATH` value), as a spawn with that `PATH` would find it.
 * @returns undefined when no executable file matches
 */
export function resolveShell(shell: string, searchPath: string | undefined): string | undefined {
  const candidates = shell.includes('/')
    ? [path.resolve(shell)]
    : (searchPath ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((directory) => path.join(directory, shell));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(candidate: string): boolean {
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

function resolveInside(directory: string, file: ShellIntegrationFile): string {
  const root = path.resolve(directory);
  const target = path.resolve(root, file.path);
  if (!target.startsWith(`${root}${path.sep}`)) {
    throw new RunCompletionError(
      'INVALID_OPTION',
      `launch file ${JSON.stringify(file.path)} would land outside ${root}; pass the files of createShellLaunch() unchanged`,
    );
  }
  return target;
}
