import { expect, test } from 'vitest';
import { gatewayRefusal } from './gateway-refusal.js';

test('a gateway’s refusal is its last line in its own words; a crash, a signal or silence is none', () => {
  const said = 'lifeline: the state directory /s is not a directory, so Lifeline does not use it';
  expect(gatewayRefusal({ code: 6, signal: null, detail: said })).toBe(
    'the state directory /s is not a directory, so Lifeline does not use it',
  );
  expect(gatewayRefusal({ code: 1, signal: null, detail: 'Node.js v20.20.2' })).toBeUndefined();
  expect(gatewayRefusal({ code: null, signal: 'SIGKILL', detail: said })).toBeUndefined();
  expect(gatewayRefusal({ code: 6, signal: null })).toBeUndefined();
  expect(gatewayRefusal(undefined)).toBeUndefined();
});
