import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resolveStateDirectory } from '@lifeline/crash-log';
import {
  formatDurationSpec,
  MAX_COMMAND_BYTES,
  type RunResult,
  type SessionSummary,
} from '@lifeline/protocol';
import { detectShellKind } from '@lifeline/run-completion';
import { Option, type Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { parseRunTimeout, roundToTenthMs } from './internal/duration.js';
import {
  cliErrorFor,
  messageOf,
  openInProcessGateway,
  openLocalGateway,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import {
  followAndReport,
  printCompleteLine,
  printReport,
  printStreamLine,
} from './internal/run-report.js';
import { busyDetail } from './internal/busy-refusal.js';
import { goneDirectoryRefusal } from './internal/gone-directory.js';
import { withdrawnOnStop } from './internal/withdrawn-on-stop.js';
import { heldAtPrompt } from './internal/prompt-keys.js';
import { byRecentActivity } from './internal/session-pick.js';
import { checkSessionName, isSameDirectory, lookUpSession } from './internal/session-ref.js';
import { argvCommandLine, quoteWord } from './internal/shell-words.js';
import { reportedSize, type TerminalSize } from '../terminal/reported-size.js';

/** Which live sessions exec may use when it is not told one. */
export type ReusePolicy = 'cwd' | 'any';

/** Options of `lifeline exec`, as parsed. */
export interface ExecOptions {
  /** `-s`: the session to run in, by id or by name. @default an idle live session in the directory, else a new one there */
  session?: string;
  /** `--new`: run in a new session. @default false */
  new?: boolean;
  /** `--name`: the name of the new session (with `--new`). @default the basename of its directory */
  name?: string;
  /** `--cwd`: the directory to run in, instead of the current one. @default the current directory */
  cwd?: string;
  /** `--reuse`: `cwd` uses only sessions in that directory, `any` the most recently active idle one (which first changes to it when `--cwd` is given). @default 'cwd' */
  reuse: ReusePolicy;
  /** `--timeout`: how long to wait for the command, as a duration. @default '30s' */
  timeout: string;
  /** `--json`: print one report object instead of the output. @default false */
  json?: boolean;
  /** `--jsonl`: print one JSON object per line as things happen, the report last. @default false */
  jsonl?: boolean;
}

export type { ExecReport } from './internal/run-report.js';

/** Adds `lifeline exec` to the program. */
export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .summary('run a command in a session; print its output and exit with its status')
    .description(
      "Run a command in a durable session, stream its output, and exit with the command's exit status " +
        '(124 when --timeout passes first, or when the session holds it back unstarted; 125 as soon as it waits for someone to type: the command keeps running and is still recorded). ' +
        'Without -s or --new it uses a live session in the current directory (or --cwd) that no command runs in, or starts one there; ' +
        'stderr names the session whenever exec did not start it, and the one --new started. ' +
        "One word after -- is a command line in the session's shell (pipes, redirections, `;`): `lifeline exec -- 'make 2>&1 | tail'`. " +
        'Several words are an argument vector: each is quoted for the shell, so the program receives exactly those words: ' +
        "`lifeline exec -- sh -c 'echo hi; exit 3'`. " +
        "Options go before the command: from its first word on, every word is the command's (`lifeline exec -s api echo hi --json` prints `hi --json`). " +
        'Output is what the terminal showed, line by line: each line ends with a line break, the last one too.',
    )
    .addOption(
      new Option(
        '-s, --session <sid|name>',
        'run in this session (its id, the start of its id, or its name)',
      ).conflicts('new'),
    )
    .addOption(new Option('--new', 'run in a new session'))
    .option('--name <name>', 'with --new: name the new session')
    .option('--cwd <dir>', 'run in this directory instead of the current one')
    .addOption(
      new Option(
        '--reuse <which>',
        'without -s: cwd uses only a session in that directory; any uses the most recently active idle one wherever it is (with --cwd, it changes there first)',
      )
        .choices(['cwd', 'any'])
        .default('cwd'),
    )
    .option('--timeout <duration>', 'stop waiting after this long: 500ms, 30s, 5m, 2h', '30s')
    .addOption(
      new Option(
        '--json',
        'print one JSON object {sid, runId, exitCode, stoppedBy, timedOut, waitsForInput, durationMs, cwd, shellExited, output} and nothing else on stdout',
      ).conflicts('jsonl'),
    )
    .option(
      '--jsonl',
      'print one JSON object per line as things happen: start, output, waiting_for_input, then complete with the fields of --json',
    )
    .argument('<command...>', 'a command line (one word), or a program and its arguments')
    .passThroughOptions()
    .action(async (words: string[], options: ExecOptions, command: Command) => {
      // The default applies without -s and --new; given with one of them, it would choose nothing.
      if (command.getOptionValueSource('reuse') === 'cli' && (options.session ?? options.new))
        throw new CliError(
          'usage',
          `--reuse chooses among live sessions when neither -s nor --new is given; drop it, or drop ${options.session === undefined ? '--new' : '-s'}`,
        );
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
  if (words.length === 0 || (words.length === 1 && (words[0] ?? '').trim() === ''))
    throw new CliError(
      'usage',
      'give the command to run after --, e.g. `lifeline exec -- make test`',
    );
  if (options.name !== undefined && options.new !== true)
    throw new CliError(
      'usage',
      '--name names the session exec starts: add --new (`lifeline sessions rename` renames one that exists)',
    );
  const name = options.name === undefined ? undefined : checkSessionName(options.name);
  const size = words.reduce((total, word) => total + Buffer.byteLength(word) + 1, -1);
  if (size > MAX_COMMAND_BYTES)
    throw new CliError(
      'usage',
      `the command is ${size} bytes, over the ${MAX_COMMAND_BYTES} a session takes: put it in a script and run the script`,
    );
  const timeoutMs = parseRunTimeout(options.timeout);
  if (options.cwd?.trim() === '')
    throw new CliError('usage', '--cwd is empty: give a directory (`--cwd .` is the current one)');
  const cwd = checkDirectory(path.resolve(context.cwd, options.cwd ?? '.'), options.cwd);
  const json = options.json === true;
  const jsonl = options.jsonl === true;
  const say = (line: string) => process.stderr.write(`lifeline: ${line}\n`);
  // One word is a command line in the shell's own syntax; several are an argument vector.
  const commandFor = (shell: string): string =>
    words.length === 1 ? (words[0] ?? '') : argvCommandLine(words, shell);

  // A session that exists is reached from this process, through the router a gateway runs, so no
  // gateway process starts; --new begins its session through a gateway process of exec's own.
  const startedAt = Date.now();
  let link = await (options.new === true
    ? openLocalGateway(context)
    : openInProcessGateway(context));
  try {
    const begun = await startRun(
      link,
      context,
      {
        reference: options.session,
        fresh: options.new === true,
        name,
        cwd,
        cwdGiven: options.cwd !== undefined,
        reuse: options.reuse,
        commandFor,
        timeoutMs,
      },
      say,
    );
    if (begun.kind === 'busy') {
      const sid = begun.session.sid;
      // At the prompt nothing runs: interrupt presses the key there only when told to.
      const ways = begun.heldAtPrompt
        ? `\`lifeline sessions interrupt --at-prompt ${sid}\` presses Ctrl+C there`
        : `\`lifeline sessions input ${sid} <text>\` types into a command that waits for it, \`lifeline sessions interrupt ${sid}\` presses Ctrl+C in it`;
      say(`${begun.message} (session ${sid}; ${ways})`);
      if (json || jsonl)
        (jsonl ? printCompleteLine : printReport)({
          sid,
          runId: null,
          exitCode: null,
          stoppedBy: null,
          timedOut: Date.now() - startedAt >= timeoutMs,
          notStarted: begun.message,
          waitsForInput: false,
          durationMs: roundToTenthMs(Date.now() - startedAt),
          cwd: null,
          shellExited: false,
          newShell: false,
          output: '',
        });
      return cliExitCodes.timeout;
    }
    const { session, command, typed, directory, started, deadline } = begun;
    if (jsonl)
      printStreamLine({
        type: 'start',
        sid: session.sid,
        runId: started.runId,
        command,
        cwd: directory,
        newSession: session.created,
        newShell: session.newShell,
      });
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
      jsonl,
      newShell: session.newShell,
      size: session.size,
      stdinNotPassed: !process.stdin.isTTY,
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
  name: string;
  /** Path of its shell: argument vectors are quoted for it. */
  shell: string;
  /** Its shell had ended: the command starts a new one, without what was set in the last. */
  newShell: boolean;
  /** Its terminal's size, which plain output is drawn at (absent from older gateways). */
  size: TerminalSize | undefined;
}

/** A run started, or the session asked for still busy when the timeout passed. */
type Begun =
  | {
      kind: 'started';
      session: ChosenSession;
      /** The command line for the session's shell. */
      command: string;
      /** What was typed: the command line, after a `cd` when the session was elsewhere. */
      typed: string;
      /** Where the command runs. */
      directory: string;
      started: RunResult;
      deadline: number;
    }
  | {
      kind: 'busy';
      session: ChosenSession;
      message: string;
      /**
       * Someone's keys left the session's line editor in a mode of its own, or someone is typing a
       * command that needs more lines: Ctrl+C there lets runs in.
       */
      heldAtPrompt: boolean;
    };

/** Live sessions passed over (busy, or not usable) before exec starts a new one. */
const maxSessionsSkipped = 5;

/**
 * How long a command sent to a session that was idle when looked up waits to start before exec
 * looks again for what it waits for (see {@link queuedNotice}).
 */
const queuedNoticeMs = 500;

/**
 * Says what a command sent to a session that was idle when looked up waits for, where it has not
 * started {@link queuedNoticeMs} after it was `sent`: the session is looked up again (`lookUp`),
 * and the command running there named (`sayWaitingFor`), unless it is this one (`command`),
 * started meanwhile, or one that waits for someone to type. `started`: the command started, or
 * will not.
 */
function queuedNotice(
  lookUp: () => Promise<SessionSummary>,
  command: string,
  sayWaitingFor: (other: string) => void,
): { sent: () => void; started: () => void } {
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const lookAgain = async () => {
    const other = (await lookUp()).running;
    if (started || !other || other.waitsForInput === true) return;
    // (Not this command, started as the session was looked at again.)
    if (!other.command.endsWith(command)) sayWaitingFor(other.command);
  };
  return {
    sent: () => {
      timer = setTimeout(() => void lookAgain().catch(() => undefined), queuedNoticeMs);
      timer.unref();
    },
    started: () => {
      started = true;
      clearTimeout(timer);
    },
  };
}

const chosen = (session: SessionSummary): ChosenSession => ({
  sid: session.sid,
  created: false,
  cwd: session.cwd,
  name: session.name,
  shell: session.shell,
  newShell: session.status === 'ended',
  size: session.size,
});

/** `session s_… "name" (in /dir)`: how stderr names a session. */
const describe = (session: ChosenSession) =>
  `session ${session.sid} "${session.name}" (in ${session.cwd})`;

/**
 * Starts the command: in the session asked for (waiting behind its runs), in a new one, or in the
 * most recently active live session in the directory (any directory with `--reuse any`) that no
 * command runs or waits in, else in a new one there; says on stderr which session it used when it
 * did not start it, and which it passed over.
 */
async function startRun(
  link: GatewayLink,
  context: CliContext,
  wanted: {
    reference: string | undefined;
    fresh: boolean;
    name: string | undefined;
    cwd: string;
    cwdGiven: boolean;
    reuse: ReusePolicy;
    commandFor: (shell: string) => string;
    timeoutMs: number;
  },
  say: (line: string) => void,
): Promise<Begun> {
  const create = async (): Promise<ChosenSession> => {
    const size = reportedSize(process.stdout) ?? {};
    const created = await link.client
      .call('session.create', {
        cwd: wanted.cwd,
        ...size,
        ...(wanted.name === undefined ? {} : { name: wanted.name }),
      })
      .catch((error: unknown) => {
        throw cliErrorFor(error, 'starting a session');
      });
    return { ...chosen(created.session), created: true };
  };
  // The clock starts once the session is ready: waiting for a busy session counts, starting a
  // gateway or a new session does not.
  let deadline: number | undefined;
  // One key for this invocation: however often the request is sent, a session starts it once.
  const idempotencyKey = randomUUID();
  const start = async (
    session: ChosenSession,
    ifIdle: boolean,
    sent?: () => void,
  ): Promise<Begun> => {
    const command = wanted.commandFor(session.shell);
    const changesDirectory =
      wanted.cwdGiven && !session.created && !isSameDirectory(session.cwd, wanted.cwd);
    const typed = changesDirectory
      ? `cd -- ${quoteWord(wanted.cwd, detectShellKind(session.shell))} && ${command}`
      : command;
    const directory = changesDirectory ? wanted.cwd : session.cwd;
    deadline ??= Date.now() + wanted.timeoutMs;
    const remaining = Math.max(1, deadline - Date.now());
    const started = await withdrawnOnStop(
      session.sid,
      link,
      (signal) =>
        link.client.call(
          'session.run',
          {
            sid: session.sid,
            command: typed,
            timeoutMs: remaining,
            wait: false,
            ...(ifIdle ? { ifIdle } : {}),
            idempotencyKey,
          },
          { timeoutMs: remaining + 15_000, signal },
        ),
      sent,
    );
    context.breadcrumb('exec.run', {
      sid: session.sid,
      created: session.created,
      timeoutMs: wanted.timeoutMs,
    });
    return { kind: 'started', session, command, typed, directory, started, deadline };
  };
  const startWaiting = (
    session: ChosenSession,
    ifIdle = false,
    sent?: () => void,
  ): Promise<Begun> =>
    start(session, ifIdle, sent).catch((error: unknown) => {
      const busy = busyDetail(error);
      if (busy)
        return {
          kind: 'busy',
          session,
          message: messageOf(error),
          heldAtPrompt: heldAtPrompt(busy.reason),
        };
      throw cliErrorFor(error, 'starting the command');
    });

  if (wanted.fresh) {
    // Asked for, it is named: the way back to it (`-s`) is its id or name.
    const session = await create();
    say(`started ${describe(session)}`);
    return startWaiting(session);
  }
  if (wanted.reference !== undefined) {
    const listed = await lookUpSession(
      link,
      wanted.reference,
      resolveStateDirectory(context.env),
    ).catch((error: unknown) => {
      throw cliErrorFor(error, 'listing the sessions');
    });
    const session = chosen(listed);
    const gone = wanted.cwdGiven ? undefined : goneDirectoryRefusal(listed, '--cwd <dir>');
    if (gone !== undefined) throw new CliError('usage', gone);
    // Its shell had ended: the command starts a new one, without what was set in the last.
    const anew = session.newShell
      ? ", in a new shell: the session's last one had ended, and what was set there (variables, functions) is gone"
      : '';
    // Named by --cwd elsewhere, the command's directory is not the session's.
    const moving =
      wanted.cwdGiven && !isSameDirectory(listed.cwd, wanted.cwd)
        ? `, which changes to ${wanted.cwd} first`
        : '';
    // A command that waits for someone to type may wait for good: refused at once, rather than
    // at the timeout, while it does (the refusal says how to answer it or interrupt it); where it
    // runs is said once it does run.
    const refusable = listed.running?.waitsForInput === true;
    const sayWhere = () => say(`running in ${describe(session)}${moving}${anew}`);
    if (!refusable) sayWhere();
    // Its run has to end first: said as the command is sent, or the wait would look like a hang.
    const sayWaitingFor = (command: string) =>
      say(
        `"${command}" is running there: the command starts once it ends (exec gives up after ${formatDurationSpec(wanted.timeoutMs)}, --timeout; Ctrl+C withdraws it)`,
      );
    const ahead = listed.status === 'live' ? listed.running : undefined;
    // Or another came first since the session was looked up (another exec sent at the same moment).
    const queued =
      ahead === undefined
        ? queuedNotice(
            () => lookUpSession(link, session.sid, resolveStateDirectory(context.env)),
            wanted.commandFor(session.shell),
            sayWaitingFor,
          )
        : undefined;
    const waiting =
      ahead !== undefined && ahead.waitsForInput !== true
        ? () => sayWaitingFor(ahead.command)
        : queued?.sent;
    const begun = await startWaiting(session, refusable, waiting).finally(() => queued?.started());
    if (refusable && begun.kind !== 'busy') sayWhere();
    return begun;
  }
  const { sessions } = await link.client.call('session.list', {}).catch((error: unknown) => {
    throw cliErrorFor(error, 'listing the sessions');
  });
  const skipped: string[] = [];
  // What `-s` would do with the sessions passed over: wait for a command that ends by itself, or
  // be refused by one that waits for someone to type.
  let anyBusy = false;
  let anyWaiting = false;
  const candidates = sessions.filter(
    (candidate) =>
      candidate.status === 'live' &&
      (wanted.reuse === 'any' || isSameDirectory(candidate.cwd, wanted.cwd)),
  );
  for (const listed of byRecentActivity(candidates)) {
    if (skipped.length >= maxSessionsSkipped) break;
    const session = chosen(listed);
    try {
      const begun = await start(session, true);
      const passedOver = skipped.length > 0 ? `${skipped.join('; ')}: ` : '';
      say(`${passedOver}running in ${describe(session)}`);
      return begun;
    } catch (error) {
      // Stopped meanwhile: no other session is tried.
      if (CliError.isInstance(error)) throw error;
      const busy = busyDetail(error);
      const busyWith = busy?.command;
      // As listed a moment ago: only when the refusal names that same command.
      const waits = listed.running?.waitsForInput === true && listed.running.command === busyWith;
      anyBusy ||= typeof busyWith === 'string' && !waits;
      anyWaiting ||= waits;
      const how = waits ? 'is waiting for someone to type in' : 'is busy with';
      skipped.push(
        typeof busyWith === 'string'
          ? `session ${session.sid} ${how} "${busyWith}"`
          : busy?.reason === 'continuation'
            ? `session ${session.sid} waits for more lines of a command someone is typing ("> ")`
            : busy?.reason === 'line-editor-mode'
              ? `session ${session.sid} has someone's line editor in a mode of its own (a search, a completion list, vi command mode)`
              : `session ${session.sid} could not be used (${messageOf(error)})`,
      );
    }
  }
  const begun = await startWaiting(await create());
  const hints = [
    ...(anyBusy ? ['-s <sid> waits for a busy one'] : []),
    ...(anyWaiting ? ['`lifeline sessions input <sid> <text>` types into one that waits'] : []),
  ];
  if (skipped.length > 0)
    say(
      `${skipped.join('; ')}: running in a new session ${begun.session.sid}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
    );
  return begun;
}

/**
 * The directory to run in, resolved.
 * @param given the `--cwd` argument as typed, for the message
 * @throws CliError `usage` when it is not a directory
 */
function checkDirectory(directory: string, given: string | undefined): string {
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES') throw error;
    throw new CliError(
      'usage',
      given === undefined
        ? `the current directory ${directory} cannot be used (${code}); cd to one that exists, or give --cwd`
        : `--cwd ${directory} does not exist (${code}); give a directory that does`,
    );
  }
  if (!stats.isDirectory())
    throw new CliError('usage', `--cwd ${directory} is not a directory; give a directory`);
  return directory;
}
