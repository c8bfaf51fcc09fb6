import fs from 'node:fs';
import path from 'node:path';
import { resolveStateDirectory, stateDirectorySource } from '@lifeline/crash-log';
import { cliExitCodes } from './commands/internal/cli-error.js';

/**
 * What is wrong with the state directory the environment names, in one sentence that names the
 * variable it comes from, the path, and what to do; undefined when it is a directory of the user's
 * (not a symbolic link, not writable by group or others) that they can write to, or does not exist
 * yet under a directory where they can create it.
 * @param env where the variables are read from (as `resolveStateDirectory` reads them)
 * @param uid the user it must belong to @default process.getuid()
 */
export function stateDirectoryProblem(
  env: NodeJS.ProcessEnv,
  uid = process.getuid?.(),
): string | undefined {
  const home = env.LIFELINE_HOME;
  if (stateDirectorySource(env) === 'LIFELINE_HOME' && home !== undefined && !path.isAbsolute(home))
    return `LIFELINE_HOME is ${home}, a relative path, which would name another directory in each directory Lifeline is run in: make it absolute (LIFELINE_HOME=${path.resolve(home)}, say)`;
  const directory = resolveStateDirectory(env);
  const kind = kindOf(directory);
  if (kind === 'unknown') return undefined;
  const { subject, remedy } = describeOrigin(env, directory);
  const writableRemedy = describeOrigin(env, directory, 'a directory you can write to').remedy;
  if (kind === 'directory') {
    // Lifeline's processes refuse these (its contents could have been planted): said here, in full,
    // before a gateway is started only to refuse it.
    const stats = fs.lstatSync(directory);
    if (stats.isSymbolicLink())
      return `${subject}, which is a symbolic link: Lifeline keeps its state only in a directory of yours; replace the link with one (mkdir -m 700 ${directory}), or ${describeOrigin(env, directory, 'a directory of yours').remedy}`;
    const { uid: owner, mode } = stats;
    if (uid !== undefined && owner !== uid)
      return `${subject}, which belongs to uid ${owner}, not to you (uid ${uid}): ${describeOrigin(env, directory, 'a directory of yours').remedy}`;
    if ((mode & 0o022) !== 0)
      return `${subject}, which group or others can write to (mode ${(mode & 0o777).toString(8).padStart(4, '0')}), so what is in it could have been put there by someone else: run chmod 700 ${directory}`;
    return writable(directory)
      ? undefined
      : `${subject}, which you cannot write to: ${writableRemedy}`;
  }
  if (kind !== 'missing') return `${subject}, which is ${kind}, not a directory: ${remedy}`;
  let ancestor = path.dirname(directory);
  let ancestorKind = kindOf(ancestor);
  while (ancestorKind === 'missing' && path.dirname(ancestor) !== ancestor) {
    ancestor = path.dirname(ancestor);
    ancestorKind = kindOf(ancestor);
  }
  if (ancestorKind === 'directory' && !writable(ancestor))
    return `${subject}, which cannot be created: you cannot write to ${ancestor}: ${writableRemedy}`;
  if (ancestorKind !== 'a file' && ancestorKind !== 'a special file') return undefined;
  return `${subject}, which cannot be created: ${ancestor} is ${ancestorKind}, not a directory: ${remedy}`;
}

/** Whether this process can create and remove entries in `directory`. */
function writable(directory: string): boolean {
  try {
    fs.accessSync(directory, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options that only ask for help or the version, which need no state directory. */
const helpOrVersion = new Set(['--help', '-h', '--version', '-V']);

/**
 * Ends the process with the usage exit status, saying why on stderr, when the state directory
 * cannot be used (see {@link stateDirectoryProblem}): every command checks it before anything
 * else, so that none fails later with an error of the file system's own words. A command line
 * that asks for help or the version (before any `--`) is let through: it touches no state.
 * @param argv the command's arguments, after the program's name
 */
export function exitUnlessStateDirectoryUsable(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options[0] === 'help' || options.some((option) => helpOrVersion.has(option))) return;
  const problem = stateDirectoryProblem(env);
  if (problem === undefined) return;
  process.stderr.write(`lifeline: ${problem}\n`);
  process.exit(cliExitCodes.usage);
}

type PathKind = 'directory' | 'missing' | 'unknown' | 'a file' | 'a special file';

function kindOf(target: string): PathKind {
  try {
    const stats = fs.statSync(target);
    if (stats.isDirectory()) return 'directory';
    return stats.isFile() ? 'a file' : 'a special file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    // Unreadable, say: creating or opening it later says so in its own words.
    if (code === 'EACCES' || code === 'ELOOP' || code === 'ENAMETOOLONG') return 'unknown';
    throw error;
  }
}

/** Which setting the state directory comes from, and what to do about it (give it `wanted`). */
function describeOrigin(
  env: NodeJS.ProcessEnv,
  directory: string,
  wanted = 'a directory',
): { subject: string; remedy: string } {
  switch (stateDirectorySource(env)) {
    case 'LIFELINE_HOME':
      return {
        subject: `LIFELINE_HOME is ${directory}`,
        remedy: `point it at ${wanted}, or unset it`,
      };
    case 'XDG_STATE_HOME':
      return {
        subject: `the state directory is ${directory} (XDG_STATE_HOME is ${env.XDG_STATE_HOME})`,
        remedy: `point XDG_STATE_HOME at ${wanted}, or set LIFELINE_HOME to one`,
      };
    case 'HOME':
      return {
        subject: `the state directory is ${directory}`,
        remedy: `set LIFELINE_HOME to ${wanted}`,
      };
  }
}
