import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { LifelineErrorCode, type RunResult } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { Option, type Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { parseRunTimeout } from './internal/duration.js';
import {
  checkSessionId,
  cliErrorFor,
  messageOf,
  openLocalGateway,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import { followAndReport, printReport } from './internal/run-report.js';
import { byRecentActivity } from './internal/session-pick.js';
import { reportedSize } from '../terminal/reported-size.js';

/** Options of `lifeline exec`, as parsed. */
export interface ExecOptions {
  /** `-s`: the session to run in. @default the most recently active live session no command runs in, else a new one */
  session?: string;
  /** `--new`: run in a new session. @default false */
  new?: boolean;
  /** `--cwd`: where a new session starts, or where a reused one changes to first. @default the current directory for a new session */
  cwd?: string;
  /** `--timeout`: how long to wait for the command, as a duration. @default '30s' */
  timeout: string;
  /** `--json`: print one report object instead of the output. @default false */
  json?: boolean;
}

export type { ExecReport } from './internal/run-report.js';

/** Adds `lifeline exec` to the program. */
export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .summary('run a command in a session; print its output and exit with its status')
    .description(
      "Run a command in a durable session through a gateway of its own, stream its output, and exit with the command's exit status " +
        '(124 when --timeout passes first, 125 as soon as it waits for someone to type: the command keeps running and is still recorded). Without -s or --new it uses the most ' +
        'recently active live session that no command runs in, or starts one. The words after -- are joined with spaces and typed into the shell as they are, ' +
        "so quote the whole command to keep pipes and quotes for the session's shell.",
    )
    .addOption(new Option('-s, --session <sid>', 'run in this session').conflicts('new'))
    .addOption(new Option('--new', 'run in a new session'))
    .option(
      '--cwd <dir>',
      'start a new session in this directory, or cd there first in a reused one',
    )
    .option('--timeout <duration>', 'stop waiting after this long: 500ms, 30s, 5m, 2h', '30s')
    .option(
      '--json',
      'print one JSON object {sid, runId, exitCode, timedOut, waitsForInput, durationMs, cwd, output} and nothing else on stdout',
    )
    .argument('<command...>', 'the command to run')
    .passThroughOptions()
    .action(async (words: string[], options: ExecOptions) => {
      process.exitCode = await runExec(words, options, processContext());
    });
}

/**
 * Runs `lifeline exec`.
 * @returns the exit status: the command's own, 124 on timeout
 * @throws CliError for what the user must fix (usage, unknown session, no gateway)
 */
export async function runExec(
  words: string[],
  options: ExecOptions,
  context: CliContext,
): Promise<number> {
  const command = words.join(' ');
  if (command.trim() === '')
    throw new CliError(
      'usage',
      'give the command to run after --, e.g. `lifeline exec -- make test`',
    );
  const timeoutMs = parseRunTimeout(options.timeout);
  const cwd =
    options.cwd === undefined ? undefined : checkDirectory(path.resolve(context.cwd, options.cwd));
  const requestedSid = options.session === undefined ? undefined : checkSessionId(options.session);
  const json = options.json === true;
  const say = (line: string) => process.stderr.write(`lifeline: ${line}\n`);

  let link = await openLocalGateway(context);
  try {
    const begun = await startRun(
      link,
      context,
      { sid: requestedSid, fresh: options.new === true, cwd, command, timeoutMs },
      say,
    );
    if (begun.kind === 'busy') {
      const sid = begun.session.sid;
      say(
        `${begun.message} (session ${sid}; \`lifeline sessions input ${sid} <text>\` types into a command that waits for it, \`lifeline sessions interrupt ${sid}\` presses Ctrl+C in it)`,
      );
      if (json)
        printReport({
          sid,
          runId: null,
          exitCode: null,
          timedOut: true,
          waitsForInput: false,
          durationMs: 0,
          cwd: null,
          output: '',
        });
      return cliExitCodes.timeout;
    }
    const { session, typed, started, deadline } = begun;
    const followed = await followAndReport({
      context,
      link,
      sid: session.sid,
      runId: started.runId,
      afterSeq: started.startSeq,
      typed,
      command,
      deadline,
      timeoutMs,
      json,
      say,
    });
    link = followed.link;
    return followed.exitCode;
  } finally {
    link.close();
  }
}

interface ChosenSession {
  sid: string;
  /** Whether this exec started it (so it already is in the requested directory). */
  created: boolean;
  cwd: string;
}

/** A run started, or the session asked for still busy when the timeout passed. */
type Begun =
  | { kind: 'started'; session: ChosenSession; typed: string; started: RunResult; deadline: number }
  | { kind: 'busy'; session: ChosenSession; message: string };

/** Live sessions passed over (busy, or not usable) before exec starts a new one. */
const maxSessionsSkipped = 5;

/**
 * Starts the command: in the session asked for (waiting behind its runs), in a new one, or in the
 * most recently active live session that no command runs or waits in (a new one when each is
 * busy, say with a server or a question), saying on stderr which were passed over.
 */
async function startRun(
  link: GatewayLink,
  context: CliContext,
  wanted: {
    sid: string | undefined;
    fresh: boolean;
    cwd: string | undefined;
    command: string;
    timeoutMs: number;
  },
  say: (line: string) => void,
): Promise<Begun> {
  const create = async (): Promise<ChosenSession> => {
    const size = reportedSize(process.stdout) ?? {};
    const created = await link.client
      .call('session.create', { cwd: wanted.cwd ?? context.cwd, ...size })
      .catch((error: unknown) => {
        throw cliErrorFor(error, 'starting a session');
      });
    return { sid: created.sid, created: true, cwd: created.session.cwd };
  };
  // The clock starts once the session is ready: waiting for a busy session counts, starting a
  // gateway or a new session does not.
  let deadline: number | undefined;
  // One key for this invocation: however often the request is sent, a session starts it once.
  const idempotencyKey = randomUUID();
  const start = async (session: ChosenSession, ifIdle: boolean): Promise<Begun> => {
    const typed =
      wanted.cwd !== undefined && !session.created && session.cwd !== wanted.cwd
        ? `cd -- ${shellQuote(wanted.cwd)} && ${wanted.command}`
        : wanted.command;
    deadline ??= Date.now() + wanted.timeoutMs;
    const remaining = Math.max(1, deadline - Date.now());
    const started = await link.client.call(
      'session.run',
      {
        sid: session.sid,
        command: typed,
        timeoutMs: remaining,
        wait: false,
        ...(ifIdle ? { ifIdle } : {}),
        idempotencyKey,
      },
      { timeoutMs: remaining + 15_000 },
    );
    context.breadcrumb('exec.run', {
      sid: session.sid,
      created: session.created,
      timeoutMs: wanted.timeoutMs,
    });
    return { kind: 'started', session, typed, started, deadline };
  };
  const startWaiting = (session: ChosenSession): Promise<Begun> =>
    start(session, false).catch((error: unknown) => {
      if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionBusy)
        return { kind: 'busy', session, message: error.message };
      throw cliErrorFor(error, 'starting the command');
    });

  if (wanted.fresh) return startWaiting(await create());
  const { sessions } = await link.client.call('session.list', {}).catch((error: unknown) => {
    throw cliErrorFor(error, 'listing the sessions');
  });
  if (wanted.sid !== undefined) {
    const found = sessions.find((session) => session.sid === wanted.sid);
    if (!found) {
      throw new CliError(
        'notFound',
        `no session ${wanted.sid} in ${resolveStateDirectory(context.env)}; \`lifeline sessions\` lists them`,
      );
    }
    return startWaiting({ sid: found.sid, created: false, cwd: found.cwd });
  }
  const skipped: string[] = [];
  let anyBusy = false;
  for (const listed of byRecentActivity(
    sessions.filter((candidate) => candidate.status === 'live'),
  )) {
    if (skipped.length >= maxSessionsSkipped) break;
    const session = { sid: listed.sid, created: false, cwd: listed.cwd };
    try {
      const begun = await start(session, true);
      if (skipped.length > 0)
        say(`${skipped.join('; ')}: running in session ${session.sid} (in ${session.cwd})`);
      return begun;
    } catch (error) {
      const busyWith =
        RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionBusy
          ? (error.data as { command?: unknown } | undefined)?.command
          : undefined;
      anyBusy ||= typeof busyWith === 'string';
      // As listed a moment ago: only when the refusal names that same command.
      const waits = listed.running?.waitsForInput === true && listed.running.command === busyWith;
      const how = waits ? 'is waiting for someone to type in' : 'is busy with';
      skipped.push(
        typeof busyWith === 'string'
          ? `session ${session.sid} ${how} "${busyWith}"`
          : `session ${session.sid} could not be used (${messageOf(error)})`,
      );
    }
  }
  const begun = await startWaiting(await create());
  if (skipped.length > 0)
    say(
      `${skipped.join('; ')}: running in a new session ${begun.session.sid}${anyBusy ? ' (-s <sid> waits for a busy one)' : ''}`,
    );
  return begun;
}

function checkDirectory(directory: string): string {
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(directory).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDirectory) throw new CliError('usage', `--cwd ${directory} is not a directory`);
  return directory;
}

/** Quotes a path for a POSIX shell: single quotes, each embedded one closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
