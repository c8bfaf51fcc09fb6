import type { Command } from 'commander';
import { processContext } from './internal/local-gateway.js';

/** Adds `lifeline mcp` to the program. */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .summary('serve durable shell sessions to an AI agent over MCP (stdio)')
    .description(
      'Serve the Model Context Protocol on stdin and stdout, for an MCP client (a coding agent) to start: tools run commands in durable sessions ' +
        '(run, send_input, interrupt, read_output, list_sessions, start_session) through a gateway of its own, so a person sees the runs live in `lifeline`. ' +
        'It ends when the client closes stdin; the sessions keep running.',
    )
    .action(async () => {
      // Loaded only here: the other commands never pay for the MCP server and its schemas.
      const { runMcpServer } = await import('../mcp/mcp-main.js');
      process.exitCode = await runMcpServer(processContext());
    });
}
