/** The counts that must all be 0 after every iteration and scenario. */
export interface ChaosCounts {
  /** Events on disk the client never received or never folded. */
  readonly lost: number;
  /** Events the client's fold applied twice. */
  readonly duplicatesApplied: number;
  /** Calls (to a gateway, or steps of the runner) that did not settle within their deadline. */
  readonly unsettledCalls: number;
  /** Gateways, hosts, shells and their children still running after the iteration closed its session. */
  readonly hangingProcesses: number;
  /** Processes whose parent died and that are not session hosts. */
  readonly orphans: number;
  /** Expectations of the scenario that did not hold (recovery, exit status, budget, transcript). */
  readonly failedChecks: number;
}

/** The names of the counts, in table order. */
export const countNames = [
  'lost',
  'duplicatesApplied',
  'unsettledCalls',
  'hangingProcesses',
  'orphans',
  'failedChecks',
] as const satisfies readonly (keyof ChaosCounts)[];

/** What one iteration or named scenario found. */
export interface ScenarioOutcome {
  /** The fault or scenario name. */
  readonly scenario: string;
  readonly counts: ChaosCounts;
  /** Events delivered to the client more than once (replays the fold must ignore): not a failure. */
  readonly duplicatesDelivered: number;
  /** Events of the on-disk log compared with what the client folded. */
  readonly eventsChecked: number;
  /** Whether the fault landed while the streaming command was still running (no `run_complete` yet). */
  readonly faultMidStream: boolean | undefined;
  /** From the fault to the client being live again (gateway faults) or on a new host (host faults). */
  readonly recoveryMs: number | undefined;
  /** Gateways the client spawned. */
  readonly gatewaySpawns: number;
  readonly wallMs: number;
  /** What went wrong, for people; empty when every count is 0. */
  readonly failures: readonly string[];
  /** The iteration's state directory, kept for inspection when something went wrong. */
  readonly keptDirectory: string | undefined;
}

/** Whether every count is 0. */
export function isClean(counts: ChaosCounts): boolean {
  return countNames.every((name) => counts[name] === 0);
}

/** Adds counts up. */
export function sumCounts(all: readonly ChaosCounts[]): ChaosCounts {
  const total = {
    lost: 0,
    duplicatesApplied: 0,
    unsettledCalls: 0,
    hangingProcesses: 0,
    orphans: 0,
    failedChecks: 0,
  };
  for (const counts of all) for (const name of countNames) total[name] += counts[name];
  return total;
}
