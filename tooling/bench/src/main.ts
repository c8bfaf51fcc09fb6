// `pnpm bench [suite…]`: runs the named suites (all when none are named), prints each table and
// writes `results/<suite>.json`.
import { formatTable, formatValue, writeResults } from './internal/report.js';
import type { BenchSuite } from './internal/result.js';

const suites: Record<string, () => Promise<BenchSuite>> = {};

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((argument) => argument !== '--');
  const known = Object.keys(suites);
  const unknown = requested.filter((name) => !(name in suites));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark suite: ${unknown.join(', ')}; available: ${known.join(', ') || '(none yet)'}`,
    );
    process.exitCode = 2;
    return;
  }
  const names = requested.length > 0 ? requested : known;
  if (names.length === 0) {
    console.log('no benchmark suites are registered yet');
    return;
  }
  for (const name of names) {
    const load = suites[name];
    if (!load) continue;
    const suite = await load();
    console.log(`\n== ${suite.name}: ${suite.description}`);
    const results = await suite.run();
    console.log(
      formatTable(
        ['subject', 'case', 'value', 'unit'],
        results.map((result) => [result.subject, result.case, formatValue(result.value), result.unit]),
      ),
    );
    console.log(`wrote ${writeResults(suite.name, results)}`);
  }
}

await main();
