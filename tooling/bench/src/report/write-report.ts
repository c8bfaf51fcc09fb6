import fs from 'node:fs';
import path from 'node:path';
import { formatValue } from '../internal/report.js';
import type { BenchResult } from '../internal/result.js';
import { goals, type RowSelector } from './goals.js';
import type { MachineDescription } from './machine.js';

function find(results: readonly BenchResult[], selector: RowSelector): BenchResult | undefined {
  return results.find(
    (result) =>
      result.subject === selector.subject &&
      result.case === selector.case &&
      (selector.unit === undefined || result.unit === selector.unit),
  );
}

/**
 * Writes `REPORT.md` from the results on disk: every goal with its figure, its peer measured in the
 * same run and whether it is met, then every figure of every suite, and the machines they ran on.
 * @returns the report's path
 */
export function writeReport(resultsDir: string, reportFile: string): string {
  const suites = fs
    .readdirSync(resultsDir)
    .filter((file) => file.endsWith('.json') && file !== 'machine.json')
    .map((file) => ({
      name: file.slice(0, -'.json'.length),
      results: JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8')) as BenchResult[],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  let machines: Record<string, MachineDescription> = {};
  try {
    machines = JSON.parse(fs.readFileSync(path.join(resultsDir, 'machine.json'), 'utf8')) as Record<
      string,
      MachineDescription
    >;
  } catch {
    machines = {};
  }
  const bySuite = new Map(suites.map((suite) => [suite.name, suite.results]));

  const goalRows = goals.map((goal) => {
    const results = bySuite.get(goal.suite) ?? [];
    const row = find(results, goal.row);
    const peer = goal.peer ? find(results, goal.peer) : undefined;
    const met =
      row === undefined
        ? 'not measured'
        : (goal.goal.op === '>=' ? row.value >= goal.goal.target : row.value <= goal.goal.target)
          ? 'yes'
          : 'NO';
    return [
      goal.suite,
      goal.figure,
      row ? `${formatValue(row.value)} ${row.unit}` : '—',
      `${goal.goal.op === '>=' ? '≥' : '≤'} ${goal.goal.target}`,
      peer ? `${peer.subject}: ${formatValue(peer.value)} ${peer.unit}` : '—',
      met,
    ];
  });

  const lines: string[] = [
    '# Benchmark report',
    '',
    'Written by `pnpm bench` from `results/*.json`. Every figure is measured beside its peer library',
    'or its limit in the same run, on the machine below; compare ratios, not absolute numbers, across',
    'machines. The load average shows how busy the machine was when each suite started.',
    '',
    '## Machines',
    '',
    table(
      ['suite', 'CPU', 'cores', 'memory', 'Node', 'load average (1, 5, 15 min)', 'date'],
      Object.entries(machines)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([suite, machine]) => [
          suite,
          machine.cpu,
          String(machine.cores),
          `${machine.memoryGiB} GiB`,
          machine.node,
          machine.loadAverage.join(', '),
          machine.date.slice(0, 16).replace('T', ' '),
        ]),
    ),
    '',
    '## Goals',
    '',
    table(['suite', 'figure', 'measured', 'goal', 'peer in the same run', 'met'], goalRows),
    '',
  ];
  for (const suite of suites) {
    lines.push(
      `## ${suite.name}`,
      '',
      table(
        ['subject', 'case', 'value', 'unit'],
        suite.results.map((result) => [
          result.subject,
          result.case,
          formatValue(result.value),
          result.unit,
        ]),
      ),
      '',
    );
  }
  fs.writeFileSync(reportFile, lines.join('\n'));
  return reportFile;
}

function table(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
