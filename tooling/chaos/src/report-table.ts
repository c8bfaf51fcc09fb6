import type { ChaosReport } from './chaos-run.js';
import {
  countNames,
  sumCounts,
  type ChaosCounts,
  type ScenarioOutcome,
} from './internal/outcome.js';

const countTitles: Readonly<Record<keyof ChaosCounts, string>> = {
  lost: 'lost',
  duplicatesApplied: 'dup applied',
  unsettledCalls: 'unsettled',
  hangingProcesses: 'hanging',
  orphans: 'orphans',
  failedChecks: 'failed checks',
};

/**
 * The table of a chaos run: one row per scenario (random iterations of the same fault share its
 * row), then the totals. The count columns must all read 0; `dup delivered` (replays the fold
 * ignored), events compared, faults that landed mid-stream, recovery times and wall time are for information.
 */
export function formatChaosTable(report: ChaosReport): string {
  const groups = new Map<string, ScenarioOutcome[]>();
  for (const outcome of report.outcomes)
    groups.set(outcome.scenario, [...(groups.get(outcome.scenario) ?? []), outcome]);
  const header = [
    'scenario',
    'runs',
    ...countNames.map((name) => countTitles[name]),
    'dup delivered',
    'events',
    'mid-stream',
    'recovery p50 ms',
    'recovery max ms',
    'wall s',
  ];
  const row = (name: string, outcomes: readonly ScenarioOutcome[]) => {
    const counts = sumCounts(outcomes.map((outcome) => outcome.counts));
    const recoveries = outcomes
      .map((outcome) => outcome.recoveryMs)
      .filter((value) => value !== undefined)
      .sort((a, b) => a - b);
    return [
      name,
      String(outcomes.length),
      ...countNames.map((count) => String(counts[count])),
      String(sum(outcomes.map((outcome) => outcome.duplicatesDelivered))),
      String(sum(outcomes.map((outcome) => outcome.eventsChecked))),
      String(outcomes.filter((outcome) => outcome.faultMidStream === true).length),
      recoveries.length === 0
        ? '-'
        : String(Math.round(recoveries[Math.floor((recoveries.length - 1) / 2)] ?? 0)),
      recoveries.length === 0 ? '-' : String(Math.round(recoveries.at(-1) ?? 0)),
      (sum(outcomes.map((outcome) => outcome.wallMs)) / 1000).toFixed(1),
    ];
  };
  const rows = [...groups].map(([name, outcomes]) => row(name, outcomes));
  rows.push(row('total', report.outcomes));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.slice(0, -1).map(line),
    line(widths.map((width) => '-'.repeat(width))),
    line(rows.at(-1) ?? []),
  ].join('\n');
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
