import {
  DEFAULT_RUN_TIMEOUT_MS,
  hostContract,
  LifelineErrorCode,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
} from '@lifeline/protocol';
import { createServer, RpcError } from '@lifeline/rpc';
import { sendJsonText } from '@lifeline/transport';
import { cancelledByCaller } from '../caller-cancel.js';
import { HOST_EVENT_PREFIX, HOST_EVENT_SUFFIX } from '../host-event-frame.js';
import { relayLinkOptions } from '../link-options.js';
import { holdWrites } from './held-writes.js';
import { listenLasting, type LastingSocket } from './lasting-socket.js';
import { createServicePeer } from '../service-peer.js';
import { proofOf } from '../state/host-secret.js';
import type { Breadcrumb, SessionHost } from './session-host.js';

/**
 * Serves a session host to gateways on its unix socket (made again if its file is removed, see
 * {@link listenLasting}): every connection gets the `ready` frame
 * first, then the host contract; `host.prove` answers a gateway's challenge with `secret`. A
 * gateway's subscription and pause request end with its connection.
 */
export async function serveHost(
  host: SessionHost,
  socketPath: string,
  secret: Buffer,
  breadcrumb: Breadcrumb,
): Promise<LastingSocket> {
  return listenLasting(
    socketPath,
    (transport, socket) => {
      const peer = createServicePeer(transport, breadcrumb);
      const server = createServer(peer, hostContract);
      server.notify('ready', {
        protocol: PROTOCOL_NAME,
        version: PROTOCOL_VERSION,
        pid: process.pid,
        role: 'host',
        capabilities: ['flow-control'],
      });
      let unsubscribe: (() => void) | undefined;
      const connection = {};
      server.handle('host.prove', ({ nonce }) => ({ proof: proofOf(secret, nonce) }));
      server.handle('host.info', () => ({ session: host.info(process.pid) }));
      server.handle('host.subscribe', () => {
        unsubscribe?.();
        unsubscribe = host.subscribe({
          event: (event, record) => {
            // The record as the log wrote it: the event is serialised once, whatever it carries.
            if (record === undefined) server.notify('host.event', event);
            else sendJsonText(transport, [HOST_EVENT_PREFIX, record, HOST_EVENT_SUFFIX]);
          },
          backlog: () => transport.queuedBytes,
          onDrain: (listener) => transport.onDrain(listener),
          hold: () => holdWrites(socket),
        });
        return { lastSeq: host.lastSeq };
      });
      server.handle('host.unwritten', ({ afterSeq }) => ({
        events: host.unwrittenAfter(afterSeq),
      }));
      server.handle('host.unsubscribe', () => {
        unsubscribe?.();
        unsubscribe = undefined;
        return { ok: true as const };
      });
      server.handle(
        'host.run',
        (
          { command, timeoutMs, wait, ifIdle, startBefore, typedBy, idempotencyKey },
          { signal },
        ) => {
          const runTimeout = timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
          return host.run({
            // A gateway that dies leaves its runs to the one that takes its place: they start.
            withdrawn: cancelledByCaller(signal),
            command,
            timeoutMs: runTimeout,
            wait: wait ?? true,
            ifIdle: ifIdle ?? false,
            startWithinMs: startBefore === undefined ? runTimeout : startBefore - Date.now(),
            typedBy,
            idempotencyKey,
          });
        },
      );
      server.handle('host.input', ({ data, runId, masked, deliverBefore, idempotencyKey }) => {
        // Its caller has been told it failed: typed now, it would reach whatever runs by then.
        if (deliverBefore !== undefined && deliverBefore <= Date.now()) throw lateInputError();
        host.input(data, runId, masked === true, idempotencyKey);
        return { ok: true as const };
      });
      server.handle('host.reply', ({ data }) => {
        host.reply(data);
        return { ok: true as const };
      });
      server.handle('host.resize', ({ cols, rows }) => {
        host.resize(cols, rows, connection);
        return { ok: true as const };
      });
      server.handle('host.signal', ({ signal }) => {
        host.signal(signal);
        return { ok: true as const };
      });
      server.handle('host.flow', ({ paused }) => {
        host.requestPause(connection, paused);
        return { ok: true as const };
      });
      server.handle('host.rename', ({ name }) => {
        host.rename(name);
        return { ok: true as const };
      });
      server.handle('host.close', () => {
        host.close();
        return { ok: true as const };
      });
      void transport.closed.then(() => {
        unsubscribe?.();
        host.requestPause(connection, false);
        host.releaseSize(connection);
      });
    },
    relayLinkOptions,
    breadcrumb,
  );
}

/** Input whose caller stopped waiting before the host could type it: never typed. */
function lateInputError(): RpcError {
  return new RpcError(
    LifelineErrorCode.SessionBusy,
    'the input reached the session host after the time it had to be typed, so it was not typed; send it again',
    { data: { runningRunId: null, reason: 'late' } },
  );
}
