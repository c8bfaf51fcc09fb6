import { expect, test } from 'vitest';
import { currentTransport, runWithTransport } from './current-transport.js';
import { createTransportPair } from './transport-pair.js';

test('each request handler sees the transport it was run with, across awaits and timers', async () => {
  const [first] = createTransportPair();
  const [second] = createTransportPair();
  expect(currentTransport()).toBeUndefined();
  const seen = await Promise.all(
    [first, second].map((transport) =>
      runWithTransport(transport, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const afterTimer = currentTransport();
        await Promise.resolve();
        return [afterTimer, currentTransport()];
      }),
    ),
  );
  expect(seen).toEqual([
    [first, first],
    [second, second],
  ]);
  expect(runWithTransport(first, () => runWithTransport(second, () => currentTransport()))).toBe(
    second,
  );
  expect(currentTransport()).toBeUndefined();
});
