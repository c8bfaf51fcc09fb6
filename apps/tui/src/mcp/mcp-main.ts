import { PassThrough } from 'node:stream';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { createPeer } from '@lifeline/rpc';
import { createStreamTransport } from '@lifeline/transport';
import packageJson from '../../package.json' with { type: 'json' };
import {
  messageOf,
  openLocalGateway,
  type CliContext,
} from '../commands/internal/local-gateway.js';
import { serveMcp } from './mcp-server.js';
import { McpSessions } from './mcp-sessions.js';
import { runTools } from './run-tools.js';
import { sessionTools } from './session-tools.js';
import { SharedGateway } from './shared-gateway.js';

const instructions =
  'Lifeline gives you durable shell sessions: each command runs in a real shell that keeps its directory and environment between calls ' +
  '(unless a result has a note saying the command ran in a new session because the earlier one was still busy), ' +
  'and can be watched live by a person in the lifeline TUI. run runs a command and waits for it; a command still running when its timeout passes, or waiting for input, ' +
  'keeps going (send_input answers it, interrupt stops it, read_output shows its output later). ' +
  'Run programs that page their output without a pager (git --no-pager log, PAGER=cat, man -P cat): a pager waits for keys, and Ctrl+C does not quit it ' +
  '(send_input with text q and enter false does, or interrupt with signal SIGTERM). ' +
  'Sessions from start_session outlive this server; the ones it starts for run calls without a session are closed when it exits, unless a command still runs there.';

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin and the calls it
 * made have answered, running the tools' commands through a gateway of its own (started on first
 * use, started again when it dies).
 * @returns the exit status
 */
export async function runMcpServer(context: CliContext): Promise<number> {
  // The client closing stdin right after a call (a client of one request) still gets its answer:
  // the input ends for the peer only once the calls in progress have answered.
  const input = new PassThrough();
  process.stdin.pipe(input, { end: false });
  process.stdin.once('error', (error) => input.destroy(error));
  const transport = createStreamTransport({ input, output: process.stdout });
  const peer = createPeer(transport, {
    // Handlers take their transport from their context: no async context for every callback.
    bindCurrentTransport: false,
    dialect: 'mcp',
    onHandlerError: (error, method) => {
      context.breadcrumb('mcp.handler_error', { method, error: messageOf(error) });
    },
  });
  const gateway = new SharedGateway({ context, open: openLocalGateway });
  const sessions = new McpSessions(gateway, context.cwd, resolveStateDirectory(context.env));
  serveMcp(peer, {
    tools: [...runTools(sessions), ...sessionTools(sessions)],
    serverInfo: { name: 'lifeline', title: 'Lifeline', version: packageJson.version },
    instructions,
  });
  process.stdin.once('end', () => {
    // Once what stdin gave last has reached the peer (the next turn), and its calls have answered.
    setImmediate(() => {
      void peer.whenHandlersIdle().then(() => input.end());
    });
  });
  // A client that does not wait for the server to exit (SIGTERM after it closed stdin) gets the
  // same care for the sessions the server started.
  const terminate = () => {
    void leaveOwnSessions(sessions, context).finally(() => process.exit(143));
  };
  process.once('SIGTERM', terminate);
  context.breadcrumb('mcp.start', { pid: process.pid });
  const closed = await transport.closed;
  context.breadcrumb('mcp.exit', { reason: closed.reason });
  process.off('SIGTERM', terminate);
  await leaveOwnSessions(sessions, context);
  gateway.close();
  return 0;
}

/** Longest the server waits, as it exits, for the sessions it started to close. */
const CLOSE_OWN_SESSIONS_MS = 1500;

/**
 * Closes the server's own sessions that run nothing (see {@link McpSessions.closeIdleOwn}) and says
 * on stderr, which MCP clients keep in their log, which are left running a command and how to end
 * them. Gives up after {@link CLOSE_OWN_SESSIONS_MS}: a client waits a little for the exit only.
 */
async function leaveOwnSessions(sessions: McpSessions, context: CliContext): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const left = await Promise.race([
      sessions.closeIdleOwn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`still closing after ${CLOSE_OWN_SESSIONS_MS} ms`));
        }, CLOSE_OWN_SESSIONS_MS);
      }),
    ]);
    for (const { sid, command } of left)
      process.stderr.write(
        `lifeline mcp: session ${sid} is left running "${command}"; \`lifeline sessions kill ${sid}\` ends it\n`,
      );
  } catch (error) {
    context.breadcrumb('mcp.close_own_sessions_failed', { error: messageOf(error) });
  } finally {
    clearTimeout(timer);
  }
}
