import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { expect, test } from 'vitest';
import { rawPeer } from './test-utils/pair.js';

const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'jsonrpc',
  'id',
  'method',
  'params',
  'result',
  'error',
);
const hostileObject = fc.dictionary(hostileKeys, fc.jsonValue(), { maxKeys: 6 });
const frame = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  hostileObject.map((value) => JSON.stringify(value)),
  fc.array(hostileObject, { maxLength: 4 }).map((value) => JSON.stringify(value)),
  fc
    .record({
      jsonrpc: fc.constant('2.0'),
      id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      method: fc.string(),
      params: fc.jsonValue(),
    })
    .map((value) => JSON.stringify(value)),
  fc.string().map((text) => text.replaceAll('\n', ' ')),
  fc.constant('{"__proto__":{"polluted":true},"jsonrpc":"2.0","method":"x","id":1}'),
  fc.constant(
    '{"jsonrpc":"2.0","method":"constructor","id":2,"params":{"prototype":{"polluted":true}}}',
  ),
);

test('fuzzed frames never crash the server nor change Object.prototype, and it keeps answering', async () => {
  const raw = rawPeer();
  raw.peer.setRequestHandler('echo', (params) => params);
  let round = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        frame.filter((line) => line.trim() !== ''),
        { maxLength: 8 },
      ),
      async (lines) => {
        round += 1;
        for (const line of lines) raw.send(line);
        raw.send(
          `{"jsonrpc":"2.0","id":"probe-${round}","method":"echo","params":{"round":${round}}}`,
        );
        for (;;) {
          const reply = (await raw.next()) as { id?: unknown; result?: unknown };
          if (reply.id === `probe-${round}`) {
            expect(reply.result).toEqual({ round });
            break;
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
      },
    ),
    fuzzParameters('rpc server: fuzzed frames'),
  );
  expect(raw.peer.isClosed).toBe(false);
});
