import { createClient, createPeer } from '@lifeline/rpc';
import { spawnTransport } from '@lifeline/transport';
import { benchContract } from './contract.js';
import {
  makePayload,
  mcpMethods,
  methods,
  type EchoParams,
  type McpToolResult,
} from './payload.js';
import {
  checkEcho,
  exited,
  fixtureArguments,
  NotificationCounter,
  type RpcConnection,
  type RpcSubject,
} from './subject.js';

/** How the parent and its child speak: NDJSON (untyped or typed), or a dialect of another protocol. */
type Variant = 'plain' | 'typed' | 'lsp' | 'mcp';

async function connect(variant: Variant): Promise<RpcConnection> {
  const typed = variant === 'typed';
  const spawned = spawnTransport(
    process.execPath,
    fixtureArguments('rpc-lifeline-server.ts', ...(variant === 'plain' ? [] : [`--${variant}`])),
    variant === 'lsp' ? { framing: 'content-length' } : {},
  );
  const { child } = spawned;
  const peer = createPeer(
    spawned.transport,
    variant === 'lsp' || variant === 'mcp' ? { dialect: variant } : {},
  );
  const client = createClient(peer, benchContract);
  const counter = new NotificationCounter();
  if (typed) client.on('bench.item', counter.hit);
  else peer.onNotification(variant === 'mcp' ? mcpMethods.log : methods.item, counter.hit);
  // The MCP pair calls every bench method as a tool, as the MCP SDK pair does.
  const call = (method: string, params: unknown) =>
    variant === 'mcp'
      ? peer.request(mcpMethods.call, { name: method, arguments: params })
      : peer.request(method, params);
  const echo = typed
    ? async (params: EchoParams) => checkEcho(params, await client.call('echo', params))
    : variant === 'mcp'
      ? async (params: EchoParams) =>
          checkEcho(params, ((await call(methods.echo, params)) as McpToolResult).structuredContent)
      : async (params: EchoParams) => checkEcho(params, await peer.request(methods.echo, params));
  // The first answer doubles as the handshake: the child is up and serving.
  await echo(makePayload(64));
  return {
    echo,
    async notifications(count, bytes) {
      const arrived = counter.expect(count);
      await (typed
        ? client.call('notifications', { count, bytes })
        : call(methods.notifications, { count, bytes }));
      await arrived;
    },
    async hold(count) {
      const calls = Array.from({ length: count }, () =>
        typed ? client.call('hold', {}) : call(methods.hold, {}),
      );
      await echo(makePayload(64));
      return calls;
    },
    kill() {
      child.kill('SIGKILL');
    },
    async dispose() {
      child.kill('SIGKILL');
      await exited(child);
      await peer.closed;
    },
  };
}

/** `@lifeline/rpc` through its untyped `Peer` API (request / setRequestHandler / onNotification). */
export const lifelineSubject: RpcSubject = {
  name: '@lifeline/rpc',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect('plain'),
};

/** `@lifeline/rpc` through a zod contract: params validated by the server, results by the client. */
export const lifelineTypedSubject: RpcSubject = {
  name: '@lifeline/rpc typed (zod)',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect('typed'),
};

/** `@lifeline/rpc` with Content-Length framing and the LSP dialect on both ends: the pair set beside vscode-jsonrpc. */
export const lifelineLspSubject: RpcSubject = {
  name: '@lifeline/rpc LSP (Content-Length)',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect('lsp'),
};

/** `@lifeline/rpc` with the MCP dialect on both ends (NDJSON, as MCP's stdio): the pair set beside the MCP SDK. */
export const lifelineMcpSubject: RpcSubject = {
  name: '@lifeline/rpc MCP',
  exitDetection: 'built in (transport close: child exit + pipes closed)',
  connect: () => connect('mcp'),
};
