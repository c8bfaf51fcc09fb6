import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { TransportError } from './errors.js';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame } from './ndjson.js';
import { checkByteLimit, checkDuration } from './internal/option-checks.js';
import { isPeerGoneError } from './peer-gone.js';
import { DEFAULT_MAX_QUEUED_BYTES, stalledError } from './internal/stream-link.js';
import type { SerializedMessage } from './internal/serialized-message.js';
import { TransportCore } from './internal/transport-core.js';
import { DEFAULT_CLOSE_TIMEOUT_MS } from './stream-transport.js';
import type { StreamTransport } from './stream-transport.js';
import type { CloseInfo, CloseReason } from './transport.js';

/** Default interval between heartbeat pings: 15 s. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
/** Default silence after which a WebSocket peer is declared dead: 30 s. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;
/** Default time allowed for the WebSocket opening handshake: 10 s. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Options shared by the WebSocket server and client. */
export interface WebSocketTransportOptions {
  /**
   * Largest accepted inbound message in bytes (ws `maxPayload`). A larger one closes the
   * connection (status 1009) and the transport with reason `oversize`.
   * @default 16 MiB (16_777_216)
   */
  maxPayload?: number;
  /**
   * Bound of the outbound queue in bytes (ws `bufferedAmount`); a send that would exceed it
   * closes the transport with reason `stalled` and returns false.
   * @default 64 MiB (67_108_864)
   */
  maxQueuedBytes?: number;
  /**
   * How often to ping the peer. Every inbound byte (message, ping, pong, even part of a large
   * message) counts as liveness. `0` turns the heartbeat off.
   * @default 15000
   */
  heartbeatIntervalMs?: number;
  /**
   * Silence after which the peer is declared dead and the transport closes with `timeout`.
   * Checked at every heartbeat interval.
   * @default 30000
   */
  heartbeatTimeoutMs?: number;
  /**
   * How long `close()` waits for the peer's close frame before dropping the connection.
   * @default 2000
   */
  closeTimeoutMs?: number;
}

/** Validated WebSocket transport settings. */
export interface WebSocketTransportSettings {
  maxPayload: number;
  maxQueuedBytes: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  closeTimeoutMs: number;
}

/** Applies defaults and validates {@link WebSocketTransportOptions}. */
export function webSocketSettings(options: WebSocketTransportOptions): WebSocketTransportSettings {
  return {
    maxPayload: checkByteLimit('maxPayload', options.maxPayload, DEFAULT_MAX_FRAME_BYTES),
    maxQueuedBytes: checkByteLimit(
      'maxQueuedBytes',
      options.maxQueuedBytes,
      DEFAULT_MAX_QUEUED_BYTES,
    ),
    heartbeatIntervalMs: checkDuration(
      'heartbeatIntervalMs',
      options.heartbeatIntervalMs,
      DEFAULT_HEARTBEAT_INTERVAL_MS,
      true,
    ),
    heartbeatTimeoutMs: checkDuration(
      'heartbeatTimeoutMs',
      options.heartbeatTimeoutMs,
      DEFAULT_HEARTBEAT_TIMEOUT_MS,
    ),
    closeTimeoutMs: checkDuration(
      'closeTimeoutMs',
      options.closeTimeoutMs,
      DEFAULT_CLOSE_TIMEOUT_MS,
    ),
  };
}

/** Validates a handshake timeout option. */
export function handshakeTimeout(value: number | undefined): number {
  return checkDuration('handshakeTimeoutMs', value, DEFAULT_HANDSHAKE_TIMEOUT_MS);
}

/** `readyState` values (the WebSocket standard's, which ws uses), without loading ws for them. */
const webSocketOpen = 1;
const webSocketClosed = 3;

function messageText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

interface Decision {
  reason: CloseReason;
  error?: Error;
}

function decisionForCloseCode(code: number, reason: Buffer): Decision {
  if (code === 1000 || code === 1001 || code === 1005) return { reason: 'eof' };
  if (code === 1006) return { reason: 'peer-gone' };
  const detail = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
  if (code === 1009) {
    return {
      reason: 'oversize',
      error: new TransportError(
        'FRAME_TOO_LARGE',
        `The peer refused a message as too large (WebSocket close 1009${detail}).`,
      ),
    };
  }
  return {
    reason: 'error',
    error: new Error(`The peer closed the WebSocket with status ${code}${detail}.`),
  };
}

/**
 * A transport over one open `ws` WebSocket: one JSON message per text frame. Used by
 * `listenWebSocket` and `connectWebSocket`; `socket` is the raw connection, whose every inbound
 * byte counts as heartbeat liveness.
 */
