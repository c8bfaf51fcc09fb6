// An MCP SDK client speaking over this process's stdio (NDJSON, as MCP's stdio transport does), for
// interoperability tests: it initializes, lists tools, calls echo, calls count with a progress
// callback, calls slow and cancels it once the server logs "slow started", then writes what it saw
// as one JSON line to stderr and exits.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const client = new Client({ name: 'fixture-client', version: '1.0.0' });
const slowStarted = new Promise((resolve) => {
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    if (notification.params.data === 'slow started') resolve();
  });
});
// The server side of the SDK's stdio transport is plain NDJSON over stdin/stdout: what a client
// in a child process needs too.
await client.connect(new StdioServerTransport());
const seen = { server: client.getServerVersion() };
seen.tools = (await client.listTools()).tools.map((tool) => tool.name);
seen.echo = await client.callTool({ name: 'echo', arguments: { text: 'héllo' } });
const progress = [];
seen.count = await client.callTool({ name: 'count', arguments: {} }, undefined, {
  onprogress: (value) => progress.push(value),
});
seen.progress = progress;
const abort = new AbortController();
const slow = client.callTool({ name: 'slow', arguments: {} }, undefined, {
  signal: abort.signal,
  timeout: 60_000,
});
await slowStarted;
abort.abort('the user gave up');
seen.slow = await slow.then(
  () => 'answered',
  (error) => `rejected: ${error.message}`,
);
process.stderr.write(`${JSON.stringify(seen)}\n`);
await client.close();
