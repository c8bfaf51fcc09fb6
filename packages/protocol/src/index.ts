export { PROTOCOL_NAME, PROTOCOL_VERSION } from './version.js';
export {
  createSessionId,
  isSessionId,
  parseSessionId,
  type SessionId,
  type SessionIdSources,
} from './session-id.js';
export { sessionIdSchema } from './session-id-schema.js';
export {
  eventPayloadSchema,
  eventPayloadSchemas,
  eventsWith,
  eventTypes,
  sessionEventSchema,
  terminalSizeSchema,
  typedBySchema,
  type TypedBy,
  type EventPayload,
  type SessionEvent,
  type SessionEventOf,
  type SessionEventType,
} from './events.js';
export {
  runResultSchema,
  sessionNameSchema,
  sessionSignalKeys,
  sessionSignalSchema,
  sessionSummarySchema,
  type RunResult,
  type SessionSignal,
  type SessionSummary,
} from './session.js';
export {
  STOP_SIGNALS,
  execReportSchema,
  execStreamLineSchema,
  type ExecReport,
  type ExecStreamLine,
  type StopSignal,
} from './exec-stream.js';
export { readySchema, type Ready } from './ready.js';
export {
  ATTACHED_BY_CAPABILITY,
  DEFAULT_INPUT_TIMEOUT_MS,
  DEFAULT_RUN_TIMEOUT_MS,
  IDEMPOTENCY_KEY_LIMITS,
  MAX_COMMAND_BYTES,
  MAX_EVENTS_PER_PAGE,
  MAX_INPUT_BYTES,
  MAX_RUN_TIMEOUT_MS,
  MAX_TERMINAL_DIMENSION,
  OUTPUT_WINDOW_CAPABILITY,
  OUTPUT_WINDOW_LIMITS,
  OUTPUT_WINDOW_RESIZE_CAPABILITY,
  RECENT_HISTORY_CAPABILITY,
} from './limits.js';
export { DURATION_UNIT_MS, formatDurationSpec } from './duration-spec.js';
export { WINDOWED_EVENT_SIZE, windowedSize } from './output-window.js';
export { TypedLineEcho } from './typed-line-echo.js';
export {
  TERMINAL_REPLIES_CAPABILITY,
  terminalAnswerPattern,
  terminalRepliesSchema,
} from './terminal-replies.js';
export { LifelineErrorCode } from './error-codes.js';
export { stateLayout } from './state-dir.js';
export {
  gatewayContract,
  sessionEventNotificationSchema,
  type GatewayContract,
  type SessionEventNotification,
} from './gateway-contract.js';
export { hostContract, type HostContract } from './host-contract.js';
export { idempotencyKeySchema } from './idempotency-key.js';
