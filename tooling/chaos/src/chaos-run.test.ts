import { DEFAULT_RECOVERY_POLICY } from '@lifeline/recovery';
import { expect, test } from 'vitest';
import { namedScenarios, runChaos } from './chaos-run.js';
import { freshSeed } from './internal/random.js';
import { formatChaosTable } from './report-table.js';

test('a short chaos run: every named scenario and 6 random kills lose nothing, apply nothing twice, and leave nothing pending or running', async () => {
  const seed = Number(process.env.LIFELINE_CHAOS_SEED) || freshSeed();
  const report = await runChaos({ iterations: 6, seed });
  const table = formatChaosTable(report);
  console.log(`chaos seed ${seed}\n${table}`);
  const failures = report.outcomes.flatMap((outcome) =>
    outcome.failures.map((failure) => `${outcome.scenario}: ${failure}`),
  );

  expect(
    report.outcomes.slice(0, namedScenarios.length).map((outcome) => outcome.scenario),
  ).toEqual(namedScenarios);
  expect(report.outcomes).toHaveLength(namedScenarios.length + 6);
  expect(failures, `seed ${seed} (replay with LIFELINE_CHAOS_SEED=${seed})\n${table}`).toEqual([]);
  expect(report.totals).toEqual({
    lost: 0,
    duplicatesApplied: 0,
    unsettledCalls: 0,
    hangingProcesses: 0,
    orphans: 0,
    failedChecks: 0,
  });
  expect(report.clean).toBe(true);
  // Every gateway fault made the client start a new gateway; the crash loop spent exactly its budget.
  for (const outcome of report.outcomes) {
    if (
      outcome.scenario.startsWith('gateway-') &&
      outcome.scenario !== 'gateway-crashes-at-startup'
    )
      expect(outcome.gatewaySpawns).toBe(2);
  }
  expect(
    report.outcomes.find((outcome) => outcome.scenario === 'gateway-crashes-at-startup')
      ?.gatewaySpawns,
  ).toBe(1 + DEFAULT_RECOVERY_POLICY.maxAttempts);
}, 240_000);
