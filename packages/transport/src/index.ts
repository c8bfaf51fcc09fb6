// The root holds what users of a transport need. The codecs (`/ndjson`, `/content-length`), the
// token-file helpers (`/token-file`) and the in-process pair for tests (`/testing`) are subpaths.
export type {
  CloseInfo,
  CloseReason,
  MalformedFrame,
  Transport,
  TransportReceiver,
} from './transport.js';
export { TransportError, isTransportError } from './errors.js';
export type { TransportErrorCode, TransportErrorOptions } from './errors.js';
export { DEFAULT_MAX_FRAME_BYTES } from './ndjson.js';
export type { Framing } from './internal/framing.js';
export { PEER_GONE_ERROR_CODES, isPeerGoneError } from './peer-gone.js';
export { DEFAULT_MAX_QUEUED_BYTES } from './internal/stream-link.js';
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  createStdioTransport,
  createStreamTransport,
} from './stream-transport.js';
export type {
  NdjsonTransportOptions,
  StreamTransport,
  StreamTransportOptions,
  UndecodedFrames,
} from './stream-transport.js';
export {
  DEFAULT_EXIT_GRACE_MS,
  STDERR_TAIL_BYTES,
  spawnTransport,
} from './child-process-transport.js';
export type { SpawnTransportOptions, SpawnedTransport } from './child-process-transport.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, connectUnixSocket, listenUnixSocket } from './unix-socket.js';
export type {
  UnixSocketConnectOptions,
  UnixSocketServerOptions,
  UnixSocketTransportServer,
} from './unix-socket.js';
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
} from './websocket-transport.js';
export type { WebSocketTransportOptions } from './websocket-transport.js';
export { listenWebSocket } from './websocket-server.js';
export type {
  WebSocketConnectionInfo,
  WebSocketServerOptions,
  WebSocketTransportServer,
} from './websocket-server.js';
export { connectWebSocket } from './websocket-client.js';
export type { WebSocketConnectOptions } from './websocket-client.js';
export { createTeeTransport } from './tee-transport.js';
export type { TeeTransportOptions } from './tee-transport.js';
export { currentTransport, runWithTransport } from './current-transport.js';
export { sendJsonText } from './send-json-text.js';
export type { JsonTextPart } from './send-json-text.js';
