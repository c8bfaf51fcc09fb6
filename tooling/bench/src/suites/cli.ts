// `pnpm bench cli`: how long the built `lifeline` command takes, beside Node's own floor.
//
// In a private LIFELINE_HOME and HOME (crash log on, /bin/bash as the shell), one session is begun
// and warmed up; then each round runs, in alternating order, `node -e ''` (the floor: a Node process
// that loads nothing), `lifeline exec -s SID -- true` against that live session (what an agent pays
// per command), and `lifeline --version` (the command line's start with every command registered),
// each timed from spawn until it exited. p50 and p90 over the rounds, and the p50 ratios to `node
// -e ''` of the same rounds. The goal is exec's p50 ≤ 3× the floor.
//
// Every Node process loads the bundle `NODE_EXTRA_CA_CERTS` names before running a line, and the
// processes Lifeline starts leave it out; the world leaves it out too. When this machine sets it,
// the rounds are run again with it set for all three, as a user of this machine runs them.
//
// The command is run as a user's shell runs it: the file the CLI package's `bin` names for
// `lifeline`, by node. LIFELINE_BENCH_CLI names another one to measure instead (another checkout's
// launcher, or its `apps/tui/dist/cli.js`, to compare before and after a change on one machine).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { percentile } from '../internal/stats.js';
import { TuiWorld } from '../internal/tui/tui-world.js';
import { machineCertificates } from '../internal/machine-certificates.js';

/** The file the CLI package's `bin` names for `lifeline`. */
function lifelineBin(): string {
  const cliPackage = path.resolve(import.meta.dirname, '../../../../apps/tui');
  const manifest = JSON.parse(fs.readFileSync(path.join(cliPackage, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  const bin = manifest.bin?.lifeline;
  if (bin === undefined) throw new Error(`${cliPackage}/package.json names no \`lifeline\` bin`);
  return path.join(cliPackage, bin);
}

const cliPath = process.env.LIFELINE_BENCH_CLI ?? lifelineBin();

const rounds = 60;
const warmUpRounds = 3;
/** Rounds with the machine's `NODE_EXTRA_CA_CERTS` set, when it has one. */
const certificateRounds = 20;
const goalRatio = 3;

interface Finished {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its exit in the world's work directory; milliseconds from spawn to exit. */
function timed(
  world: TuiWorld,
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>>,
): Promise<Finished> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: world.work,
    env: { ...world.env(), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ ms: performance.now() - started, code, stdout, stderr });
    });
  });
}

/** Runs `lifeline …args`; throws with its stderr when it does not exit 0. */
async function lifeline(
  world: TuiWorld,
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<Finished> {
  const finished = await timed(world, [cliPath, ...args], extraEnv);
  if (finished.code !== 0)
    throw new Error(`lifeline ${args.join(' ')} exited ${finished.code}: ${finished.stderr}`);
  return finished;
}

type Subject = "node -e ''" | 'lifeline exec -s SID -- true' | 'lifeline --version';

/** Milliseconds of each subject, one sample per round, the subjects in alternating order. */
async function sampleRounds(
  world: TuiWorld,
  sid: string,
  count: number,
  extraEnv: Readonly<Record<string, string>>,
): Promise<Record<Subject, number[]>> {
  const steps: [Subject, () => Promise<Finished>][] = [
    ["node -e ''", () => timed(world, ['-e', ''], extraEnv)],
    [
      'lifeline exec -s SID -- true',
      () => lifeline(world, ['exec', '-s', sid, '--', 'true'], extraEnv),
    ],
    ['lifeline --version', () => lifeline(world, ['--version'], extraEnv)],
  ];
  const samples: Record<Subject, number[]> = {
    "node -e ''": [],
    'lifeline exec -s SID -- true': [],
    'lifeline --version': [],
  };
  for (let round = 0; round < warmUpRounds + count; round += 1) {
    const order = round % 2 === 0 ? steps : [...steps].reverse();
    for (const [subject, step] of order) {
      const { ms } = await step();
      if (round >= warmUpRounds) samples[subject].push(ms);
    }
  }
  return samples;
}

/** p50 and p90 of each subject, and each lifeline subject's p50 over the floor's. */
function rows(samples: Record<Subject, number[]>, setting: string): BenchResult[] {
  const results: BenchResult[] = [];
  const floor = percentile(samples["node -e ''"], 0.5);
  for (const [subject, values] of Object.entries(samples) as [Subject, number[]][]) {
    const what = `spawn → exit, ${setting}, ${values.length} rounds`;
    results.push(
      { subject, case: `${what}: p50`, value: percentile(values, 0.5), unit: 'ms' },
      { subject, case: `${what}: p90`, value: percentile(values, 0.9), unit: 'ms' },
    );
    if (subject === "node -e ''") continue;
    const goal = subject === 'lifeline exec -s SID -- true' ? ` (goal ≤ ${goalRatio})` : '';
    results.push({
      subject,
      case: `${setting}: p50 vs node -e ''${goal}`,
      value: percentile(values, 0.5) / floor,
      unit: 'x',
    });
  }
  return results;
}

const suite: BenchSuite = {
  name: 'cli',
  description:
    "the built lifeline command: exec against a live session and --version, spawn to exit, beside node -e '' in the same rounds",
  async run() {
    const world = new TuiWorld();
    try {
      const begun = await lifeline(world, ['exec', '--new', '--json', '--', 'true']);
      const { sid } = JSON.parse(begun.stdout) as { sid: string };
      const results = rows(
        await sampleRounds(world, sid, rounds, {}),
        'without NODE_EXTRA_CA_CERTS',
      );
      if (machineCertificates) {
        results.push(
          ...rows(
            await sampleRounds(world, sid, certificateRounds, machineCertificates),
            "with this machine's NODE_EXTRA_CA_CERTS",
          ),
        );
      }
      return results;
    } finally {
      await world.dispose();
    }
  },
};

export default suite;
