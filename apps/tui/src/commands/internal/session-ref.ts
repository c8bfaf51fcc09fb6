import fs from 'node:fs';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { isSessionId, sessionNameSchema, type SessionSummary } from '@lifeline/protocol';
import { CliError } from './cli-error.js';

/**
 * The session `lifeline --resume <session>` opens: by id, or by name once the gateway lists the
 * sessions (see {@link findSession}).
 */
export function resumeTarget(
  reference: string,
  env: NodeJS.ProcessEnv = process.env,
): { kind: 'resume'; sid: string } | { kind: 'resume-named'; name: string; where: string } {
  return isSessionId(reference)
    ? { kind: 'resume', sid: reference }
    : { kind: 'resume-named', name: reference, where: resolveStateDirectory(env) };
}

/**
 * The session a `-s` argument means: the one with that id, or the only one with that name.
 * @param where the state directory (or the gateway), for the message when there is none
 * @param listedBy what lists the sessions there, for that message
 * @throws CliError `notFound` when none matches, `usage` when a name matches several sessions
 */
export function findSession(
  sessions: readonly SessionSummary[],
  reference: string,
  where: string,
  listedBy = '`lifeline sessions`',
): SessionSummary {
  if (isSessionId(reference)) {
    const found = sessions.find((session) => session.sid === reference);
    if (found) return found;
    throw new CliError('notFound', `no session ${reference} in ${where}; ${listedBy} lists them`);
  }
  const named = sessions.filter((session) => session.name === reference);
  const [only] = named;
  if (only !== undefined && named.length === 1) return only;
  if (named.length === 0)
    throw new CliError(
      'notFound',
      `no session is named "${reference}" in ${where} (ids look like s_01m80eyhsykbmb761pfe6d0b9j); ${listedBy} lists them`,
    );
  const listed = named.map((session) => `${session.sid} (${session.status}, in ${session.cwd})`);
  throw new CliError(
    'usage',
    `${named.length} sessions are named "${reference}": ${listed.join(', ')}; give the id of one, or rename one with \`lifeline sessions rename <sid> <name>\``,
  );
}

/**
 * Checks a session name given on the command line.
 * @throws CliError `usage` saying what is wrong with it
 */
export function checkSessionName(name: string): string {
  const checked = sessionNameSchema.safeParse(name);
  if (checked.success) return checked.data;
  const reason = checked.error.issues[0]?.message ?? 'it is not a valid name';
  throw new CliError('usage', `"${name}" cannot name a session: ${reason}`);
}

/**
 * Whether a session's directory is `directory`: the same path, or the same directory reached
 * through symbolic links.
 */
export function isSameDirectory(sessionCwd: string, directory: string): boolean {
  if (sessionCwd === directory) return true;
  return realPathOr(sessionCwd) === realPathOr(directory);
}

function realPathOr(directory: string): string {
  try {
    return fs.realpathSync(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return directory;
    throw error;
  }
}
