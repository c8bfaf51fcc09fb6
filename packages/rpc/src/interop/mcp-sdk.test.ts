import path from 'node:path';
import { spawnTransport, type SpawnedTransport } from '@lifeline/transport';
import { afterEach, describe, expect, test } from 'vitest';
import { RpcError, RpcErrorCode } from '../errors.js';
import { createPeer, type Peer } from '../peer.js';

const fixtures = path.join(import.meta.dirname, '..', '__fixtures__');
const children: SpawnedTransport[] = [];
afterEach(() => {
  for (const spawned of children.splice(0)) spawned.child.kill('SIGKILL');
});

function spawnFixture(name: string, onStderr?: (chunk: Buffer) => void): SpawnedTransport {
  const spawned = spawnTransport(
    process.execPath,
    [path.join(fixtures, name)],
    onStderr === undefined ? {} : { onStderr },
  );
  children.push(spawned);
  return spawned;
}

/** Resolves with the params of the first `method` notification that `accept` takes. */
function nextNotification(
  peer: Peer,
  method: string,
  accept: (params: unknown) => boolean = () => true,
): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = peer.onNotification(method, (params) => {
      if (!accept(params)) return;
      stop();
      resolve(params);
    });
  });
}

const logged = (text: string) => (params: unknown) =>
  String((params as { data?: unknown }).data).startsWith(text);

describe('Lifeline as an MCP client of an MCP SDK server (stdio)', () => {
  test('initialize, tools/list, tools/call, progress by progressToken, and cancellation the server sees', async () => {
    const peer = createPeer(spawnFixture('mcp-sdk-server.mjs').transport, {
      dialect: 'mcp',
      defaultTimeoutMs: 20_000,
    });
    const initialized = (await peer.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'lifeline-test', version: '1.0.0' },
    })) as { serverInfo: { name: string } };
    expect(initialized.serverInfo.name).toBe('fixture');
    peer.notify('notifications/initialized');

    const listed = (await peer.request('tools/list', {})) as { tools: { name: string }[] };
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(['count', 'echo', 'slow']);
    expect(
      await peer.request('tools/call', { name: 'echo', arguments: { text: 'héllo' } }),
    ).toMatchObject({
      structuredContent: { text: 'héllo' },
    });

    const counting = peer.stream('tools/call', { name: 'count', arguments: {} });
    const progress: unknown[] = [];
    for await (const value of counting) progress.push(value);
    expect(progress).toEqual(
      [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step}` })),
    );
    expect(await counting.result).toMatchObject({ content: [{ type: 'text', text: 'counted' }] });

    const started = nextNotification(peer, 'notifications/message', logged('slow started'));
    const cancelledThere = nextNotification(
      peer,
      'notifications/message',
      logged('slow cancelled'),
    );
    const abort = new AbortController();
    const slow = peer.request(
      'tools/call',
      { name: 'slow', arguments: {} },
      { signal: abort.signal },
    );
    slow.catch(() => undefined);
    await started;
    abort.abort(new Error('the user gave up'));
    await expect(slow).rejects.toMatchObject({ code: RpcErrorCode.Cancelled });
    expect(await cancelledThere).toMatchObject({
      data: expect.stringContaining('the user gave up') as unknown,
    });
    peer.close();
  });
});

describe('an MCP SDK client of a Lifeline MCP server (stdio)', () => {
  test('initialize, tools/list, tools/call, progress to its onprogress, and its cancellation aborting the handler', async () => {
    let report = '';
    const finished = new Promise<void>((resolve) => {
      const spawned = spawnFixture('mcp-sdk-client.mjs', (chunk) => {
        report += chunk.toString();
        if (report.endsWith('\n')) resolve();
      });
      serve(
        createPeer(spawned.transport, {
          dialect: 'mcp',
          defaultTimeoutMs: 20_000,
          trace: (direction, message) => {
            if (direction === 'out') sent.push(message);
          },
        }),
      );
    });
    const sent: unknown[] = [];
    let slowAbortedWith: unknown;
    function serve(peer: Peer): void {
      peer.setRequestHandler('initialize', (params) => ({
        protocolVersion: (params as { protocolVersion: string }).protocolVersion,
        capabilities: { tools: {}, logging: {} },
        serverInfo: { name: 'lifeline-server', version: '1.0.0' },
      }));
      peer.onNotification('notifications/initialized', () => undefined);
      peer.setRequestHandler('tools/list', () => ({
        tools: ['echo', 'count', 'slow'].map((name) => ({ name, inputSchema: { type: 'object' } })),
      }));
      peer.setRequestHandler('tools/call', async (params, context) => {
        const { name, arguments: args } = params as {
          name: string;
          arguments: Record<string, unknown>;
        };
        if (name === 'echo') return { content: [{ type: 'text', text: String(args.text) }] };
        if (name === 'count') {
          for (const step of [1, 2, 3]) context.progress({ progress: step, total: 3 });
          return { content: [{ type: 'text', text: 'counted' }] };
        }
        peer.notify('notifications/message', { level: 'info', data: 'slow started' });
        return new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            slowAbortedWith = context.signal.reason;
            reject(context.signal.reason as Error);
          });
        });
      });
    }
    await finished;
    const seen = JSON.parse(report) as Record<string, unknown>;
    expect(seen.server).toEqual({ name: 'lifeline-server', version: '1.0.0' });
    expect(seen.tools).toEqual(['echo', 'count', 'slow']);
    expect(seen.echo).toMatchObject({ content: [{ type: 'text', text: 'héllo' }] });
    expect(seen.count).toMatchObject({ content: [{ type: 'text', text: 'counted' }] });
    expect(seen.progress).toEqual([1, 2, 3].map((step) => ({ progress: step, total: 3 })));
    expect(seen.slow).toMatch(/^rejected: .*the user gave up/);
    expect(RpcError.isInstance(slowAbortedWith) && slowAbortedWith.code).toBe(
      RpcErrorCode.Cancelled,
    );
    // MCP: a cancelled request is not answered.
    const answeredSlow = sent.filter(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        'id' in message &&
        'error' in message &&
        (message as { error: { code: number } }).error.code === RpcErrorCode.Cancelled,
    );
    expect(answeredSlow).toEqual([]);
  });
});
