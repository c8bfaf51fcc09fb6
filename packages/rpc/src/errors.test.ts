import { expect, test } from 'vitest';
import { PeerExitedError } from './errors.js';

test('a peer-exit message quotes the last line the child printed, however long its stderr tail', () => {
  const stderrTail = `${'    at frame (file.js:1:1)\n'.repeat(150)}Error: out of memory\r\n\n  \n`;
  const error = new PeerExitedError('session.create', {
    reason: 'peer-gone',
    exitCode: 134,
    signal: null,
    stderrTail,
  });
  expect(error.message).toBe(
    'the peer answering "session.create" is gone (peer-gone, exit code 134); its stderr ended with: Error: out of memory',
  );
  expect(error.stderrTail).toBe(stderrTail);
});

test('a peer-exit message without stderr says only how the peer ended', () => {
  const error = new PeerExitedError(undefined, {
    reason: 'peer-gone',
    exitCode: null,
    signal: 'SIGKILL',
    stderrTail: '\n \n',
  });
  expect(error.message).toBe('the peer is gone (peer-gone, signal SIGKILL)');
});
