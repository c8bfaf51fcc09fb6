import { LifelineErrorCode } from '@lifeline/protocol';
import { PeerExitedError, RpcError } from '@lifeline/rpc';
import { expect, test } from 'vitest';
import { neverReachedExitedShell } from './shell-exited.js';

const refusal = new RpcError(LifelineErrorCode.HostUnavailable, 'the shell has exited', {
  data: { sid: 's', reason: 'exited' },
});
const connectionLost = new PeerExitedError('host.run', { reason: 'eof' });

test('a run the host refused because its shell exited is sent to the next shell', () => {
  expect(neverReachedExitedShell(refusal, { shellExited: false })).toBe(true);
});

test('a run whose host closed after its shell exited, without answering, is sent to the next shell', () => {
  expect(neverReachedExitedShell(connectionLost, { shellExited: true })).toBe(true);
});

test('a run whose host went away while its shell ran may have been typed: it is not sent again', () => {
  expect(neverReachedExitedShell(connectionLost, { shellExited: false })).toBe(false);
  const killed = new PeerExitedError('host.run', { reason: 'peer-gone' });
  expect(neverReachedExitedShell(killed, { shellExited: false })).toBe(false);
});

test('other failures of a run are not retried', () => {
  const busy = new RpcError(LifelineErrorCode.SessionBusy, 'busy', { data: { reason: 'busy' } });
  expect(neverReachedExitedShell(busy, { shellExited: true })).toBe(false);
  const noShell = new RpcError(LifelineErrorCode.HostUnavailable, 'no shell', {
    data: { reason: 'no-shell' },
  });
  expect(neverReachedExitedShell(noShell, { shellExited: false })).toBe(false);
});
