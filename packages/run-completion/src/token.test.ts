import { expect, test } from 'vitest';
import { seededRandom } from './__fixtures__/seeded-random.js';
import { createSessionToken, isValidToken, randomRunToken } from './token.js';

test('a session token is 128 random bits as 22 base64url characters', () => {
  const first = createSessionToken();
  expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(createSessionToken()).not.toBe(first);
  expect(createSessionToken(() => new Uint8Array(16).fill(255))).toBe('_'.repeat(21) + 'w');
  expect(createSessionToken(seededRandom(1))).toBe(createSessionToken(seededRandom(1)));
});

test('a random source that returns too few bytes is refused', () => {
  expect(() => createSessionToken(() => new Uint8Array(4))).toThrow(
    expect.objectContaining({ code: 'INVALID_OPTION' }) as Error,
  );
});

test('run tokens use letters and digits only', () => {
  const random = seededRandom(9);
  for (let index = 0; index < 200; index++)
    expect(randomRunToken(random)).toMatch(/^[A-Za-z0-9]{22}$/);
});

test.each([
  ['a'.repeat(22), true],
  ['A-_9'.repeat(16), true],
  ['a'.repeat(21), false],
  ['a'.repeat(65), false],
  ['a'.repeat(21) + ';', false],
  [42, false],
])('isValidToken(%j) is %s', (token, valid) => {
  expect(isValidToken(token)).toBe(valid);
});
