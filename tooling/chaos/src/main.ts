// `pnpm chaos [--iterations N] [--seed S]`: kills gateways and session hosts mid-stream, lets the
// TUI's connection layer recover, and counts what was lost, applied twice, left pending or left
// running. Prints the table of counts; exits 1 unless every count is 0.
import { parseChaosArguments, usage } from './internal/arguments.js';
import { isClean } from './internal/outcome.js';
import { freshSeed } from './internal/random.js';
import { runChaos } from './chaos-run.js';
import { formatChaosTable } from './report-table.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseChaosArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`chaos: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  const seed = options.seed ?? freshSeed();
  console.log(
    `chaos: seed ${seed}, ${options.iterations} random iterations plus every named scenario`,
  );
  const report = await runChaos({
    iterations: options.iterations,
    seed,
    onOutcome: (outcome, index, total) => {
      const status = isClean(outcome.counts) ? 'ok' : 'FAILED';
      const recovery =
        outcome.recoveryMs === undefined
          ? ''
          : `, recovered in ${Math.round(outcome.recoveryMs)} ms`;
      console.log(
        `[${String(index + 1).padStart(String(total).length)}/${total}] ${outcome.scenario}: ${status}${recovery}, ${outcome.eventsChecked} events, ${(outcome.wallMs / 1000).toFixed(1)} s`,
      );
      for (const failure of outcome.failures.slice(0, 10)) console.log(`    ${failure}`);
      if (outcome.keptDirectory) console.log(`    files kept in ${outcome.keptDirectory}`);
    },
  });
  console.log(`\n${formatChaosTable(report)}\n`);
  console.log(
    `seed ${report.seed} (replay with --seed ${report.seed}); ${report.outcomes.length} runs in ${(report.wallMs / 1000).toFixed(1)} s`,
  );
  if (!report.clean) {
    console.log(
      `FAILED: every count must be 0${report.keptRoot ? `; files of the failed runs are in ${report.keptRoot}` : ''}`,
    );
    return 1;
  }
  console.log('every count is 0');
  return 0;
}

process.exitCode = await main();
