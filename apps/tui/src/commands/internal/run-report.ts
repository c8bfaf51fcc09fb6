import {
  formatDurationSpec,
  type ExecReport,
  type ExecStreamLine,
  type StopSignal,
} from '@lifeline/protocol';
import type { GatewayLink } from '../../connection/gateway-link.js';
import type { TerminalSize } from '../../session/output-lines.js';
import { describeShellEnd } from '../../session/shell-end.js';
import { stopSignalOf } from '../../session/stop-signal.js';
import { cliExitCodes } from './cli-error.js';
import { roundToTenthMs } from './duration.js';
import type { CliContext } from './local-gateway.js';
import { followRun, type FollowOutcome } from './run-follower.js';
import { RunOutput, type RunEnd } from './run-output.js';
import { shellExitStatus } from './shell-exit-status.js';
import { leftOutWords, TextTail } from './text-tail.js';

export type { ExecReport } from '@lifeline/protocol';

/** Most characters of output a `--json` report keeps (the newest ones). */
export const JSON_OUTPUT_LIMIT = 8 * 1024 * 1024;

/** Options of {@link followAndReport}. */
export interface FollowAndReportOptions {
  context: CliContext;
  link: GatewayLink;
  sid: string;
  /** The run to follow. */
  runId: string;
  /** Seq after which its output is printed. */
  afterSeq: number;
  /** What was typed to start (or go on with) it: its echo is left out of the output. */
  typed: string;
  /** Whether the caller types into the run once this follows it (see {@link RunOutput}). */
  answering?: boolean;
  /** The size of the session's terminal (see {@link RunOutput}). */
  size?: TerminalSize | undefined;
  /** Seq from which a wait for input is reported (see {@link RunOutput}). @default 0 */
  waitsFrom?: number;
  /** The session has ended: the run is read from its log (see {@link followRun}). @default false */
  fromLog?: boolean;
  /** The command as the user gave it, for messages. */
  command: string;
  deadline: number;
  /** The timeout as given, for messages. */
  timeoutMs: number;
  json: boolean;
  /** The run started a new shell in its session, the last one having ended (the report's `newShell`). @default false */
  newShell?: boolean;
  /** Writes `--jsonl` lines as things happen (`output`, `waiting_for_input`, `complete`). @default false */
  jsonl?: boolean;
  /**
   * The caller's own stdin is a pipe or a file it does not pass on (exec's): a command waiting for
   * someone to type is told how to type it. @default false
   */
  stdinNotPassed?: boolean;
  say: (line: string) => void;
}

/**
 * Prints a run's output from `afterSeq` on until it ends, waits for someone to type, or the
 * deadline passes; says why it stopped and prints the `--json` report.
 * @returns the exit status (the command's own when it ended) and the link in use at the end
 */
export async function followAndReport(
  options: FollowAndReportOptions,
): Promise<{ exitCode: number; link: GatewayLink }> {
  const { sid, runId } = options;
  // What exec says goes on a line of its own, not after a line the output left unfinished (a
  // prompt), when both reach the same terminal.
  let lineOpen = false;
  const print = (text: string) => {
    // To a terminal, whose own line discipline turns each line feed into CR LF (onlcr), as the
    // session's did: the output's CR LF would reach it as CR CR LF.
    process.stdout.write(format === 'terminal' ? text.replaceAll('\r\n', '\n') : text);
    if (text !== '') lineOpen = !text.endsWith('\n');
  };
  const say = (line: string) => {
    if (lineOpen && process.stdout.isTTY && process.stderr.isTTY) process.stderr.write('\n');
    lineOpen = false;
    options.say(line);
  };
  const jsonl = options.jsonl === true;
  const json = options.json || jsonl;
  const format = json || !process.stdout.isTTY ? 'plain' : 'terminal';
  const output = new RunOutput({
    runId,
    startSeq: options.afterSeq,
    command: options.typed,
    format,
    size: options.size,
    answering: options.answering === true,
    waitsFrom: options.waitsFrom ?? 0,
  });
  const collected = new TextTail(JSON_OUTPUT_LIMIT);
  const keep = (text: string) => {
    collected.append(text);
    if (jsonl && text !== '') printStreamLine({ type: 'output', text });
  };
  const startedAt = Date.now();
  const followed = await followRun({
    context: options.context,
    link: options.link,
    sid,
    output,
    deadline: options.deadline,
    write: json ? (text) => keep(text) : print,
    // One report at the end: nothing streams, so nothing is settled before it.
    settleOutput: jsonl || !options.json,
    fromLog: options.fromLog === true,
    say,
  });
  const rest = followed.outcome.kind === 'ended' ? '' : output.flush();
  if (json) keep(rest);
  else if (rest !== '') print(rest);

  const outcome = followed.outcome;
  const exitCode =
    outcome.kind === 'ended' ? exitStatus(outcome.end) : cliExitCodes[stoppedWaiting[outcome.kind]];
  describeOutcome(outcome, {
    sid,
    runId,
    command: options.command,
    timeoutMs: options.timeoutMs,
    stdinNotPassed: options.stdinNotPassed ?? false,
    say,
  });
  if (jsonl && outcome.kind === 'input-wait') printStreamLine({ type: 'waiting_for_input' });
  if (json) {
    // What is kept is settled first: the text's last trim counts what it drops.
    const text = collected.text();
    const left = leftOutWords(collected.dropped, collected.cut);
    (jsonl ? printCompleteLine : printReport)({
      sid,
      runId,
      exitCode: outcome.kind === 'ended' ? exitCode : null,
      stoppedBy: stoppedBy(outcome),
      timedOut: outcome.kind === 'timeout',
      notStarted: null,
      waitsForInput: outcome.kind === 'input-wait',
      durationMs: roundToTenthMs(
        outcome.kind === 'ended' && outcome.end.kind === 'completed'
          ? outcome.end.durationMs
          : Date.now() - startedAt,
      ),
      cwd: outcome.kind === 'ended' && outcome.end.kind === 'completed' ? outcome.end.cwd : null,
      shellExited: outcome.kind === 'ended' && outcome.end.kind !== 'completed',
      newShell: options.newShell === true,
      output:
        left === undefined
          ? text
          : `[${left} left out; \`lifeline replay ${sid}\` has them]\n${text}`,
    });
  }
  return { exitCode, link: followed.link };
}

