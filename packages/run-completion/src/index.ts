export { type Clock, systemClock } from './clock.js';
export {
  createRunCoordinator,
  type PreparedRun,
  type ReadyOutcome,
  type RegisteredRun,
  type RunCompleteEvent,
  type RunCoordinator,
  type RunCoordinatorOptions,
  type RunOutcome,
  type ShellRunStartEvent,
} from './coordinator.js';
export {
  RunCompletionError,
  type RunCompletionErrorCode,
  type RunCompletionErrorOptions,
} from './errors.js';
export {
  createShellLaunch,
  type ShellIntegrationFile,
  type ShellLaunch,
  type ShellLaunchOptions,
} from './launch.js';
export { promptInterruptKey } from './interrupt-key.js';
export { type CompletionMode, selectMode, type ShellDescription } from './mode.js';
export { type RandomBytes, systemRandom } from './random.js';
export { detectShellKind, type ShellKind } from './shell-kind.js';
export { createSessionToken, isValidToken } from './token.js';
export { hasVisibleText } from './visible-text.js';
