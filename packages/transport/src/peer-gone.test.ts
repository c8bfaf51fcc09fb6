import { expect, test } from 'vitest';
import { isPeerGoneError } from './peer-gone.js';

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

test.each([
  'EPIPE',
  'ECONNRESET',
  'EBADF',
  'ESHUTDOWN',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
])('%s means the peer is gone', (code) => {
  expect(isPeerGoneError(errno(code))).toBe(true);
  expect(isPeerGoneError(new Error('wrapped', { cause: errno(code) }))).toBe(true);
});

test.each(['ENOSPC', 'EACCES', 'EIO', 'EEXIST', 'ERR_INVALID_ARG_TYPE'])(
  '%s is a real error, not a disconnect',
  (code) => {
    expect(isPeerGoneError(errno(code))).toBe(false);
  },
);

test('non-errors are not peer-gone', () => {
  expect(isPeerGoneError(undefined)).toBe(false);
  expect(isPeerGoneError('EPIPE')).toBe(false);
  expect(isPeerGoneError(new Error('EPIPE'))).toBe(false);
});
