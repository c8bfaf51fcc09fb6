// An MCP SDK server (McpServer over its stdio transport), for interoperability tests. Tools: echo
// (its arguments back as structured content), count (three progress notifications for the
// request's progress token) and slow (runs until cancelled, then logs "slow cancelled: <reason>").
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer(
  { name: 'fixture', version: '1.0.0' },
  { capabilities: { logging: {} } },
);
server.registerTool(
  'echo',
  { description: 'echoes', inputSchema: { text: z.string() } },
  (args) => ({
    content: [{ type: 'text', text: args.text }],
    structuredContent: args,
  }),
);
server.registerTool('count', { description: 'counts to three' }, async (extra) => {
  const progressToken = extra._meta?.progressToken;
  for (const progress of [1, 2, 3]) {
    await extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken, progress, total: 3, message: `step ${progress}` },
    });
  }
  return { content: [{ type: 'text', text: 'counted' }] };
});
server.registerTool(
  'slow',
  { description: 'runs until cancelled' },
  (extra) =>
    new Promise((resolve) => {
      void server.server.sendLoggingMessage({ level: 'info', data: 'slow started' });
      extra.signal.addEventListener('abort', () => {
        void server.server.sendLoggingMessage({
          level: 'info',
          data: `slow cancelled: ${String(extra.signal.reason)}`,
        });
        resolve({ content: [] });
      });
    }),
);
await server.connect(new StdioServerTransport());