export class WebSocketTransport extends TransportCore implements StreamTransport {
  readonly #ws: WebSocket;
  readonly #socket: Duplex | undefined;
  readonly #settings: WebSocketTransportSettings;
  #decision: Decision | undefined;
  #lastInbound = performance.now();
  /** While reading is paused, nothing can arrive: silence then says nothing about the peer. */
  #inboundPaused = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  readonly #alive = (): void => {
    this.#lastInbound = performance.now();
  };

  constructor(ws: WebSocket, socket: Duplex | undefined, settings: WebSocketTransportSettings) {
    super();
    this.#ws = ws;
    this.#socket = socket;
    this.#settings = settings;
    ws.on('message', (data, _isBinary) => {
      this.#alive();
      const text = messageText(data);
      const decoded = decodeFrame(text);
      if (decoded.ok) this.deliverMessage(decoded.value);
      else if (text.trim().length > 0) this.deliverMalformed(decoded.malformed);
    });
    ws.on('ping', this.#alive);
    ws.on('pong', this.#alive);
    socket?.on('data', this.#alive);
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.#decide({
          reason: 'oversize',
          error: new TransportError(
            'FRAME_TOO_LARGE',
            `An inbound WebSocket message is larger than the ${settings.maxPayload}-byte limit (maxPayload); the connection was closed with status 1009.`,
            { cause: error, limitBytes: settings.maxPayload },
          ),
        });
      } else {
        this.#decide({ reason: isPeerGoneError(error) ? 'peer-gone' : 'error', error });
      }
    });
    ws.once('close', (code: number, reason: Buffer) => {
      socket?.removeListener('data', this.#alive);
      this.#decide(decisionForCloseCode(code, reason));
      this.#settleFromDecision();
    });
    if (ws.readyState !== webSocketOpen) {
      this.#decide({ reason: 'peer-gone' });
      if (ws.readyState === webSocketClosed) this.#settleFromDecision();
    } else if (settings.heartbeatIntervalMs > 0) {
      this.#heartbeat = setInterval(() => this.#beat(), settings.heartbeatIntervalMs);
      this.#heartbeat.unref();
    }
  }

  get queuedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  /** The raw connection's `drain` (without one, `listener` is never called). */
  onDrain(listener: () => void): () => void {
    const socket = this.#socket;
    socket?.on('drain', listener);
    return () => {
      socket?.off('drain', listener);
    };
  }

  protected writeSerialized(serialized: SerializedMessage): boolean {
    const ws = this.#ws;
    const text = serialized.text;
    if (ws.readyState !== webSocketOpen) {
      // Closing: the peer sent its close frame (or the connection broke). The 'close' event, which
      // comes with the peer's close code, tells which.
      this.markClosing();
      return false;
    }
    const queued = ws.bufferedAmount;
    if (queued > 0 && queued + Buffer.byteLength(text) > this.#settings.maxQueuedBytes) {
      this.#decide({ reason: 'stalled', error: stalledError(this.#settings.maxQueuedBytes) });
      return false;
    }
    try {
      ws.send(text);
    } catch (error) {
      if (isPeerGoneError(error)) {
        this.#decide({ reason: 'peer-gone' });
        return false;
      }
      this.#decide({
        reason: 'error',
        error: error instanceof Error ? error : new Error(String(error)),
      });
      throw error;
    }
    return true;
  }

  protected closeLocally(): void {
    this.#decide({ reason: 'local' });
  }

  protected override pauseInbound(): void {
    this.#inboundPaused = true;
    this.#ws.pause();
  }

  protected override resumeInbound(): void {
    this.#inboundPaused = false;
    this.#lastInbound = performance.now();
    this.#ws.resume();
  }

  /** Pings the peer (which takes any frame as a sign of life) and drops one that went silent. */
  #beat(): void {
    const silentFor = performance.now() - this.#lastInbound;
    if (!this.#inboundPaused && silentFor >= this.#settings.heartbeatTimeoutMs) {
      this.#decide({
        reason: 'timeout',
        error: new TransportError(
          'HEARTBEAT_TIMEOUT',
          `Nothing arrived from the WebSocket peer for ${Math.round(silentFor)} ms (heartbeatTimeoutMs ${this.#settings.heartbeatTimeoutMs}); the connection was dropped.`,
        ),
      });
      return;
    }
    if (this.#ws.readyState === webSocketOpen) this.#ws.ping();
  }

  #decide(decision: Decision): void {
    if (this.#decision !== undefined) return;
    this.#decision = decision;
    this.markClosing();
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const ws = this.#ws;
    if (ws.readyState === webSocketClosed) return;
    switch (decision.reason) {
      case 'local':
      case 'eof':
        ws.close(1000);
        this.#closeTimer = setTimeout(() => ws.terminate(), this.#settings.closeTimeoutMs);
        this.#closeTimer.unref();
        break;
      case 'oversize':
        // ws is already closing with 1009.
        break;
      default:
        ws.terminate();
        break;
    }
  }

  #settleFromDecision(): void {
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    const decision = this.#decision ?? { reason: 'peer-gone' };
    const info: CloseInfo = { reason: decision.reason };
    if (decision.error !== undefined) info.error = decision.error;
    this.settle(info);
  }
}
