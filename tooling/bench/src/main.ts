// `pnpm bench [suite…]`: runs the named suites (all when none are named), prints each table and
// writes `results/<suite>.json`. A suite is a file in `src/suites/` whose default export is a
// `BenchSuite`.
import fs from 'node:fs';
import path from 'node:path';
import { formatTable, formatValue, writeResults } from './internal/report.js';
import type { BenchSuite } from './internal/result.js';
import { writeMachine } from './report/machine.js';
import { writeReport } from './report/write-report.js';

// tsx turns source maps on, which makes every stack trace of the libraries measured here costlier
// than it is for their users: measure them as they run in plain Node.
process.setSourceMapsEnabled(false);

const suitesDir = path.join(import.meta.dirname, 'suites');
const resultsDir = path.resolve(import.meta.dirname, '../results');
const reportFile = path.resolve(import.meta.dirname, '../REPORT.md');

function availableSuites(): string[] {
  return fs
    .readdirSync(suitesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((argument) => argument !== '--');
  if (requested.length === 1 && requested[0] === 'report') {
    console.log(`wrote ${writeReport(resultsDir, reportFile)}`);
    return;
  }
  const known = availableSuites();
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark suite: ${unknown.join(', ')}; available: ${known.join(', ') || '(none yet)'}`,
    );
    process.exitCode = 2;
    return;
  }
  const names = requested.length > 0 ? requested : known;
  if (names.length === 0) {
    console.log('no benchmark suites yet');
    return;
  }
  for (const name of names) {
    const module = (await import(`./suites/${name}.js`)) as { default: BenchSuite };
    const suite = module.default;
    console.log(`\n== ${suite.name}: ${suite.description}`);
    writeMachine(resultsDir, suite.name);
    const results = await suite.run();
    console.log(
      formatTable(
        ['subject', 'case', 'value', 'unit'],
        results.map((result) => [
          result.subject,
          result.case,
          formatValue(result.value),
          result.unit,
        ]),
      ),
    );
    console.log(`wrote ${writeResults(suite.name, results)}`);
  }
  console.log(`wrote ${writeReport(resultsDir, reportFile)}`);
}

await main();
