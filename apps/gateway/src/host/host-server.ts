import {
  DEFAULT_RUN_TIMEOUT_MS,
  hostContract,
  LifelineErrorCode,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
} from '@lifeline/protocol';
import { createPeer, createServer, RpcError } from '@lifeline/rpc';
import { listenUnixSocket, type UnixSocketTransportServer } from '@lifeline/transport';
import type { Breadcrumb, SessionHost } from './session-host.js';

/**
 * Serves a session host to gateways on its unix socket: every connection gets the `ready` frame
 * first, then the host contract. A gateway's subscription and pause request end with its
 * connection.
 */
export async function serveHost(
  host: SessionHost,
  socketPath: string,
  breadcrumb: Breadcrumb,
): Promise<UnixSocketTransportServer> {
  return listenUnixSocket(socketPath, (transport) => {
    const peer = createPeer(transport, {
      onHandlerError: (error, method) => {
        breadcrumb('handler.error', {
          method,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    });
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
    server.handle('host.info', () => ({ session: host.info(process.pid) }));
    server.handle('host.subscribe', () => {
      unsubscribe?.();
      unsubscribe = host.subscribe({
        event: (event) => {
          server.notify('host.event', event);
        },
        backlog: () => transport.queuedBytes,
      });
      return { lastSeq: host.lastSeq };
    });
    server.handle('host.unsubscribe', () => {
      unsubscribe?.();
      unsubscribe = undefined;
      return { ok: true as const };
    });
    server.handle('host.run', ({ command, timeoutMs, wait, ifIdle, startBefore, typedBy }) => {
      const startWithin =
        startBefore === undefined
          ? (timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS)
          : startBefore - Date.now();
      if (startWithin <= 0) return Promise.reject(lateRunError(command));
      return host.run(
        command,
        Math.min(timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS, startWithin),
        wait ?? true,
        ifIdle ?? false,
        typedBy,
      );
    });
    server.handle('host.input', ({ data, runId, masked }) => {
      host.input(data, runId, masked === true);
      return { ok: true as const };
    });
    server.handle('host.resize', ({ cols, rows }) => {
      host.resize(cols, rows);
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
    });
  });
}

/** A run whose caller stopped waiting before the host could even look at it: never started. */
function lateRunError(command: string): RpcError {
  return new RpcError(
    LifelineErrorCode.SessionBusy,
    `"${command}" reached the session host after the time it had to start, so it was not started; run it again`,
    { data: { runningRunId: null, reason: 'late' } },
  );
}
