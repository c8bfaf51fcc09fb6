import {
  hostContract,
  PROTOCOL_VERSION,
  type HostContract,
  type SessionEvent,
} from '@lifeline/protocol';
import { createClient, createPeer, type RpcClient } from '@lifeline/rpc';
import { connectUnixSocket, type CloseInfo, type StreamTransport } from '@lifeline/transport';

/** A gateway's connection to one session host, subscribed to its live events. */
export class HostConnection {
  readonly client: RpcClient<HostContract>;
  readonly closed: Promise<CloseInfo>;
  readonly transport: StreamTransport;
  readonly hostPid: number;
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  private constructor(
    transport: StreamTransport,
    client: RpcClient<HostContract>,
    hostPid: number,
  ) {
    this.transport = transport;
    this.client = client;
    this.hostPid = hostPid;
    this.closed = client.peer.closed;
    client.on('host.event', (event) => {
      for (const listener of this.listeners) listener(event);
    });
  }

  /**
   * Connects and waits for the host's `ready` frame.
   * @throws Error when nothing listens, the peer is not a Lifeline host of this protocol version,
   *   or it stays silent for `readyTimeoutMs`
   */
  static async open(socketPath: string, readyTimeoutMs = 5000): Promise<HostConnection> {
    const transport = await connectUnixSocket(socketPath, { connectTimeoutMs: readyTimeoutMs });
    const client = createClient(createPeer(transport), hostContract);
    const ready = await new Promise<{ pid: number; version: number; role: string }>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          transport.close();
          reject(
            new Error(
              `the session host on ${socketPath} sent no ready frame within ${readyTimeoutMs} ms`,
            ),
          );
        }, readyTimeoutMs);
        const stop = client.on('ready', (frame) => {
          clearTimeout(timer);
          stop();
          resolve(frame);
        });
        void transport.closed.then((info) => {
          clearTimeout(timer);
          reject(
            new Error(`the session host on ${socketPath} closed the connection (${info.reason})`),
          );
        });
      },
    );
    if (ready.role !== 'host' || ready.version !== PROTOCOL_VERSION) {
      transport.close();
      throw new Error(
        `${socketPath} is a ${ready.role} speaking protocol version ${ready.version}, not a session host of version ${PROTOCOL_VERSION}; restart the session with a matching lifeline`,
      );
    }
    return new HostConnection(transport, client, ready.pid);
  }

  /** Receives every live event after subscription. */
  onEvent(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.transport.close();
  }
}
