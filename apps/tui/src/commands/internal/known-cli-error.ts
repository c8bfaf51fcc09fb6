import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { CliError } from './cli-error.js';

/**
 * What the user is told of an error that has a meaning of its own: a `CliError` as it is, an
 * unknown session (3), a name another live session holds or a command or input over its limit
 * (2); undefined for anything else.
 */
export function knownCliError(error: unknown): CliError | undefined {
  if (CliError.isInstance(error)) return error;
  if (RpcError.isInstance(error) && error.code === LifelineErrorCode.SessionNotFound) {
    return new CliError('notFound', error.message, { cause: error });
  }
  if (
    RpcError.isInstance(error) &&
    (error.code === LifelineErrorCode.NameTaken || error.code === LifelineErrorCode.PayloadTooLarge)
  ) {
    return new CliError('usage', error.message, { cause: error });
  }
  return undefined;
}
