import { expect, test } from 'vitest';
import { TerminalSizeClaims } from './terminal-size-claims.js';

test('the client that asked last sets the size; when it leaves, the latest of the others does', () => {
  const claims = new TerminalSizeClaims<string>();
  claims.claim('wide', { cols: 100, rows: 30 });
  claims.claim('small', { cols: 80, rows: 24 });
  expect(claims.release('small')).toEqual({ cols: 100, rows: 30 });
  expect(claims.release('wide')).toBeUndefined();
});

test('a client that leaves without holding the size changes nothing; one that asks again moves last', () => {
  const claims = new TerminalSizeClaims<string>();
  claims.claim('a', { cols: 100, rows: 30 });
  claims.claim('b', { cols: 80, rows: 24 });
  claims.claim('c', { cols: 120, rows: 40 });
  expect(claims.release('b')).toBeUndefined();
  expect(claims.release('unknown')).toBeUndefined();
  claims.claim('a', { cols: 90, rows: 30 });
  expect(claims.release('a')).toEqual({ cols: 120, rows: 40 });
});
