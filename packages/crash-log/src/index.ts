export {
  createCrashLogger,
  isCrashLogEnabled,
  stringifyFieldValue,
  type BreadcrumbFields,
  type BreadcrumbValue,
  type BreadcrumbWriter,
  type CrashLogger,
  type CrashLoggerOptions,
} from './crash-logger.js';
export {
  defaultCrashLogPath,
  resolveStateDirectory,
  stateDirectorySource,
  type StateDirectorySource,
  type StateEnvironment,
} from './state-paths.js';
export {
  CRASH_LOG_LINE_LIMIT,
  formatCrashLogLine,
  formatValue,
  parseCrashLogLine,
  type CrashLogEntry,
  type CrashLogLineInput,
} from './line-format.js';
export {
  crashLogFiles,
  formatCrashLogEntry,
  readCrashLog,
  type FormatCrashLogEntryOptions,
  type ReadCrashLogOptions,
} from './crash-log-reader.js';
export { RingBuffer } from './ring-buffer.js';
export { StderrTail, type StderrTailOptions } from './stderr-tail.js';
export { CleanupRegistry, type Cleanup, type CleanupOutcome } from './cleanup-registry.js';
export {
  exitCodeForSignal,
  installProcessHooks,
  type ExitReason,
  type ProcessHooks,
  type ProcessHooksOptions,
} from './process-hooks.js';
export {
  startMemoryMonitor,
  type HeapReading,
  type MemoryLevel,
  type MemoryMonitor,
  type MemoryMonitorOptions,
  type MemorySample,
} from './memory-monitor.js';
export { ERROR_SUMMARY_LIMIT, summariseError, type ErrorSummary } from './error-summary.js';
export { CrashLogError, type CrashLogErrorCode } from './errors.js';
