import { cliErrorFor } from '../commands/internal/local-gateway.js';
import { ToolFailure } from './tool-failure.js';

/**
 * A failed gateway call as the model is told it: an unknown session, a gateway that died, or
 * what the gateway refused, saying what was being done.
 */
export function gatewayFailure(error: unknown, doing: string): ToolFailure {
  if (ToolFailure.isInstance(error)) return error;
  return new ToolFailure(cliErrorFor(error, doing).message, { cause: error });
}
