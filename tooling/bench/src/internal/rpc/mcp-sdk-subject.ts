import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { makePayload, methods, type EchoParams } from './payload.js';
import { checkEcho, fixtureArguments, NotificationCounter, type RpcSubject } from './subject.js';

/** The MCP SDK's Client over its stdio transport, calling tools of an McpServer child. */
export const mcpSdkSubject: RpcSubject = {
  name: '@modelcontextprotocol/sdk',
  exitDetection: 'built in (child close → transport onclose rejects pending requests)',
  async connect() {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: fixtureArguments('rpc-mcp-sdk-server.ts'),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'bench', version: '1.0.0' });
    const counter = new NotificationCounter();
    client.setNotificationHandler(LoggingMessageNotificationSchema, counter.hit);
    client.onerror = () => undefined;
    await client.connect(transport);
    const closed = new Promise<void>((resolve) => {
      client.onclose = resolve;
    });
    const pid = transport.pid;
    if (pid === null) throw new Error('the MCP server child has no pid after connecting');
    const echo = async (params: EchoParams) =>
      checkEcho(
        params,
        (
          await client.callTool({
            name: methods.echo,
            arguments: params as unknown as Record<string, unknown>,
          })
        ).structuredContent,
      );
    await echo(makePayload(64));
    const kill = () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    return {
      echo,
      async notifications(count, bytes) {
        const arrived = counter.expect(count);
        await client.callTool({ name: methods.notifications, arguments: { count, bytes } });
        await arrived;
      },
      async hold(count) {
        const calls = Array.from({ length: count }, () =>
          client.callTool({ name: methods.hold, arguments: {} }),
        );
        await echo(makePayload(64));
        return calls;
      },
      kill,
      async dispose() {
        kill();
        await closed;
      },
    };
  },
};
