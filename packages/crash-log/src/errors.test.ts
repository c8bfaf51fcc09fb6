import { expect, test } from 'vitest';
import { CrashLogError } from './errors.js';

test('isInstance recognises an error of another copy of the package, of this version or an older one', () => {
  const ours = new CrashLogError('INVALID_OPTION', 'bad input');
  expect(ours.code).toBe('INVALID_OPTION');
  expect(CrashLogError.isInstance(ours)).toBe(true);
  const otherCopy = Object.assign(new Error('bad input'), {
    [Symbol.for('@lifeline/crash-log.error')]: true,
  });
  const olderCopy = Object.assign(new Error('bad input'), {
    [Symbol.for('lifeline.crash-log.error')]: true,
  });
  expect(CrashLogError.isInstance(otherCopy)).toBe(true);
  expect(CrashLogError.isInstance(olderCopy)).toBe(true);
  expect(CrashLogError.isInstance(new Error('bad input'))).toBe(false);
});
