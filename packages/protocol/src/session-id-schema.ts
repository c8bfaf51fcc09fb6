import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { sessionIdPattern } from './session-id.js';

useEnglishMessagesByDefault();

/** Validates a durable session id (`SessionId`) on the wire. */
export const sessionIdSchema = z
  .string()
  .check(z.regex(sessionIdPattern, 'expected a session id like s_01hzy3k7m2q9v8c4x6t1b5n0rd'))
  .brand<'SessionId'>();
