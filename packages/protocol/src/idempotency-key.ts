import * as z from 'zod/mini';
import { IDEMPOTENCY_KEY_LIMITS } from './limits.js';

/**
 * A client's name for one intended action (`session.run`, `session.input`): a request that carries
 * the key of an earlier one is answered with that one's outcome instead of being done again.
 */
export const idempotencyKeySchema = z
  .string()
  .check(z.minLength(IDEMPOTENCY_KEY_LIMITS.min), z.maxLength(IDEMPOTENCY_KEY_LIMITS.max));
