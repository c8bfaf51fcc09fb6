import { expect, test } from 'vitest';
import { createTransportPair } from './transport-pair.js';

test('an in-memory pair delivers copies in order and ends the other side with eof', async () => {
  const [left, right] = createTransportPair();
  const received: unknown[] = [];
  right.receive({ message: (message) => received.push(message) });
  const original = { nested: { value: 1 } };
  left.send(original);
  left.send([2]);
  expect(() => left.send(() => 3)).toThrow(TypeError);
  left.close();
  expect(left.send('after close')).toBe(false);
  await expect(right.closed).resolves.toEqual({ reason: 'eof' });
  await expect(left.closed).resolves.toEqual({ reason: 'local' });
  expect(received).toEqual([{ nested: { value: 1 } }, [2]]);
  expect(received[0]).not.toBe(original);
  expect(right.send('to a closed peer')).toBe(false);
});
