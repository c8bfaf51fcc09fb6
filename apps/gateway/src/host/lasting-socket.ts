import fs from 'node:fs';
import type net from 'node:net';
import {
  listenUnixSocket,
  type StreamTransport,
  type UnixSocketServerOptions,
} from '@lifeline/transport';
import type { Breadcrumb } from './session-host.js';

/** How often the socket file is looked for (a cleaner of temporary files may remove it). */
const SOCKET_CHECK_MS = 2000;

/** What {@link listenLasting} serves on; `close` stops it and removes the socket file. */
export interface LastingSocket {
  close(): Promise<void>;
}

/**
 * Serves `onConnection` on the unix socket `socketPath`, and listens there again whenever the
 * socket file is found gone (every {@link SOCKET_CHECK_MS}): a removed socket file would leave the
 * server unreachable for good, however well it runs. Connections made before go on as they were.
 */
export async function listenLasting(
  socketPath: string,
  onConnection: (transport: StreamTransport, socket: net.Socket) => void,
  options: UnixSocketServerOptions,
  breadcrumb: Breadcrumb,
): Promise<LastingSocket> {
  const servers = [await listenUnixSocket(socketPath, onConnection, options)];
  let listening: Promise<void> | undefined;
  let failed = false;
  const check = setInterval(() => {
    if (listening !== undefined || fs.existsSync(socketPath)) return;
    listening = listenUnixSocket(socketPath, onConnection, options).then(
      (server) => {
        servers.push(server);
        failed = false;
        breadcrumb('host.socket-again', { socket: socketPath });
      },
      (error: unknown) => {
        // Said once, not every few seconds while its directory is gone.
        if (!failed) breadcrumb('host.socket-lost', { socket: socketPath, error: String(error) });
        failed = true;
      },
    );
    void listening.finally(() => {
      listening = undefined;
    });
  }, SOCKET_CHECK_MS).unref();
  return {
    async close() {
      clearInterval(check);
      await listening;
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
