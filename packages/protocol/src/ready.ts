import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { PROTOCOL_NAME } from './version.js';

useEnglishMessagesByDefault();

/**
 * First frame from every gateway and session host: a `ready` notification. A client that sees
 * another protocol name or major version disconnects with a clear error.
 */
export const readySchema = z.object({
  protocol: z.literal(PROTOCOL_NAME),
  version: z.int().check(z.positive()),
  pid: z.int(),
  role: z.enum(['gateway', 'host']),
  /** Optional features this peer offers, e.g. `flow-control`. */
  capabilities: z.array(z.string()),
});

/** Payload of the `ready` notification. */
export type Ready = z.infer<typeof readySchema>;
