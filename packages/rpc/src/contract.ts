import type * as z from 'zod/v4/core';
import { describeValue } from './internal/describe-value.js';
import { isSchema } from './internal/schema-check.js';

/** Any zod 4 schema: made with the classic API (`zod`) or the mini one (`zod/mini`). */
export type Schema = z.$ZodType;

/** Schemas of one request: what the caller sends and what the handler returns. */
export interface RequestDefinition {
  params: Schema;
  result: Schema;
  /** Schema of the progress values a streaming handler emits. */
  progress?: Schema;
}

/**
 * The API one side serves: the requests it handles and the notifications it sends. Both sides
 * import the same contract, so calls, handlers and listeners are type-checked end to end.
 */
export interface ContractDefinition {
  requests: Record<string, RequestDefinition>;
  notifications: Record<string, Schema>;
}

const contractMarker = Symbol.for('@lifeline/rpc.contract');

/** A contract made by {@link defineContract}. */
export type Contract<Definition extends ContractDefinition = ContractDefinition> = Definition & {
  readonly [contractMarker]: true;
};

/**
 * Declares an API with zod schemas:
 * `defineContract({ requests: { name: { params, result } }, notifications: { name: params } })`.
 * Inbound params are validated against it (a failure answers -32602 with the issue paths).
 * Names may start with `$/` (the Language Server Protocol's own methods, `$/progress` say); names
 * starting with `rpc.` are reserved by JSON-RPC 2.0 for the protocol itself.
 * @throws TypeError when `requests` or `notifications` is missing, a schema is not a zod 4 schema
 *   (naming where), or a method name is reserved (`rpc.*`) or declared twice
 */
export function defineContract<const Definition extends ContractDefinition>(
  definition: Definition,
): Contract<Definition> {
  checkDefinition(definition);
  const seen = new Set<string>();
  for (const name of [
    ...Object.keys(definition.requests),
    ...Object.keys(definition.notifications),
  ]) {
    if (name.startsWith('rpc.')) {
      throw new TypeError(
        `method name "${name}" is reserved: JSON-RPC 2.0 keeps rpc.* for the protocol itself; rename it`,
      );
    }
    if (seen.has(name)) {
      throw new TypeError(
        `"${name}" is declared both as a request and as a notification; pick one`,
      );
    }
    seen.add(name);
  }
  return Object.assign(Object.create(null) as object, definition, {
    [contractMarker]: true as const,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses a definition whose mistakes would otherwise surface as a crash, or on the first call. */
function checkDefinition(definition: unknown): void {
  if (!isRecord(definition)) {
    throw new TypeError(
      `defineContract needs { requests, notifications }, got ${describeValue(definition)}`,
    );
  }
  const { requests, notifications } = definition;
  if (!isRecord(requests)) {
    throw new TypeError(
      `requests must be an object of { params, result } definitions ({} for none), got ${describeValue(requests)}`,
    );
  }
  for (const [name, request] of Object.entries(requests)) {
    const where = `requests[${JSON.stringify(name)}]`;
    if (!isRecord(request)) {
      throw new TypeError(`${where} must be { params, result }, got ${describeValue(request)}`);
    }
    checkSchema(`${where}.params`, request.params);
    checkSchema(`${where}.result`, request.result);
    if (request.progress !== undefined) checkSchema(`${where}.progress`, request.progress);
  }
  if (!isRecord(notifications)) {
    throw new TypeError(
      `notifications must be an object of params schemas ({} for none), got ${describeValue(notifications)}`,
    );
  }
  for (const [name, schema] of Object.entries(notifications)) {
    checkSchema(`notifications[${JSON.stringify(name)}]`, schema);
  }
}

function checkSchema(where: string, schema: unknown): void {
  if (!isSchema(schema)) {
    throw new TypeError(
      `${where} must be a zod 4 schema (z.object(…), z.null(), …), got ${describeValue(schema)}`,
    );
  }
}

/** Names of the requests of a contract. */
export type RequestName<C extends ContractDefinition> = keyof C['requests'] & string;
/** Names of the notifications of a contract. */
export type NotificationName<C extends ContractDefinition> = keyof C['notifications'] & string;
/** Params a caller passes to a request. */
export type RequestParams<C extends ContractDefinition, M extends RequestName<C>> = z.input<
  C['requests'][M]['params']
>;
/** Params a handler receives (after validation and defaults). */
export type HandlerParams<C extends ContractDefinition, M extends RequestName<C>> = z.output<
  C['requests'][M]['params']
>;
/** What a request resolves with. */
export type RequestResult<C extends ContractDefinition, M extends RequestName<C>> = z.output<
  C['requests'][M]['result']
>;
/** What a handler returns. */
export type HandlerResult<C extends ContractDefinition, M extends RequestName<C>> = z.input<
  C['requests'][M]['result']
>;
/** Progress values of a streaming request. */
export type RequestProgress<
  C extends ContractDefinition,
  M extends RequestName<C>,
> = C['requests'][M]['progress'] extends Schema ? z.output<C['requests'][M]['progress']> : unknown;
/** Params of a notification, as a listener receives them (validated). */
export type NotificationParams<
  C extends ContractDefinition,
  M extends NotificationName<C>,
> = z.output<C['notifications'][M]>;
/** Params a notification is sent with (the receiving side validates them). */
export type NotificationInput<
  C extends ContractDefinition,
  M extends NotificationName<C>,
> = z.input<C['notifications'][M]>;
