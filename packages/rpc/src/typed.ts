import type {
  ContractDefinition,
  HandlerParams,
  HandlerResult,
  NotificationInput,
  NotificationName,
  NotificationParams,
  RequestName,
  RequestParams,
  RequestProgress,
  RequestResult,
  Schema,
} from './contract.js';
import { RpcError, RpcErrorCode } from './errors.js';
import type { CallOptions, HandlerContext, Peer, StreamOptions } from './peer.js';
import { describeValue } from './internal/describe-value.js';
import { checkAgainst, describeIssues } from './internal/schema-check.js';
import type { RpcStream } from './rpc-stream.js';

/** Options of a typed client. */
export interface ClientOptions {
  /** Validate every result (and progress value) against the contract. @default true */
  validateResults?: boolean;
}

/** The calling side of a contract: typed `call`, `stream`, `notify` and `on`. */
export interface RpcClient<C extends ContractDefinition> {
  /**
   * Calls a request of the contract and resolves with its validated result.
   * @throws (rejects) as {@link Peer.request} does, and with a `TypeError`, before anything is
   *   sent, when `method` is not a request of the contract (call other methods with
   *   `peer.request`)
   */
  call<M extends RequestName<C>>(
    method: M,
    params: RequestParams<C, M>,
    options?: CallOptions,
  ): Promise<RequestResult<C, M>>;
  /**
   * Calls a streaming request: progress values, then the result.
   * @throws TypeError, before anything is sent, when `method` is not a request of the contract
   *   (stream other methods with `peer.stream`), or an option is invalid (see {@link Peer.stream})
   */
  stream<M extends RequestName<C>>(
    method: M,
    params: RequestParams<C, M>,
    options?: StreamOptions,
  ): RpcStream<RequestProgress<C, M>, RequestResult<C, M>>;
  /** Sends a notification of the contract; returns false when the peer is gone. */
  notify<N extends NotificationName<C>>(method: N, params: NotificationInput<C, N>): boolean;
  /**
   * Listens to a notification of the contract (params validated); returns the unsubscribe.
   * @throws TypeError when `method` is not a notification of the contract
   */
  on<N extends NotificationName<C>>(
    method: N,
    listener: (params: NotificationParams<C, N>) => void,
  ): () => void;
  /** The underlying peer. */
  readonly peer: Peer;
}

/** A typed request handler. */
export type ContractHandler<C extends ContractDefinition, M extends RequestName<C>> = (
  params: HandlerParams<C, M>,
  context: HandlerContext<RequestProgress<C, M>>,
) => HandlerResult<C, M> | Promise<HandlerResult<C, M>>;

/** The serving side of a contract: typed `handle`, `notify` and `on`. */
export interface RpcServer<C extends ContractDefinition> {
  /**
   * Serves a request of the contract; params arrive validated.
   * @throws TypeError when `method` is not a request of the contract (serve other methods with
   *   `peer.setRequestHandler`), already has a handler, or `handler` is not a function
   */
  handle<M extends RequestName<C>>(method: M, handler: ContractHandler<C, M>): void;
  /** Sends a notification of the contract; returns false when the peer is gone. */
  notify<N extends NotificationName<C>>(method: N, params: NotificationInput<C, N>): boolean;
  /**
   * Listens to a notification of the contract sent by the client (params validated; invalid
   * ones are dropped, as notifications have no reply); returns the unsubscribe.
   * @throws TypeError when `method` is not a notification of the contract
   */
  on<N extends NotificationName<C>>(
    method: N,
    listener: (params: NotificationParams<C, N>) => void,
  ): () => void;
  /** The underlying peer. */
  readonly peer: Peer;
}

/** Typed calling view of `peer` for `contract`. */
export function createClient<C extends ContractDefinition>(
  peer: Peer,
  contract: C,
  options: ClientOptions = {},
): RpcClient<C> {
  const validate = options.validateResults ?? true;
  const checked = (
    method: string,
    what: string,
    schema: Schema | undefined,
    value: unknown,
  ): unknown => {
    if (!validate || !schema) return value;
    const check = checkAgainst(schema, value);
    if (check.ok) return check.value;
    throw new RpcError(
      RpcErrorCode.InvalidResult,
      `${what} of "${method}" does not match the contract: ${describeIssues(check.issues)}; are both sides on the same protocol version?`,
    );
  };
  return {
    peer,
    call: async (method, params, callOptions) => {
      const { result } = declared(contract.requests, method, 'request', 'peer.request');
      const value = await peer.request(method, params, callOptions);
      return checked(method, 'the result', result, value) as never;
    },
    stream: (method, params, streamOptions) => {
      const declaration = declared(contract.requests, method, 'request', 'peer.stream');
      const inner = peer.stream(method, params, streamOptions);
      const result = inner.result.then((value) =>
        checked(method, 'the result', declaration.result, value),
      );
      result.catch(() => undefined);
      return {
        result,
        get dropped() {
          return inner.dropped;
        },
        cancel: (reason?: unknown) => {
          inner.cancel(reason);
        },
        async *[Symbol.asyncIterator]() {
          for await (const value of inner) {
            yield checked(method, 'a progress value', declaration.progress, value);
          }
        },
      } as never;
    },
    ...notifications(peer, contract),
  };
}

/** Typed serving view of `peer` for `contract`. */
export function createServer<C extends ContractDefinition>(peer: Peer, contract: C): RpcServer<C> {
  return {
    peer,
    handle: (method, handler) => {
      peer.setRequestHandler(
        method,
        handler as (params: unknown, context: HandlerContext) => unknown,
        declared(contract.requests, method, 'request', 'peer.setRequestHandler').params,
      );
    },
    ...notifications(peer, contract),
  };
}

/** Typed `notify` and `on`, the same on both sides of a contract. */
function notifications<C extends ContractDefinition>(
  peer: Peer,
  contract: C,
): Pick<RpcServer<C>, 'notify' | 'on'> {
  return {
    notify: (method, params) => peer.notify(method, params),
    on: (method, listener) =>
      peer.onNotification(
        method,
        listener as (params: unknown) => void,
        declared(contract.notifications, method, 'notification', 'peer.onNotification'),
      ),
  };
}

/**
 * What the contract declares for `method`. A name it does not declare would be registered and
 * never called, or called and answered -32601.
 * @throws TypeError naming the method, and what takes names outside the contract
 */
function declared<Declaration>(
  declarations: Record<string, Declaration>,
  method: string,
  kind: 'request' | 'notification',
  untyped: string,
): Declaration {
  const declaration = Object.hasOwn(declarations, method) ? declarations[method] : undefined;
  if (declaration === undefined) {
    throw new TypeError(
      `${describeValue(method)} is not a ${kind} of the contract; add it to the contract, or check its spelling (${untyped} takes names outside it)`,
    );
  }
  return declaration;
}
