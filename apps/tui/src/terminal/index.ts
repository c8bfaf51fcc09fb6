export {
  createOutputSanitizer,
  outputSanitizerLimits,
  sanitizeOutput,
} from './output-sanitizer.js';
export type {
  AlternateScreenEvent,
  OutputSanitizer,
  OutputSanitizerOptions,
  SanitizedOutput,
  SanitizerEvent,
  TerminalQuery,
} from './output-sanitizer.js';
export { createTranscriptLines, transcriptLineLimits } from './transcript-lines.js';
export type { TranscriptLines, TranscriptLinesOptions } from './transcript-lines.js';
