import os from 'node:os';
import { resolveStateDirectory } from '@lifeline/crash-log';
import {
  MAX_INPUT_BYTES,
  type SessionSignal,
  type SessionSummary,
  sessionSignalSchema,
  formatDurationSpec,
} from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import type { Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import { parseDuration, parseRunTimeout } from './internal/duration.js';
import { keyOfSignal, idleSignalRefusal } from './internal/prompt-keys.js';
import {
  cliErrorFor,
  openInProcessGateway,
  openLocalGateway,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import { followAndReport } from './internal/run-report.js';
import { registerSessionsWaitCommand } from './sessions-wait.js';
import { checkSessionName, lookUpSession } from './internal/session-ref.js';
import { formatSessionTable } from './internal/session-table.js';

/** Adds `lifeline sessions` (also `sessions list`, `sessions ls`), `sessions input`, `sessions wait`, `sessions interrupt`, `sessions kill` and `sessions prune` to the program. */
export function registerSessionsCommand(program: Command): void {
  const sessions = program
    .command('sessions')
    .summary('list sessions; type into, interrupt, kill or prune them')
    .description(
      'List every session, most recently active first: status (live; busy while a command runs, the last command shown; waiting while that command waits for someone to type, which `sessions input` answers; or ended), sid, name, cwd, last command and age.',
    )
    .option('--json', 'print {"sessions": [...]} with every field the gateway knows')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await listSessions(options, processContext());
    });
  sessions
    .command('list')
    .alias('ls')
    .summary('the same list as `lifeline sessions`')
    .option('--json', 'print {"sessions": [...]} with every field the gateway knows')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await listSessions(options, processContext());
    });
  sessions
    .command('input')
    .summary('type a line into the command running in a session, then follow it like exec')
    .description(
      'Type into the command running in a session (the answer to a question it asks, a line for a REPL), then press Enter unless --no-enter. ' +
        'Its output from then on is printed as `lifeline exec` prints it, and the exit status is its own once it ends; 125 when it waits for someone to type again, ' +
        '124 when --timeout passes first (it keeps running either way). The words are joined with spaces and typed as they are: no escape is interpreted. ' +
        'Nothing is typed when no command runs in the session (the shell would take the text for a command line). ' +
        "Put -- before text that starts with -; with --no-enter, $'\\x04' is Ctrl+D (end of input).",
    )
    .argument(
      '<session>',
      'the session whose command to type into: its id, the start of its id, or its name',
    )
    .argument('[text...]', 'what to type (none: only Enter)')
    .option('--no-enter', 'type the text without pressing Enter')
    .option(
      '--stdin',
      'type what is piped in, to its end, instead of words, and keep it masked in the session log: for a password, which then shows on no command line (`ps`) and in no log; its line breaks are typed as Enter',
    )
    .option('--timeout <duration>', 'stop waiting after this long: 500ms, 30s, 5m, 2h', '30s')
    .option(
      '--json',
      'print one JSON object as `lifeline exec --json` does, and nothing else on stdout',
    )
    .action(async (session: string, words: string[], options: InputOptions) => {
      process.exitCode = await typeIntoSession(session, words, options, processContext());
    });
  registerSessionsWaitCommand(sessions);
  sessions
    .command('interrupt')
    .summary('press Ctrl+C in a session (or send its program another signal)')
    .description(
      "Interrupt the command running in a session, as Ctrl+C would: for a command `lifeline exec` stopped waiting for, or one that reads its input. The next `lifeline exec` in the session starts once it has ended. With no command running, INT, QUIT and TSTP are keys at the shell's prompt that would clear what someone is typing there: nothing is sent (exit 2) unless --at-prompt says so (to cancel a command waiting for more lines). The other signals would go to the shell itself, which most of them end with what was set in it: nothing is sent either (exit 2) unless --at-prompt says so; `lifeline sessions kill` ends a session.",
    )
    .argument(
      '<session>',
      'the session whose command to interrupt: its id, the start of its id, or its name',
    )
    .option('--signal <name>', `the signal instead of Ctrl+C: ${signalNames.join(', ')}`, 'INT')
    .option(
      '--at-prompt',
      "with no command running, press the key at the shell's prompt anyway (it clears the line typed there), or send the signal to the shell itself",
    )
    .option(
      '--json',
      'print {"sid", "signal", "key"} (signal: SIGINT, …; key: the key pressed, or null when the signal was sent as one)',
    )
    .action(
      async (session: string, options: { signal: string; atPrompt?: boolean; json?: boolean }) => {
        process.exitCode = await interruptSession(session, options, processContext());
      },
    );
  sessions
    .command('kill')
    .summary("end a session's shell (its log stays)")
    .description(
      'End the shell and host of a session. Its log stays: `lifeline replay` shows it, and `lifeline --resume` starts a new shell in it.',
    )
    .argument('<session>', 'the session to end: its id, the start of its id, or its name')
    .option('--json', 'print {"sid", "alreadyEnded"}')
    .action(async (session: string, options: { json?: boolean }) => {
      process.exitCode = await killSession(session, options, processContext());
    });
  sessions
    .command('rename')
    .summary('give a session a new name')
    .description(
      'Rename a session, live or ended. Its name shows in `lifeline sessions`, the session picker and the header, and `-s` takes it as well as the id.',
    )
    .argument('<session>', 'the session: its id, or its current name')
    .argument('<name>', 'the new name')
    .action(async (session: string, name: string) => {
      process.exitCode = await renameSession(session, name, processContext());
    });
  sessions
    .command('prune')
    .summary('delete the logs of ended sessions')
    .description(
      'Delete the logs of ended sessions whose last activity is older than the given age. Live sessions are never pruned.',
    )
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
    const ordered = [...sessions].sort(
      (left, right) => Date.parse(right.lastActivityAt) - Date.parse(left.lastActivityAt),
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ sessions: ordered })}\n`);
    } else if (ordered.length === 0) {
      process.stderr.write(
        'lifeline: no sessions yet; `lifeline` or `lifeline exec -- <command>` starts one\n',
      );
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

/**
 * The session a command-line argument names (its id, the start of its id, or its name), as the
 * gateway lists it.
 * @throws CliError `notFound` when none matches, `usage` when a name or the start of an id matches
 *   several sessions
 */
async function findSession(
  link: GatewayLink,
  reference: string,
  context: CliContext,
): Promise<SessionSummary> {
  return lookUpSession(link, reference, resolveStateDirectory(context.env)).catch(
    (error: unknown) => {
      throw cliErrorFor(error, 'listing the sessions');
    },
  );
}

const signalNames = sessionSignalSchema.options.map((signal) => signal.slice('SIG'.length));

/** The protocol's name of a signal given as `INT`, `SIGINT` or `int`. */
function parseSignal(name: string): SessionSignal {
  const upper = name.toUpperCase();
  const parsed = sessionSignalSchema.safeParse(upper.startsWith('SIG') ? upper : `SIG${upper}`);
  if (!parsed.success) {
    throw new CliError(
      'usage',
      `--signal ${JSON.stringify(name)} is not a signal lifeline can send; use one of ${signalNames.join(', ')}`,
    );
  }
  return parsed.data;
}

/** Options of `lifeline sessions input`, as parsed. */
interface InputOptions {
  /** False with `--no-enter`. */
  enter: boolean;
  stdin?: boolean;
  timeout: string;
  json?: boolean;
}

async function typeIntoSession(
  reference: string,
  words: string[],
  options: InputOptions,
  context: CliContext,
): Promise<number> {
  const timeoutMs = parseRunTimeout(options.timeout);
  if (options.stdin && words.length > 0)
    throw new CliError(
      'usage',
      '--stdin types what stdin holds: give no text after the session id as well',
    );
  const text = options.stdin ? await typedFromStdin(timeoutMs) : words.join(' ');
  if (text === '' && !options.enter)
    throw new CliError(
      'usage',
      'nothing to type: give the text, or leave out --no-enter to press Enter',
    );
  // Like exec, from this process through the router a gateway runs: no gateway process starts.
  let link = await openInProcessGateway(context);
  try {
    const listed = await findSession(link, reference, context);
    const sid = listed.sid;
    if (listed.status === 'ended')
      throw new CliError('usage', `session ${sid} has ended: nothing runs in it to type into`);
    // Its host knows what runs in it (the list may come from the record on disk).
    const { session } = await link.client
      .call('session.attach', { sid, afterSeq: listed.lastSeq })
      .catch((error: unknown) => {
        throw cliErrorFor(error, `attaching to session ${sid}`);
      });
    const running = session.running;
    if (!running) {
      throw new CliError(
        'usage',
        `no command runs in session ${sid}, so nothing was typed; \`lifeline exec -s ${sid} -- <command>\` runs one`,
      );
    }
    const deadline = Date.now() + timeoutMs;
    await link.client
      .call('session.input', {
        sid,
        data: options.enter ? `${text}\r` : text,
        runId: running.runId,
        ...(options.stdin ? { masked: true } : {}),
      })
      .catch((error: unknown) => {
        if (RpcError.isInstance(error) && error.code === RpcErrorCode.InvalidParams) {
          throw new CliError(
            'usage',
            `"${running.command}" ended before the text reached it, so nothing was typed; \`lifeline replay ${sid}\` shows how it ended`,
          );
        }
        throw cliErrorFor(error, `typing into session ${sid}`);
      });
    const followed = await followAndReport({
      context,
      link,
      sid,
      runId: running.runId,
      afterSeq: session.lastSeq,
      typed: text,
      answering: true,
      size: session.size,
      command: running.command,
      deadline,
      timeoutMs,
      json: options.json === true,
      say: (line) => process.stderr.write(`lifeline: ${line}\n`),
    });
    link = followed.link;
    return followed.exitCode;
  } finally {
    link.close();
  }
}

