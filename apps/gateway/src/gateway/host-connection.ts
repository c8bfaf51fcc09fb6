import { randomBytes } from 'node:crypto';
import {
  hostContract,
  PROTOCOL_VERSION,
  type HostContract,
  type SessionEvent,
} from '@lifeline/protocol';
import { createClient, createPeer, PeerExitedError, type RpcClient } from '@lifeline/rpc';
import { connectUnixSocket, type CloseInfo, type StreamTransport } from '@lifeline/transport';
import { HOST_EVENT_PREFIX, readHostEventFrame } from '../host-event-frame.js';
import { isProofOf } from '../state/host-secret.js';
import { relayLinkOptions } from '../link-options.js';

/**
 * Hears one live event, with its log record's bytes when the host sent it as such (a copy it may
 * keep; the event's JSON text, one JSON object).
 */
export type HostEventListener = (event: SessionEvent, record: Buffer | undefined) => void;

/**
 * What listens on a session's socket is not the session's host: it could not prove it holds the
 * session's secret. Nothing was sent to it but the challenge.
 */
export class UnprovenHostError extends Error {
  override readonly name = 'UnprovenHostError';
}

/**
 * What listens on a session's socket took the connection and said nothing (no `ready` frame) for
 * the whole wait: a live host that cannot answer. Nothing was sent to it but the challenge.
 */
export class SilentHostError extends Error {
  override readonly name = 'SilentHostError';
}

/**
 * A gateway's connection to one session host, subscribed to its live events. Only a host that
 * proved it holds the session's secret gets one; its events and answers are taken as they come.
 */
export class HostConnection {
  readonly client: RpcClient<HostContract>;
  readonly closed: Promise<CloseInfo>;
  readonly transport: StreamTransport;
  readonly hostPid: number;
  private readonly listeners = new Set<HostEventListener>();

  private constructor(
    transport: StreamTransport,
    client: RpcClient<HostContract>,
    hostPid: number,
  ) {
    this.transport = transport;
    this.client = client;
    this.hostPid = hostPid;
    this.closed = client.peer.closed;
    // Frames the fast path turned down come here decoded, and are checked against the contract.
    client.on('host.event', (event) => {
      for (const listener of this.listeners) listener(event, undefined);
    });
  }

  /**
   * Takes a `host.event` frame that arrived undecoded: its record is passed on as bytes once it is
   * known to be one JSON object holding an event (see {@link readHostEventFrame}); false leaves
   * any other frame to be decoded as usual.
   */
  private takeEventFrame(frame: Buffer): boolean {
    const recorded = readHostEventFrame(frame);
    if (recorded === undefined) return false;
    for (const listener of this.listeners) listener(recorded.event, recorded.record);
    return true;
  }

  /**
   * Connects and challenges the peer to prove it holds the session's secret, then checks its
   * `ready` frame and its answer (`secret()` is read once the answer is in: a host saves it before
   * it listens; undefined when there is none). Nothing but the challenge is sent to a peer before
   * it has proved that.
   * @throws UnprovenHostError when the peer cannot prove it; Error when nothing listens, the peer
   *   is not a Lifeline host of this protocol version, it closes the connection before its answer
   *   (a host ending as its shell exited), or it stays silent for `readyTimeoutMs`
   */
  static async open(
    socketPath: string,
    secret: () => Buffer | undefined,
    readyTimeoutMs = 5000,
  ): Promise<HostConnection> {
    // Until the host has proved itself, its event frames go the way of any frame (to no listener).
    let takeEventFrame = (_frame: Buffer): boolean => false;
    const transport = await connectUnixSocket(socketPath, {
      ...relayLinkOptions,
      connectTimeoutMs: readyTimeoutMs,
      undecodedFrames: { prefix: HOST_EVENT_PREFIX, take: (frame) => takeEventFrame(frame) },
    });
    const client = createClient(createPeer(transport), hostContract);
    const ready = new Promise<{ pid: number; version: number; role: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        transport.close();
        reject(
          new SilentHostError(
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
    });
    // The challenge goes out with the connection, not after the `ready` frame: a host answers both
    // in one wake-up. It tells nothing to a peer that is not the host, and nothing else is sent to
    // one before its answer is checked.
    const nonce = randomBytes(32).toString('hex');
    const proved = client.call('host.prove', { nonce }, { timeoutMs: readyTimeoutMs }).then(
      ({ proof }) => ({ proof }),
      (error: unknown) => ({ error }),
    );
    const frame = await ready;
    if (frame.role !== 'host' || frame.version !== PROTOCOL_VERSION) {
      transport.close();
      throw new Error(
        `${socketPath} is a ${frame.role} speaking protocol version ${frame.version}, not a session host of version ${PROTOCOL_VERSION}; restart the session with a matching lifeline`,
      );
    }
    const answer = await proved;
    if ('error' in answer && PeerExitedError.isInstance(answer.error)) {
      // A host whose shell exited closes its connections as it ends: not a program posing as one.
      transport.close();
      throw new Error(
        `the session host on ${socketPath} (pid ${frame.pid}) closed the connection before it answered (${answer.error.message}): it is ending`,
      );
    }
    const key = 'proof' in answer ? secret() : undefined;
    if (!('proof' in answer) || key === undefined || !isProofOf(key, nonce, answer.proof)) {
      transport.close();
      const why = !('proof' in answer)
        ? `it did not answer the challenge (${(answer.error as Error).message})`
        : key === undefined
          ? 'the session has no secret saved'
          : 'its answer to the challenge is wrong';
      throw new UnprovenHostError(
        `what listens on ${socketPath} (pid ${frame.pid}) could not prove it is the session's host: ${why}. No input was sent to it. If the session was started by an older lifeline, close it and attach again; otherwise another program holds the socket: stop it`,
      );
    }
    // Proven, the host is trusted as the log it writes is: its answers were built to the contract
    // and are not checked against it again (its turned-down events still are, by `on`).
    const trusted = createClient(client.peer, hostContract, { validateResults: false });
    const connection = new HostConnection(transport, trusted, frame.pid);
    takeEventFrame = (undecoded) => connection.takeEventFrame(undecoded);
    return connection;
  }

  /** Receives every live event after subscription. */
  onEvent(listener: HostEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.transport.close();
  }
}
