/**
 * `@lifeline/protocol/state`: session ids and where a session's files live, without the wire
 * schemas (and without loading zod), for code that has to run the moment a process starts.
 */
export { createSessionId, isSessionId, parseSessionId, type SessionId, type SessionIdSources } from './session-id.js';
export { stateLayout } from './state-dir.js';
