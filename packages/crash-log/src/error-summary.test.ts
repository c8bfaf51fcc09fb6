import { expect, test } from 'vitest';
import { ERROR_SUMMARY_LIMIT, summariseError } from './error-summary.js';

test('keeps the first line of the error and its first stack frame', () => {
  const error = new TypeError('cannot read x\nof undefined');
  const summary = summariseError(error);
  expect(summary.message).toBe('TypeError: cannot read x');
  expect(summary.at).toMatch(/^at .*error-summary\.test\.ts/);
});

test('takes the first stack frame, not a line of the message that starts with "at "', () => {
  const error = new SyntaxError('config is invalid:\n  at line 3, column 7: unexpected "}"');
  const summary = summariseError(error);
  expect(summary.message).toBe('SyntaxError: config is invalid:');
  expect(summary.at).toMatch(/^at .*error-summary\.test\.ts/);
});

test('caps both parts at 400 characters without splitting a surrogate pair', () => {
  const summary = summariseError(new Error('😀'.repeat(1000)));
  expect(summary.message.length).toBeLessThanOrEqual(ERROR_SUMMARY_LIMIT);
  expect(summary.message.endsWith('…')).toBe(true);
  expect(summary.message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
});

test('summarises any thrown value and never throws itself', () => {
  expect(summariseError('plain string\nsecond')).toEqual({ message: 'plain string' });
  expect(summariseError(undefined)).toEqual({ message: 'undefined' });
  expect(summariseError(Object.create(null))).toEqual({ message: '[object Object]' });
  const hostile = new Error('x');
  Object.defineProperty(hostile, 'message', {
    get() {
      throw new Error('getter');
    },
  });
  expect(summariseError(hostile).message).toBe('Error');
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  expect(() => summariseError(revoked.proxy)).not.toThrow();
});
