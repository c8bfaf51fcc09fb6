import fs from 'node:fs';
import path from 'node:path';
import { exitCodeForSignal, resolveStateDirectory } from '@lifeline/crash-log';
import { LifelineErrorCode, MAX_RUN_TIMEOUT_MS, type RunResult } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { Option, type Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { formatDurationSpec, parseDuration } from './internal/duration.js';
import { checkSessionId, cliErrorFor, openLocalGateway, processContext, type CliContext } from './internal/local-gateway.js';
import { followRun, type FollowOutcome } from './internal/run-follower.js';
import { RunOutput, type RunEnd } from './internal/run-output.js';
import { mostRecentlyActive } from './internal/session-pick.js';
import { TextTail } from './internal/text-tail.js';

/** Options of `lifeline exec`, as parsed. */
export interface ExecOptions {
  /** `-s`: the session to run in. @default the most recently active live session, else a new one */
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

/** What `lifeline exec --json` prints: exactly one object. */
export interface ExecReport {
  sid: string;
  /** `null` when the command never started (the session stayed busy past the timeout). */
  runId: string | null;
  /** The command's exit status; `null` when exec stopped waiting first. */
  exitCode: number | null;
  timedOut: boolean;
  /** How long the command ran, as the shell measured it (or as long as exec waited). */
  durationMs: number;
  /** The shell's directory after the command; `null` when unknown (timeout, shell exit). */
  cwd: string | null;
  /** Plain text, without the echoed command line or any escape sequence. */
  output: string;
}

/** Most characters of output a `--json` report keeps (the newest ones). */
export const JSON_OUTPUT_LIMIT = 8 * 1024 * 1024;

/** Adds `lifeline exec` to the program. */
export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .summary('run a command in a session; print its output and exit with its status')
    .description(
      'Run a command in a durable session through a gateway of its own, stream its output, and exit with the command\'s exit status ' +
        '(124 when --timeout passes first: the command keeps running and is still recorded). Without -s or --new it uses the most ' +
        'recently active live session, or starts one. The words after -- are joined with spaces and typed into the shell as they are, ' +
        'so quote the whole command to keep pipes and quotes for the session\'s shell.',
    )
    .addOption(new Option('-s, --session <sid>', 'run in this session').conflicts('new'))
    .addOption(new Option('--new', 'run in a new session'))
    .option('--cwd <dir>', 'start a new session in this directory, or cd there first in a reused one')
    .option('--timeout <duration>', 'stop waiting after this long: 500ms, 30s, 5m, 2h', '30s')
    .option('--json', 'print one JSON object {sid, runId, exitCode, timedOut, durationMs, cwd, output} and nothing else on stdout')
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
export async function runExec(words: string[], options: ExecOptions, context: CliContext): Promise<number> {
  const command = words.join(' ');
  if (command.trim() === '') throw new CliError('usage', 'give the command to run after --, e.g. `lifeline exec -- make test`');
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  if (timeoutMs < 1 || timeoutMs > MAX_RUN_TIMEOUT_MS) {
    throw new CliError('usage', `--timeout must be between 1ms and ${formatDurationSpec(MAX_RUN_TIMEOUT_MS)}, not ${options.timeout}`);
  }
  const cwd = options.cwd === undefined ? undefined : checkDirectory(path.resolve(context.cwd, options.cwd));
  const requestedSid = options.session === undefined ? undefined : checkSessionId(options.session);
  const json = options.json === true;
  const format = json || !process.stdout.isTTY ? 'plain' : 'terminal';
  const say = (line: string) => process.stderr.write(`lifeline: ${line}\n`);

  let link = await openLocalGateway(context);
  try {
    const session = await chooseSession(link, context, { sid: requestedSid, fresh: options.new === true, cwd });
    const typed = cwd !== undefined && !session.created && session.cwd !== cwd ? `cd -- ${shellQuote(cwd)} && ${command}` : command;
    context.breadcrumb('exec.run', { sid: session.sid, created: session.created, timeoutMs });
    // The clock starts once the session is ready: waiting for a busy session counts, starting a gateway does not.
    const deadline = Date.now() + timeoutMs;
    let started: RunResult;
    try {
      const remaining = Math.max(1, deadline - Date.now());
      started = await link.client.call(
        'session.run',
        { sid: session.sid, command: typed, timeoutMs: remaining, wait: false },
        { timeoutMs: remaining + 15_000 },
      );
    } catch (error) {
      if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionBusy) {
        say(`${error.message} (session ${session.sid}; \`lifeline sessions interrupt ${session.sid}\` presses Ctrl+C in it)`);
        if (json) printReport({ sid: session.sid, runId: null, exitCode: null, timedOut: true, durationMs: 0, cwd: null, output: '' });
        return cliExitCodes.timeout;
      }
      throw cliErrorFor(error, 'starting the command');
    }

    const output = new RunOutput({ runId: started.runId, startSeq: started.startSeq, command: typed, format });
    const collected = new TextTail(JSON_OUTPUT_LIMIT);
    const startedAt = Date.now();
    const followed = await followRun({
      context,
      link,
      sid: session.sid,
      output,
      deadline,
      write: json ? (text) => collected.append(text) : (text) => process.stdout.write(text),
      say,
    });
    link = followed.link;
    const rest = followed.outcome.kind === 'ended' ? '' : output.flush();
    if (json) collected.append(rest);
    else if (rest !== '') process.stdout.write(rest);

    const outcome = followed.outcome;
    const exitCode =
      outcome.kind === 'ended' ? exitStatus(outcome.end) : outcome.kind === 'timeout' ? cliExitCodes.timeout : cliExitCodes.interrupted;
    describeOutcome(outcome, { sid: session.sid, runId: started.runId, command, timeoutMs, say });
    if (json) {
      const dropped = collected.dropped;
      const text = collected.text();
      printReport({
        sid: session.sid,
        runId: started.runId,
        exitCode: outcome.kind === 'ended' ? exitCode : null,
        timedOut: outcome.kind === 'timeout',
        durationMs: outcome.kind === 'ended' && outcome.end.kind === 'completed' ? outcome.end.durationMs : Date.now() - startedAt,
        cwd: outcome.kind === 'ended' && outcome.end.kind === 'completed' ? outcome.end.cwd : null,
        output: dropped > 0 ? `[${dropped} earlier lines left out; \`lifeline replay ${session.sid}\` has them]\n${text}` : text,
      });
    }
    return exitCode;
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

async function chooseSession(
  link: GatewayLink,
  context: CliContext,
  wanted: { sid: string | undefined; fresh: boolean; cwd: string | undefined },
): Promise<ChosenSession> {
  const create = async (): Promise<ChosenSession> => {
    const size = process.stdout.isTTY ? { cols: process.stdout.columns, rows: process.stdout.rows } : {};
    const created = await link.client
      .call('session.create', { cwd: wanted.cwd ?? context.cwd, ...size })
      .catch((error: unknown) => {
        throw cliErrorFor(error, 'starting a session');
      });
    return { sid: created.sid, created: true, cwd: created.session.cwd };
  };
  if (wanted.fresh) return create();
  const { sessions } = await link.client.call('session.list', {}).catch((error: unknown) => {
    throw cliErrorFor(error, 'listing the sessions');
  });
  if (wanted.sid !== undefined) {
    const found = sessions.find((session) => session.sid === wanted.sid);
    if (!found) {
      throw new CliError('notFound', `no session ${wanted.sid} in ${resolveStateDirectory(context.env)}; \`lifeline sessions\` lists them`);
    }
    return { sid: found.sid, created: false, cwd: found.cwd };
  }
  const live = mostRecentlyActive(sessions.filter((session) => session.status === 'live'));
  return live ? { sid: live.sid, created: false, cwd: live.cwd } : create();
}

/** The exit status exec reports for a run that ended. */
function exitStatus(end: RunEnd): number {
  if (end.kind === 'completed') return end.exitCode;
  if (end.code !== null) return end.code;
  return end.signal === null ? cliExitCodes.failure : exitCodeForSignal(end.signal as NodeJS.Signals);
}

function describeOutcome(
  outcome: FollowOutcome,
  run: { sid: string; runId: string; command: string; timeoutMs: number; say: (line: string) => void },
): void {
  const keepsGoing = `it keeps going in session ${run.sid} and its outcome is recorded as run ${run.runId}; \`lifeline replay ${run.sid}\` shows it`;
  switch (outcome.kind) {
    case 'timeout':
      run.say(
        `"${run.command}" was still running after ${formatDurationSpec(run.timeoutMs)}: ${keepsGoing}, and \`lifeline sessions interrupt ${run.sid}\` presses Ctrl+C in it`,
      );
      break;
    case 'abandoned':
      run.say(`stopped waiting for "${run.command}": ${keepsGoing}`);
      break;
    case 'ended':
      if (outcome.end.kind === 'shell-exited') {
        const how = outcome.end.signal ?? `code ${outcome.end.code ?? 'unknown'}`;
        run.say(`the shell of session ${run.sid} exited (${how}) during the command; the session has ended (\`lifeline exec -s ${run.sid}\` starts a new shell in it)`);
      }
      break;
  }
}

function printReport(report: ExecReport): void {
  process.stdout.write(`${JSON.stringify(report)}\n`);
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
