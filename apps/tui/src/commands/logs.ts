import {
  defaultCrashLogPath,
  formatCrashLogEntry,
  readCrashLog,
  type CrashLogEntry,
} from '@lifeline/crash-log';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { CrashLogFollower } from './internal/crash-log-follower.js';
import { messageOf } from './internal/local-gateway.js';

/** Options of `lifeline logs`, as parsed. */
export interface LogsOptions {
  /** `--tail N`: only the newest N entries. @default every entry */
  tail?: number;
  /** `--follow`: keep printing new entries until Ctrl+C. @default false */
  follow?: boolean;
}

/** How often `--follow` looks for new lines. */
const followIntervalMs = 200;

/** Adds `lifeline logs` to the program. */
export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .summary('show the crash log of every lifeline process')
    .description(
      'Print the crash log: the breadcrumbs of the TUI, the CLI, gateways and session hosts, interleaved by time, across the rotated files. ' +
        'With --follow, keep printing new lines as they are written (Ctrl+C stops).',
    )
    .option('-n, --tail <lines>', 'only the last N lines', parseCount)
    .option('-f, --follow', 'keep printing new lines')
    .action(async (options: LogsOptions) => {
      process.exitCode = await showLogs(options, process.env);
    });
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError('give a whole number of lines, e.g. --tail 50');
  return Number(value);
}

async function showLogs(options: LogsOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const logPath = defaultCrashLogPath(env);
  const follower = new CrashLogFollower(logPath);
  follower.skipToEnd();
  let backlog: CrashLogEntry[];
  try {
    backlog = readCrashLog(logPath, options.tail === undefined ? {} : { limit: options.tail });
  } catch (error) {
    throw new CliError('failure', messageOf(error), { cause: error });
  }
  const print = (entries: readonly CrashLogEntry[]) => {
    if (entries.length > 0)
      process.stdout.write(`${entries.map((entry) => formatCrashLogEntry(entry)).join('\n')}\n`);
  };
  print(backlog);
  if (!options.follow) {
    if (backlog.length === 0) process.stderr.write(`lifeline: the crash log ${logPath} is empty\n`);
    return cliExitCodes.ok;
  }
  // Lines written while the backlog was read are in both; print them once.
  const alreadyPrinted = new Set(backlog.map((entry) => formatCrashLogEntry(entry)));
  let first = true;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const fresh = follower.poll();
      print(
        first ? fresh.filter((entry) => !alreadyPrinted.has(formatCrashLogEntry(entry))) : fresh,
      );
      first = false;
      alreadyPrinted.clear();
    }, followIntervalMs);
    process.once('SIGINT', () => {
      clearInterval(timer);
      resolve();
    });
  });
  return cliExitCodes.ok;
}
