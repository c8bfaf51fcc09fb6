export {
  defineContract,
  type Contract,
  type ContractDefinition,
  type HandlerParams,
  type HandlerResult,
  type NotificationName,
  type NotificationInput,
  type NotificationParams,
  type RequestDefinition,
  type RequestName,
  type RequestParams,
  type RequestProgress,
  type RequestResult,
  type Schema,
} from './contract.js';
export {
  isPeerExitedError,
  PeerExitedError,
  RpcError,
  RpcErrorCode,
  type RpcErrorOptions,
} from './errors.js';
export {
  createPeer,
  Peer,
  type CallOptions,
  type DialectName,
  type HandlerContext,
  type PeerOptions,
  type PeerStats,
  type RequestHandler,
  type StreamOptions,
  type TraceDirection,
} from './peer.js';
export type { OverflowPolicy, RpcStream } from './rpc-stream.js';
export {
  createClient,
  createServer,
  type ClientOptions,
  type ContractHandler,
  type RpcClient,
  type RpcServer,
} from './typed.js';
export type { RequestId } from './internal/messages.js';
export type { ProgressToken } from './internal/dialects.js';
