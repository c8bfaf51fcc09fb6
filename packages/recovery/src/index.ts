export {
  DEFAULT_RECOVERY_POLICY,
  backoffDelay,
  resolveRecoveryPolicy,
  type RecoveryPolicy,
} from './policy.js';
export {
  attemptsInWindow,
  createRecoveryPlanner,
  hasBeenHealthy,
  initialRecoveryState,
  planRecovery,
  type ChildExit,
  type RecoveryContext,
  type RecoveryDecision,
  type RecoveryEvent,
  type RecoveryPlanner,
  type RecoveryPlannerOptions,
  type RecoveryState,
} from './planner.js';
export {
  createRecoverySupervisor,
  type IgnoredBecause,
  type RecoveryAttempt,
  type RecoverySupervisor,
  type RecoverySupervisorOptions,
  type SupervisedChild,
  type SupervisorEvent,
  type SupervisorState,
  type TimerHandle,
} from './supervisor.js';
export {
  describeExit,
  describeSupervisorState,
  supervisorEventBreadcrumb,
  type DescribeOptions,
  type SupervisorBreadcrumb,
} from './describe.js';
export { RecoveryError, type RecoveryErrorCode } from './errors.js';
