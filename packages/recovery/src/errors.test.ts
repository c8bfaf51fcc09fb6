import { expect, test } from 'vitest';
import { RecoveryError } from './errors.js';

test('isInstance recognises an error of another copy of the package, of this version or an older one', () => {
  const ours = new RecoveryError('INVALID_POLICY', 'bad input');
  expect(ours.code).toBe('INVALID_POLICY');
  expect(RecoveryError.isInstance(ours)).toBe(true);
  const otherCopy = Object.assign(new Error('bad input'), {
    [Symbol.for('@lifeline/recovery.error')]: true,
  });
  const olderCopy = Object.assign(new Error('bad input'), {
    [Symbol.for('lifeline.recovery.error')]: true,
  });
  expect(RecoveryError.isInstance(otherCopy)).toBe(true);
  expect(RecoveryError.isInstance(olderCopy)).toBe(true);
  expect(RecoveryError.isInstance(new Error('bad input'))).toBe(false);
});
