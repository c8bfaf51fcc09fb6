import { createPeer, RpcErrorCode } from '@lifeline/rpc';
import { createTransportPair } from '@lifeline/transport/testing';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineTool, serveMcp } from './mcp-server.js';
import { ToolFailure } from './tool-failure.js';

function setup() {
  const [client, server] = createTransportPair();
  const echo = defineTool({
    name: 'echo',
    title: 'Echo',
    description: 'Says it back',
    input: z.object({ text: z.string(), times: z.int().min(1).default(1) }).strict(),
    output: z.object({ said: z.string() }).strict(),
    call: (input, context) => {
      if (input.text === 'fail') throw new ToolFailure('it failed; try something else');
      if (input.text === 'bug') throw new TypeError('a bug');
      for (let time = 0; time < input.times; time += 1) context.progress(input.text);
      return Promise.resolve({ said: input.text.repeat(input.times) });
    },
  });
  serveMcp(createPeer(server, { dialect: 'mcp' }), {
    tools: [echo],
    serverInfo: { name: 'test', title: 'Test', version: '1.0.0' },
    instructions: 'say things',
  });
  return createPeer(client, { dialect: 'mcp' });
}

describe('serveMcp', () => {
  test('agrees on a revision it speaks, or answers its newest', async () => {
    const peer = setup();
    const initialize = (protocolVersion: string) =>
      peer.request('initialize', {
        protocolVersion,
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      });
    expect(await initialize('2025-06-18')).toEqual({
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'test', title: 'Test', version: '1.0.0' },
      instructions: 'say things',
    });
    expect(await initialize('2024-11-05')).toMatchObject({ protocolVersion: '2024-11-05' });
    expect(await initialize('2023-01-01')).toMatchObject({ protocolVersion: '2025-11-25' });
    await expect(peer.request('initialize', {})).rejects.toMatchObject({
      code: RpcErrorCode.InvalidParams,
    });
  });

  test('lists each tool with JSON Schemas made from its zod schemas', async () => {
    const peer = setup();
    expect(await peer.request('tools/list', {})).toEqual({
      tools: [
        {
          name: 'echo',
          title: 'Echo',
          description: 'Says it back',
          inputSchema: expect.objectContaining({
            type: 'object',
            properties: {
              text: { type: 'string' },
              times: expect.objectContaining({
                type: 'integer',
                minimum: 1,
                default: 1,
              }) as unknown,
            },
            required: ['text'],
            additionalProperties: false,
          }) as unknown,
          outputSchema: expect.objectContaining({
            type: 'object',
            properties: { said: { type: 'string' } },
          }) as unknown,
        },
      ],
    });
  });

  test('answers a call with structured content, its progress numbered in order (what comes at once gathered)', async () => {
    const peer = setup();
    const stream = peer.stream('tools/call', { name: 'echo', arguments: { text: 'hi', times: 3 } });
    const progress: unknown[] = [];
    for await (const value of stream) progress.push(value);
    expect(progress).toEqual([
      { progress: 1, message: 'hi' },
      { progress: 2, message: 'hihi' },
    ]);
    expect(await stream.result).toEqual({
      content: [{ type: 'text', text: '{"said":"hihihi"}' }],
      structuredContent: { said: 'hihihi' },
    });
  });

  test('a client of a revision before structured results gets tools without output schemas, and results as text', async () => {
    const peer = setup();
    await peer.request('initialize', {
      protocolVersion: '2025-03-26',
      capabilities: {},
      clientInfo: { name: 'c', version: '1' },
    });
    const { tools } = (await peer.request('tools/list', {})) as { tools: object[] };
    expect(tools[0]).toEqual({
      name: 'echo',
      description: 'Says it back',
      inputSchema: expect.objectContaining({ type: 'object' }) as unknown,
    });
    expect(await peer.request('tools/call', { name: 'echo', arguments: { text: 'hi' } })).toEqual({
      content: [{ type: 'text', text: '{"said":"hi"}' }],
    });
  });

  test('bad arguments and tool failures are results with isError; an unknown tool and a bug are JSON-RPC errors', async () => {
    const peer = setup();
    const call = (args: unknown) => peer.request('tools/call', { name: 'echo', arguments: args });
    expect(await call({ text: 1, extra: true })).toEqual({
      content: [
        {
          type: 'text',
          text: expect.stringMatching(
            /^invalid arguments for echo: text: .*expected string.*; .*"extra"/,
          ) as unknown,
        },
      ],
      isError: true,
    });
    expect(await call({ text: 'fail' })).toEqual({
      content: [{ type: 'text', text: 'it failed; try something else' }],
      isError: true,
    });
    await expect(call({ text: 'bug' })).rejects.toMatchObject({
      code: RpcErrorCode.InternalError,
    });
    await expect(peer.request('tools/call', { name: 'nope', arguments: {} })).rejects.toMatchObject(
      {
        code: RpcErrorCode.InvalidParams,
        message: 'unknown tool "nope"; tools/list names them: echo',
      },
    );
  });
});
