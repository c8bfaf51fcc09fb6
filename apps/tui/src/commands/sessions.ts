import os from 'node:os';
import type { Command } from 'commander';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { formatDurationSpec, parseDuration } from './internal/duration.js';
import { checkSessionId, cliErrorFor, openLocalGateway, processContext, type CliContext } from './internal/local-gateway.js';
import { formatSessionTable } from './internal/session-table.js';

/** Adds `lifeline sessions`, `sessions kill` and `sessions prune` to the program. */
export function registerSessionsCommand(program: Command): void {
  const sessions = program
    .command('sessions')
    .summary('list sessions; kill or prune them')
    .description('List every session, live or ended, most recently active first: status, sid, name, cwd, last command and age.')
    .option('--json', 'print {"sessions": [...]} with every field the gateway knows')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await listSessions(options, processContext());
    });
  sessions
    .command('kill')
    .summary('end a session\'s shell (its log stays)')
    .description('End the shell and host of a session. Its log stays: `lifeline replay` shows it, and `lifeline --resume` starts a new shell in it.')
    .argument('<sid>', 'the session to end')
    .action(async (sid: string) => {
      process.exitCode = await killSession(sid, processContext());
    });
  sessions
    .command('prune')
    .summary('delete the logs of ended sessions')
    .description('Delete the logs of ended sessions whose last activity is older than the given age. Live sessions are never pruned.')
    .requiredOption('--older-than <duration>', 'age of the last activity: 30m, 12h, 7d')
    .action(async (options: { olderThan: string }) => {
      process.exitCode = await pruneSessions(options.olderThan, processContext());
    });
}

async function listSessions(options: { json?: boolean }, context: CliContext): Promise<number> {
  const link = await openLocalGateway(context);
  try {
    const { sessions } = await link.client.call('session.list', {}).catch((error: unknown) => {
      throw cliErrorFor(error, 'listing the sessions');
    });
    const ordered = [...sessions].sort((left, right) => Date.parse(right.lastActivityAt) - Date.parse(left.lastActivityAt));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ sessions: ordered })}\n`);
    } else if (ordered.length === 0) {
      process.stderr.write('lifeline: no sessions yet; `lifeline` or `lifeline exec -- <command>` starts one\n');
    } else {
      const lines = formatSessionTable(ordered, {
        now: Date.now(),
        home: context.env.HOME ?? os.homedir(),
        ...(process.stdout.isTTY ? { width: process.stdout.columns } : {}),
      });
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

async function killSession(sid: string, context: CliContext): Promise<number> {
  checkSessionId(sid);
  const link = await openLocalGateway(context);
  try {
    const { sessions } = await link.client.call('session.list', {});
    const session = sessions.find((candidate) => candidate.sid === sid);
    if (!session) throw new CliError('notFound', `no session ${sid}; \`lifeline sessions\` lists them`);
    if (session.status === 'ended') {
      process.stdout.write(`${sid} had already ended\n`);
      return cliExitCodes.ok;
    }
    await link.client.call('session.close', { sid }, { timeoutMs: 15_000 }).catch((error: unknown) => {
      throw cliErrorFor(error, `ending session ${sid}`);
    });
    process.stdout.write(`${sid} ended\n`);
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

async function pruneSessions(olderThan: string, context: CliContext): Promise<number> {
  const olderThanMs = parseDuration(olderThan, '--older-than');
  const link = await openLocalGateway(context);
  try {
    const { pruned } = await link.client.call('session.prune', { olderThanMs }).catch((error: unknown) => {
      throw cliErrorFor(error, 'pruning the sessions');
    });
    for (const sid of pruned) process.stdout.write(`${sid}\n`);
    const age = formatDurationSpec(olderThanMs);
    process.stderr.write(
      pruned.length === 0
        ? `lifeline: no ended session was inactive for more than ${age}\n`
        : `lifeline: pruned ${pruned.length} ended session${pruned.length === 1 ? '' : 's'} inactive for more than ${age}\n`,
    );
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}
