import { resolveStateDirectory } from '@lifeline/crash-log';
import { createPeer } from '@lifeline/rpc';
import { createStdioTransport } from '@lifeline/transport';
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
  'Lifeline gives you durable shell sessions: each command runs in a real shell that outlives this server, keeps its directory and environment between calls, ' +
  'and can be watched live by a person in the lifeline TUI. run runs a command and waits for it; a command still running when its timeout passes, or waiting for input, ' +
  'keeps going (send_input answers it, interrupt stops it, read_output shows its output later).';

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin, running the tools'
 * commands through a gateway of its own (started on first use, started again when it dies).
 * @returns the exit status
 */
export async function runMcpServer(context: CliContext): Promise<number> {
  const transport = createStdioTransport();
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
  context.breadcrumb('mcp.start', { pid: process.pid });
  const closed = await transport.closed;
  context.breadcrumb('mcp.exit', { reason: closed.reason });
  gateway.close();
  return 0;
}
