import { ChaosDirectories } from './internal/iteration-place.js';
import { runFaultIteration, type FaultIterationPlan } from './internal/fault-iteration.js';
import { faults, type FaultName } from './internal/faults.js';
import { isClean, sumCounts, type ChaosCounts, type ScenarioOutcome } from './internal/outcome.js';
import { createRandom, freshSeed, type Random } from './internal/random.js';
import {
  runStartupCrashScenario,
  startupCrashScenario,
} from './internal/startup-crash-scenario.js';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** Random SIGKILL iterations: the gateway in 80 % of them, the session host in the rest. */
  iterations: number;
  /** Seed of every random choice (which process, when, how much output). @default a fresh one */
  seed?: number;
  /** Called after each iteration or scenario, in order (for progress output). */
  onOutcome?: (outcome: ScenarioOutcome, index: number, total: number) => void;
}

/** Everything a chaos run found. */
export interface ChaosReport {
  readonly seed: number;
  /** One outcome per named scenario, then one per random iteration. */
  readonly outcomes: readonly ScenarioOutcome[];
  readonly totals: ChaosCounts;
  /** Whether every count of every outcome is 0. */
  readonly clean: boolean;
  readonly wallMs: number;
  /** Where the files of the iterations that went wrong were kept. */
  readonly keptRoot: string | undefined;
}

/** The named scenarios, each run once per chaos run, in this order. */
export const namedScenarios: readonly (FaultName | typeof startupCrashScenario)[] = [
  'gateway-sigkill',
  'host-sigkill',
  'gateway-sigterm',
  'gateway-sighup',
  'gateway-exit-137',
  'gateway-closes-stdout',
  'gateway-stops-answering',
  startupCrashScenario,
];

/** Share of random iterations that kill the gateway; the others kill the session host. */
const gatewayKillShare = 0.8;

/**
 * Runs every named scenario once, then `iterations` random kills, one after another, each in its
 * own state directory with its own new session; returns the counts of each. Files of clean
 * iterations are removed as they end; those of the others are kept (see `keptRoot`).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const startedAt = performance.now();
  const seed = options.seed ?? freshSeed();
  const random = createRandom(seed);
  const plans = [
    ...namedScenarios.map((name) =>
      name === startupCrashScenario ? startupCrashScenario : planFor(name, random),
    ),
    ...Array.from({ length: options.iterations }, () =>
      planFor(random.chance(gatewayKillShare) ? 'gateway-sigkill' : 'host-sigkill', random),
    ),
  ];
  const directories = new ChaosDirectories();
  const outcomes: ScenarioOutcome[] = [];
  for (const [index, plan] of plans.entries()) {
    const name = plan === startupCrashScenario ? plan : plan.fault.name;
    const place = directories.place(`${String(index + 1).padStart(4, '0')}-${name}`);
    const outcome =
      plan === startupCrashScenario
        ? await runStartupCrashScenario(place)
        : await runFaultIteration(plan, place);
    const clean = isClean(outcome.counts);
    if (clean) directories.remove(place);
    const kept = { ...outcome, keptDirectory: clean ? undefined : place.directory };
    outcomes.push(kept);
    options.onOutcome?.(kept, index, plans.length);
  }
  const totals = sumCounts(outcomes.map((outcome) => outcome.counts));
  return {
    seed,
    outcomes,
    totals,
    clean: isClean(totals),
    wallMs: performance.now() - startedAt,
    keptRoot: directories.removeIfEmpty() ? undefined : directories.root,
  };
}

function planFor(name: FaultName, random: Random): FaultIterationPlan {
  const rows = random.integer(1000, 3000);
  // The stream takes a little over 20 ms per 100 rows: the fault lands anywhere in it, or just after.
  return { fault: faults[name], faultAfterMs: random.integer(0, Math.round(rows / 4)), rows };
}
