import { expect, test } from 'vitest';
import { IdempotencyKeys } from './idempotency-keys.js';

test('a key is known until as many newer keys have come as the capacity', () => {
  const keys = new IdempotencyKeys<number>(2);
  keys.set('a', 1);
  keys.set('b', 2);
  expect(keys.get('a')).toBe(1);
  keys.set('c', 3);
  expect(keys.get('a')).toBeUndefined();
  expect(keys.get('b')).toBe(2);
  expect(keys.get('c')).toBe(3);
});

test('forgetting a key leaves it alone when it names something else by then', () => {
  const keys = new IdempotencyKeys<{ n: number }>();
  const first = { n: 1 };
  const second = { n: 2 };
  keys.set('k', first);
  keys.set('k', second);
  keys.forget('k', first);
  expect(keys.get('k')).toBe(second);
  keys.forget('k', second);
  expect(keys.get('k')).toBeUndefined();
});