/** Prints the one `--json` report object. */
export function printReport(report: ExecReport): void {
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Prints one `--jsonl` line; each is written to stdout at once, whole. */
export function printStreamLine(line: ExecStreamLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Prints the last `--jsonl` line: the `--json` report as a `complete` line. */
export function printCompleteLine(report: ExecReport): void {
  printStreamLine({ type: 'complete', ...report });
}

/** The exit code when waiting stopped before the run ended (it goes on). */
const stoppedWaiting = {
  timeout: 'timeout',
  'input-wait': 'inputWait',
  abandoned: 'interrupted',
} as const;

/** The signal that stopped the command, when its shell reported a stop. */
function stoppedBy(outcome: FollowOutcome): StopSignal | null {
  return outcome.kind === 'ended' && outcome.end.kind === 'completed'
    ? stopSignalOf(outcome.end.exitCode)
    : null;
}

/** The exit status reported for a run that ended. */
function exitStatus(end: RunEnd): number {
  return end.kind === 'completed' ? end.exitCode : shellExitStatus(end.code, end.signal);
}

function describeOutcome(
  outcome: FollowOutcome,
  run: {
    sid: string;
    runId: string;
    command: string;
    timeoutMs: number;
    stdinNotPassed: boolean;
    say: (line: string) => void;
  },
): void {
  const keepsGoing = `it keeps going in session ${run.sid}; \`lifeline sessions wait ${run.sid} --run ${run.runId}\` waits for it again and gives its output and outcome`;
  const interrupt = `\`lifeline sessions interrupt ${run.sid}\` presses Ctrl+C in it`;
  switch (outcome.kind) {
    case 'timeout':
      run.say(
        `"${run.command}" was still running after ${formatDurationSpec(run.timeoutMs)}: ${keepsGoing}, and ${interrupt}`,
      );
      break;
    case 'input-wait':
      run.say(
        `"${run.command}" is waiting for someone to type: ${keepsGoing}; \`lifeline sessions input ${run.sid} <text>\` types a line into it, and ${interrupt}`,
      );
      // What was piped into exec did not reach the command: say so, and how it can.
      if (run.stdinNotPassed)
        run.say(
          `exec does not pass its own stdin on: the command reads the session's terminal; give it its input in the command line (a redirection from a file, a here-string), or \`… | lifeline sessions input --stdin ${run.sid}\` types stdin into it`,
        );
      break;
    case 'abandoned':
      run.say(`stopped waiting for "${run.command}": ${keepsGoing}`);
      break;
    case 'ended': {
      const stopSignal = stoppedBy(outcome);
      if (stopSignal !== null)
        run.say(
          `"${run.command}" was stopped by ${stopSignal}: it is paused as a job of the shell of session ${run.sid}; \`lifeline exec -s ${run.sid} -- fg\` resumes it`,
        );
      if (outcome.end.kind === 'shell-exited') {
        const how = describeShellEnd(outcome.end.code, outcome.end.signal);
        run.say(
          `the shell of session ${run.sid} exited (${how}) during the command; the next command sent to the session (\`lifeline exec -s ${run.sid} -- …\`) starts a new shell in it`,
        );
      }
      break;
    }
  }
}
