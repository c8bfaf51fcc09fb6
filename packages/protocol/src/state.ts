/**
 * `@lifeline/protocol/state`: session ids, where a session's files live and the terminal size
 * limit, without the wire schemas (and without loading zod), for code that has to run the moment a
 * process starts.
 */
export {
  createSessionId,
  isSessionId,
  parseSessionId,
  type SessionId,
  type SessionIdSources,
} from './session-id.js';
export { stateLayout } from './state-dir.js';
export { MAX_TERMINAL_DIMENSION } from './limits.js';
