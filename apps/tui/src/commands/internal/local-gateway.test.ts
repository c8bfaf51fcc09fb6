import { expect, test } from 'vitest';
import { cliErrorFor } from './local-gateway.js';

test('what failed is said once, whether or not the gateway said it already', () => {
  expect(cliErrorFor(new Error('no room left'), 'starting a session').message).toBe(
    'starting a session failed: no room left',
  );
  expect(
    cliErrorFor(
      new Error('starting a session failed: the gateway has no file descriptor left (EMFILE)'),
      'starting a session',
    ).message,
  ).toBe('starting a session failed: the gateway has no file descriptor left (EMFILE)');
});
