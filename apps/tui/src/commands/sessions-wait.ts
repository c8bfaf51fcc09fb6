import { resolveStateDirectory } from '@lifeline/crash-log';
import type { Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { CliError } from './internal/cli-error.js';
import { parseRunTimeout } from './internal/duration.js';
import {
  cliErrorFor,
  openInProcessGateway,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import { followAndReport } from './internal/run-report.js';
import { lookUpSession } from './internal/session-ref.js';

/** Events read at a time while looking for a run, from the end of the log back. */
const pageSize = 2000;

/** Options of `lifeline sessions wait`, as parsed. */
interface WaitOptions {
  run?: string;
  timeout: string;
  json?: boolean;
}

/** Adds `lifeline sessions wait` to the `sessions` command. */
export function registerSessionsWaitCommand(sessions: Command): void {
  sessions
    .command('wait')
    .summary('wait for a run that exec stopped waiting for, and give its output and outcome')
    .description(
      'Wait for the command running in a session (with --run, for the run of that id: one exec left running at its --timeout, or one that ended since; with neither, its last run) and print its output from its start and its outcome as `lifeline exec` does: ' +
        'the exit status is its own once it ends, 124 when --timeout passes first, 125 when it waits for someone to type (it keeps running either way). ' +
        "A run that ended already is read from the session's log at once (an ended session stays ended).",
    )
    .argument('<session>', 'the session: its id, the start of its id, or its name')
    .option(
      '--run <runId>',
      'the run to wait for, as exec names it (its --json `runId`, or its message on stderr); default: the command running now, else the last one',
    )
    .option('--timeout <duration>', 'stop waiting after this long: 500ms, 30s, 5m, 2h', '30s')
    .option(
      '--json',
      'print one JSON object as `lifeline exec --json` does, and nothing else on stdout',
    )
    .action(async (session: string, options: WaitOptions) => {
      process.exitCode = await waitForRun(session, options, processContext());
    });
}

async function waitForRun(
  reference: string,
  options: WaitOptions,
  context: CliContext,
): Promise<number> {
  const timeoutMs = parseRunTimeout(options.timeout);
  if (options.run?.trim() === '')
    throw new CliError('usage', '--run is empty: give the id of a run, as exec names it (run-…)');
  // Like exec, from this process through the router a gateway runs: no gateway process starts.
  let link = await openInProcessGateway(context);
  try {
    const listed = await lookUpSession(link, reference, resolveStateDirectory(context.env)).catch(
      (error: unknown) => {
        throw cliErrorFor(error, 'listing the sessions');
      },
    );
    const sid = listed.sid;
    // Its host knows what runs in it (the list may come from the record on disk).
    const { session, lastSeq } =
      listed.status === 'live'
        ? await link.client
            .call('session.attach', { sid, afterSeq: listed.lastSeq })
            .catch((error: unknown) => {
              throw cliErrorFor(error, `attaching to session ${sid}`);
            })
        : { session: listed, lastSeq: listed.lastSeq };
    const found = await findRun(link, sid, options.run ?? session.running?.runId, lastSeq);
    if (found === undefined)
      throw new CliError(
        'notFound',
        options.run === undefined
          ? `session ${sid} has run no command yet; \`lifeline exec -s ${sid} -- <command>\` runs one`
          : `session ${sid} has no run ${options.run}: give the id exec named (its --json \`runId\`, or its message on stderr)`,
      );
    const { runId } = found;
    const waitsNow = session.running?.runId === runId && session.running.waitsForInput === true;
    const deadline = Date.now() + timeoutMs;
    const followed = await followAndReport({
      context,
      link,
      sid,
      runId,
      afterSeq: found.startSeq,
      typed: found.command,
      command: found.command,
      deadline,
      timeoutMs,
      json: options.json === true,
      size: session.size,
      // The waits the run's past holds were answered, but the one it waits in now.
      waitsFrom: waitsNow && found.lastWaitSeq !== undefined ? found.lastWaitSeq : lastSeq + 1,
      // An ended session is not attached to: that would start a new shell in it.
      fromLog: session.status === 'ended',
      say: (line) => process.stderr.write(`lifeline: ${line}\n`),
    });
    link = followed.link;
    return followed.exitCode;
  } finally {
    link.close();
  }
}

/**
 * Looks for a run in the session's log, from its end back (the last run when `runId` is not
 * given): its id, the seq of its `run_start`, its command, and the seq of the last wait for input
 * it recorded among the events read.
 */
async function findRun(
  link: GatewayLink,
  sid: string,
  runId: string | undefined,
  lastSeq: number,
): Promise<
  { runId: string; startSeq: number; command: string; lastWaitSeq: number | undefined } | undefined
> {
  let lastWaitSeq: number | undefined;
  for (let end = lastSeq; end >= 0; end -= pageSize) {
    const fromSeq = Math.max(0, end - pageSize + 1);
    const { events } = await link.client
      .call('session.events', { sid, fromSeq, limit: end - fromSeq + 1 })
      .catch((error: unknown) => {
        throw cliErrorFor(error, `reading the log of session ${sid}`);
      });
    for (let index = events.length - 1; index >= 0; index -= 1) {
      const event = events[index];
      if (event === undefined || event.seq > end || !('runId' in event)) continue;
      if (runId !== undefined && event.runId !== runId) continue;
      if (event.type === 'input_wait') lastWaitSeq ??= event.seq;
      if (event.type === 'run_start')
        return { runId: event.runId, startSeq: event.seq, command: event.command, lastWaitSeq };
    }
  }
  return undefined;
}
