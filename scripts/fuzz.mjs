#!/usr/bin/env node
// `pnpm fuzz [--runs N] [--seed S]`: the fuzzed parsers and encoders, each property run N times
// (20,000 by default; `pnpm test` runs them 1,000 times), with every seed logged so a failure
// can be replayed with `--seed`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const targets = [
  ['transport NDJSON decoder', 'packages/transport/src/ndjson.test.ts'],
  ['rpc server', 'packages/rpc/src/peer-fuzz.test.ts'],
  [
    'run-completion scanner and echo sanitiser',
    'packages/run-completion/src/coordinator.property.test.ts',
  ],
  ['crash-log encoder', 'packages/crash-log/src/line-format.test.ts'],
  ['TUI output sanitiser', 'apps/tui/src/terminal/output-sanitizer.property.test.ts'],
  ['TUI keypress parser', 'apps/tui/src/input/keypress.test.ts'],
];

let values;
try {
  ({ values } = parseArgs({
    options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' } },
  }));
} catch (error) {
  console.error(`fuzz: ${error.message}; usage: pnpm fuzz [--runs N] [--seed S]`);
  process.exit(2);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs takes a whole number of at least 1, not "${values.runs}"`);
  process.exit(2);
}
console.log(`fuzzing ${targets.length} targets, ${runs} runs per property:`);
for (const [name] of targets) console.log(`  - ${name}`);
const root = path.resolve(import.meta.dirname, '..');
const result = spawnSync(
  path.join(root, 'node_modules/.bin/vitest'),
  ['run', ...targets.map(([, file]) => file)],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      LIFELINE_FUZZ_RUNS: String(runs),
      ...(values.seed === undefined ? {} : { LIFELINE_FUZZ_SEED: values.seed }),
    },
  },
);
process.exit(result.status ?? 1);
