import fs from 'node:fs';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { isSessionId, sessionNameSchema, type SessionSummary } from '@lifeline/protocol';
import type { GatewayLink } from '../../connection/gateway-link.js';
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
 * The session a `-s` argument means: the one with that id; else the one with that name (the live
 * one, when ended sessions have kept the name too); else the only one whose id starts with it, as
 * the TUI's header and `/sessions` show ids (`s_01m85bg8f3xq…`, the `…` may be left on).
 * @param where the state directory (or the gateway), for the message when there is none
 * @param listedBy what lists the sessions there, for that message
 * @throws CliError `notFound` when none matches, `usage` when several do, or `reference` is empty
 * or starts with `-` (an option, taken as the value of one) and names none
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
  const live = named.filter((session) => session.status === 'live');
  const [only] = live.length > 0 ? live : named;
  if (only !== undefined && (live.length === 1 || named.length === 1)) return only;
  if (named.length > 0) throw ambiguous(`${named.length} sessions are named "${reference}"`, named);
  const prefix = idPrefixOf(reference);
  const started = prefix === undefined ? [] : sessions.filter((s) => s.sid.startsWith(prefix));
  const [first] = started;
  if (first !== undefined && started.length === 1) return first;
  if (started.length > 1)
    throw ambiguous(
      `${started.length} session ids start with ${reference}`,
      started,
      'give more of the id',
    );
  // A value the option took by mistake (`-s -- cmd`, `-s ''`) is not a session that is missing.
  if (reference === '' || reference.startsWith('-'))
    throw new CliError(
      'usage',
      `${reference === '' ? 'an empty session' : `${quoted(reference)} looks like an option, not a session`}: give the session's id, the start of its id, or its name`,
    );
  throw new CliError(
    'notFound',
    prefix === undefined
      ? `no session is named ${quoted(reference)} in ${where} (ids are s_ and 26 lowercase letters and digits); ${listedBy} lists them`
      : `no session id starts with ${prefix} and no session is named ${quoted(reference)} in ${where}; ${listedBy} lists them`,
  );
}

/**
 * The session `reference` means (see {@link findSession}), among those the gateway over `link`
 * lists: a session given by its id is the only one whose files it reads.
 */
export async function lookUpSession(
  link: Pick<GatewayLink, 'client'>,
  reference: string,
  where: string,
  listedBy?: string,
): Promise<SessionSummary> {
  const { sessions } = await link.client.call(
    'session.list',
    isSessionId(reference) ? { sid: reference } : {},
  );
  return findSession(sessions, reference, where, listedBy);
}

/** The start of a session id (or a whole one) that `reference` is, without a trailing `…`; undefined if not one. */
function idPrefixOf(reference: string): string | undefined {
  const prefix = reference.replace(/(\u2026|\.\.\.)$/u, '');
  const idLength = 's_'.length + 26;
  if (!prefix.startsWith('s_') || prefix.length > idLength) return undefined;
  // Completed with the smallest digit, the start of an id is an id.
  return isSessionId(prefix.padEnd(idLength, '0')) ? prefix : undefined;
}

function ambiguous(
  what: string,
  sessions: readonly SessionSummary[],
  remedy = 'give the id of one, or rename one with `lifeline sessions rename <sid> <name>`',
): CliError {
  const listed = sessions.map((session) => `${session.sid} (${session.status}, in ${session.cwd})`);
  return new CliError('usage', `${what}: ${listed.join(', ')}; ${remedy}`);
}

/**
 * Checks a session name given on the command line.
 * @throws CliError `usage` saying what is wrong with it
 */
export function checkSessionName(name: string): string {
  const checked = sessionNameSchema.safeParse(name);
  if (checked.success) return checked.data;
  const reason = checked.error.issues[0]?.message ?? 'it is not a valid name';
  throw new CliError('usage', `${quoted(name)} cannot name a session: ${reason}`);
}

/** Characters of a name or reference a message quotes at most: a longer one is cut, its length said. */
const QUOTED_MAX = 60;

/** `text` in quotes for a message: its start only when it is long (a whole file pasted as a name). */
function quoted(text: string): string {
  if (text.length <= QUOTED_MAX) return `"${text}"`;
  // Not between the halves of a character.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(QUOTED_MAX - 1)) ? QUOTED_MAX - 1 : QUOTED_MAX;
  return `"${text.slice(0, cut)}…" (${text.length} characters)`;
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