async function interruptSession(
  reference: string,
  options: { signal: string; atPrompt?: boolean; json?: boolean },
  context: CliContext,
): Promise<number> {
  const signal = parseSignal(options.signal);
  const link = await openLocalGateway(context);
  try {
    const session = await findSession(link, reference, context);
    const sid = session.sid;
    if (session.status === 'ended') {
      throw new CliError('usage', `session ${sid} has ended: nothing runs in it to interrupt`);
    }
    const refusal = idleSignalRefusal(
      sid,
      signal,
      { commandRuns: session.running !== undefined, atPrompt: options.atPrompt === true },
      '--at-prompt',
    );
    if (refusal !== undefined) throw new CliError('usage', refusal);
    await link.client.call('session.signal', { sid, signal }).catch((error: unknown) => {
      throw cliErrorFor(error, `sending ${signal} to session ${sid}`);
    });
    const key = keyOfSignal(signal) ?? null;
    process.stdout.write(
      options.json === true
        ? `${JSON.stringify({ sid, signal, key })}\n`
        : `${sid}: sent ${key ?? signal}\n`,
    );
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

async function killSession(
  reference: string,
  options: { json?: boolean },
  context: CliContext,
): Promise<number> {
  const link = await openLocalGateway(context);
  const said = (sid: string, alreadyEnded: boolean) =>
    options.json === true
      ? `${JSON.stringify({ sid, alreadyEnded })}\n`
      : `${sid} ${alreadyEnded ? 'had already ended' : 'ended'}\n`;
  try {
    const session = await findSession(link, reference, context);
    const sid = session.sid;
    if (session.status === 'ended') {
      process.stdout.write(said(sid, true));
      return cliExitCodes.ok;
    }
    await link.client
      .call('session.close', { sid }, { timeoutMs: 15_000 })
      .catch((error: unknown) => {
        throw cliErrorFor(error, `ending session ${sid}`);
      });
    process.stdout.write(said(sid, false));
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

async function renameSession(
  reference: string,
  name: string,
  context: CliContext,
): Promise<number> {
  const newName = checkSessionName(name);
  const link = await openLocalGateway(context);
  try {
    const { sid } = await findSession(link, reference, context);
    await link.client.call('session.rename', { sid, name: newName }).catch((error: unknown) => {
      throw cliErrorFor(error, `renaming session ${sid}`);
    });
    process.stdout.write(`${sid} is now named "${newName}"\n`);
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

async function pruneSessions(olderThan: string, context: CliContext): Promise<number> {
  const olderThanMs = parseDuration(olderThan, '--older-than');
  const link = await openLocalGateway(context);
  try {
    const { pruned } = await link.client
      .call('session.prune', { olderThanMs })
      .catch((error: unknown) => {
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

/**
 * What `--stdin` types: stdin to its end (within `timeoutMs`, at most what one input may hold),
 * line breaks as Enter, the last one left to `--no-enter`.
 * @throws CliError `usage` for a terminal, nothing, too much or no end in time
 */
async function typedFromStdin(timeoutMs: number): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError(
      'usage',
      '--stdin reads what is piped in, not a terminal: `printf %s "$answer" | lifeline sessions input --stdin <sid>`',
    );
  const chunks: Buffer[] = [];
  let size = 0;
  const read = (async () => {
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > MAX_INPUT_BYTES)
        throw new CliError(
          'usage',
          `stdin holds more than the ${MAX_INPUT_BYTES} bytes one input may; type it in smaller pieces`,
        );
    }
  })();
  // Raced below: a rejection after the race is decided is not one to report again.
  read.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A pipe that never ends must not keep this command alive.
      process.stdin.destroy();
      reject(
        new CliError(
          'usage',
          `stdin did not end within ${formatDurationSpec(timeoutMs)}: nothing was typed (--stdin types it once it has ended)`,
        ),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
    .replace(/\r?\n/g, '\r');
  if (text === '')
    throw new CliError(
      'usage',
      'stdin held nothing to type (an empty answer would still press Enter: leave out --stdin for that)',
    );
  return text;
}
