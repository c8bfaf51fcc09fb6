import { expect, test } from 'vitest';
import { TransportError } from './errors.js';
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

test('a paused side holds what its peer sends until resume(), in order', async () => {
  const [left, right] = createTransportPair();
  const received: unknown[] = [];
  let resolveThree: () => void = () => undefined;
  const three = new Promise<void>((resolve) => (resolveThree = resolve));
  right.receive({
    message: (message) => {
      received.push(message);
      if (received.length === 3) resolveThree();
    },
  });
  right.pause?.();
  left.send(1);
  left.send(2);
  // A pair delivers on the next turn of the event loop: two turns later, nothing may have arrived.
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  expect(received).toEqual([]);
  right.resume?.();
  left.send(3);
  await three;
  expect(received).toEqual([1, 2, 3]);
  left.close();
  await expect(right.closed).resolves.toEqual({ reason: 'eof' });
});

test('a receiver without a message function is refused by receive(), and a good one can follow', async () => {
  const [left, right] = createTransportPair();
  const attachMistakes = [undefined, {}, { message: 'log' }, { message: () => 1, malformed: 5 }];
  const problems = attachMistakes.map((receiver) => {
    try {
      right.receive(receiver as never);
      return 'accepted';
    } catch (error) {
      return TransportError.isInstance(error) && `${error.code}: ${error.message}`;
    }
  });
  const needs =
    'INVALID_OPTION: receive() needs a receiver: an object with a message(value) function and, optionally, a malformed(frame) function; got';
  expect(problems).toEqual([
    `${needs} undefined.`,
    `${needs} an object whose message is undefined.`,
    `${needs} an object whose message is "log".`,
    `${needs} an object whose malformed is 5.`,
  ]);
  const received: unknown[] = [];
  right.receive({ message: (message) => received.push(message) });
  left.send('after the mistakes');
  left.close();
  await right.closed;
  expect(received).toEqual(['after the mistakes']);
});
