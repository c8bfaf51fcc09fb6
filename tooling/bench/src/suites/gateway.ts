// `pnpm bench gateway`: a real `lifeline-gateway` on stdio with real session hosts and bash, in a
// private LIFELINE_HOME and HOME, driven by a typed @lifeline/rpc client the way the TUI drives it.
// 1. Run latency of `true` end to end (client → gateway → host → shell → completion → client) in
//    two sessions, beside the same command typed into a bare node-pty bash whose prompt is a marker,
//    into a node-pty bash with Lifeline's shell integration whose runs @lifeline/run-completion
//    finds in this process (the shell's prompt hooks, without the host and the gateway), and a
//    request of the same size relayed through two Node processes and answered (the processes'
//    hops, without the shell).
// 2. Output throughput of a 200 MB command to the client, beside the same command read from a bare
//    node-pty PTY, read from a plain pipe, and written to /dev/null.
// 3. Replay of that run's log (attach from seq -1 to the last event), beside this process reading
//    and parsing the same log files itself.
// 4. Memory per session: the settled RSS of an idle session host (a fresh one, and one after its
//    warm-up and latency runs), beside the Node floor and a tmux server with one session, and the
//    host's RSS after 1,000 more runs of `true`.
// Latency subjects take turns in blocks so drifting load on the machine hits them alike; flood
// rounds keep each subject's best. CPU time per process is reported too: on a shared machine it
// moves far less than wall time, so it says where the work is.
// LIFELINE_BENCH_GATEWAY_ONLY=runs measures part 1 alone (with the CPU time per run), in about a
// minute instead of five: for trying a change to the run path. LIFELINE_BENCH_GATEWAY names another
// build's `apps/gateway/dist/cli.js` to measure instead (its hosts are that build's), to compare
// before and after a change on one machine.
// LIFELINE_BENCH_GATEWAY_NODE_OPTIONS is given to the gateway and its hosts as NODE_OPTIONS, to
// profile them (Node 20 refuses `--cpu-prof` there, later versions accept it; on Node 20, `--import` a module
// that starts the `node:inspector` profiler and writes the profile on exit). The gateway hands its
// hosts NODE_OPTIONS without the modules it preloads, so an `--import` profiles the gateway alone.
// The references (the Node floor's RSS among them) run without it.
import { AttachedSession } from '../internal/gateway/attached-session.js';
import { BarePromptShell } from '../internal/gateway/bare-prompt-shell.js';
import { runThroughPipe } from '../internal/gateway/child-process-limits.js';
import { GatewayWorld } from '../internal/gateway/gateway-world.js';
import { HookedShell } from '../internal/gateway/hooked-shell.js';
import { RelayChain } from '../internal/gateway/relay-chain.js';
import {
  nodeFloorResidentMb,
  settledResidentMb,
  tmuxServerResidentMb,
} from '../internal/gateway/idle-memory.js';
import { readLogDirectly } from '../internal/gateway/log-read-limit.js';
import { cpuSeconds, ownCpuSeconds } from '../internal/process-tree.js';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { percentile } from '../internal/stats.js';

const warmUpRuns = 40;
const latencyBlocks = 5;
const runsPerBlock = 60;
const outputBytes = 200_000_000;
const floodCommand = (bytes: number) => `head -c ${bytes} /dev/zero | tr '\\0' x`;
const warmUpFloodBytes = 20_000_000;
const floodTimeoutMs = 120_000;
/** Throughput and replay rounds; each figure is the best round (the least disturbed by other load). */
const floodRounds = 3;
/**
 * Replays of the flooded log per flood round: a replay takes well under a second, so the best of
 * several is the least disturbed by other load at little cost.
 */
const replaysPerRound = 3;
/** Runs of `true` whose CPU time is measured, per process. */
const cpuRuns = 200;
/** Runs of `true` over which a host's RSS must not grow. */
const growthRuns = 1000;
/** Runs the second session has made when its idle RSS is taken: warm-up and latency blocks. */
const warmRuns = warmUpRuns + latencyBlocks * runsPerBlock;

const subjects = {
  first: '@lifeline/gateway',
  second: '@lifeline/gateway, second warm session',
  barePty: 'limit: bare node-pty bash, marker prompt',
  hookedPty:
    "reference: node-pty bash with Lifeline's prompt hooks, @lifeline/run-completion in this process",
  relay:
    'reference: the request relayed through two Node processes (stdio, then a unix socket) and answered, no shell',
  pipeRead: 'reference: child_process pipe read',
  devNull: 'reference: command > /dev/null',
  logRead: 'limit: read + JSON.parse of the log files',
  warmHost: `@lifeline/gateway: session host, idle after ${warmRuns} runs`,
  freshHost: '@lifeline/gateway: session host, idle after its first run',
  nodeFloor: "reference: node -e 'setInterval(()=>{}, 1e9)'",
  tmux: 'reference: tmux server with one session (own -L socket)',
} as const;

const cases = {
  latency: (quantile: string) =>
    `run \`true\` end to end ${quantile} (${latencyBlocks * runsPerBlock} runs)`,
  throughput: `output to the client, ${outputBytes / 1e6} MB \`head | tr\`, best of ${floodRounds}`,
  replay: `replay of a ${outputBytes / 1e6} MB run's log, attach -1 → last event, best of ${floodRounds * replaysPerRound}`,
  runCpu: `CPU per \`true\` run (${cpuRuns} runs)`,
  floodCpu: `CPU per ${outputBytes / 1e6} MB of output, least of ${floodRounds}`,
  idleRss: 'idle RSS, settled',
  growth: `RSS growth over ${growthRuns.toLocaleString('en')} \`true\` runs`,
};

/** The processes whose CPU time is reported, by role. */
const cpuRoles = {
  gateway: `${subjects.first}: gateway process`,
  host: `${subjects.first}: session host`,
  client: `${subjects.first}: client (this process)`,
  bare: `${subjects.barePty}: reader (this process)`,
} as const;

/** CPU seconds each source (a process's counter) spent while `work` ran. */
async function cpuDuring(
  sources: Readonly<Record<string, () => number>>,
  work: () => Promise<unknown>,
): Promise<Map<string, number>> {
  const before = Object.entries(sources).map(([name, read]) => [name, read()] as const);
  await work();
  return new Map(before.map(([name, start]) => [name, (sources[name]?.() ?? Number.NaN) - start]));
}

const megabytesPerSecond = (bytes: number, seconds: number): number => bytes / seconds / 1e6;

function checkBytes(subject: string, received: number): void {
  if (received < outputBytes) {
    throw new Error(
      `${subject} delivered ${received} bytes of output; the command prints ${outputBytes}`,
    );
  }
}

function profilingEnv(): Record<string, string> {
  const options = process.env.LIFELINE_BENCH_GATEWAY_NODE_OPTIONS;
  return options ? { NODE_OPTIONS: options } : {};
}

/** Run latencies in µs by subject, measured in blocks that take turns. */
async function measureLatency(
  latencySubjects: readonly { name: string; run: () => Promise<unknown> }[],
): Promise<Map<string, number[]>> {
  for (let index = 0; index < warmUpRuns; index += 1) {
    for (const subject of latencySubjects) await subject.run();
  }
  const latencies = new Map<string, number[]>(latencySubjects.map((subject) => [subject.name, []]));
  for (let block = 0; block < latencyBlocks; block += 1) {
    for (let index = 0; index < latencySubjects.length; index += 1) {
      const subject = latencySubjects[
        (index + block) % latencySubjects.length
      ] as (typeof latencySubjects)[number];
      const samples = latencies.get(subject.name) ?? [];
      for (let run = 0; run < runsPerBlock; run += 1) {
        const started = performance.now();
        await subject.run();
        samples.push((performance.now() - started) * 1000);
      }
    }
  }
  return latencies;
}

/** Best MB/s (and the replay's events/s and ms) of every subject over the flood rounds. */
class Best {
  readonly #values = new Map<string, number>();

  /** Keeps `value` when it is the highest (or, `lower: true`, the lowest) so far. */
  add(key: string, value: number, lower = false): void {
    const previous = this.#values.get(key);
    if (previous === undefined || (lower ? value < previous : value > previous))
      this.#values.set(key, value);
  }

  get(key: string): number {
    return this.#values.get(key) ?? Number.NaN;
  }
}

/** The run latency figures (p50, p99 and their ratios to the bare shell) and the CPU per run. */
function runFigures(latencies: Map<string, number[]>, runCpu: Map<string, number>): BenchResult[] {
  const results: BenchResult[] = [];
  for (const [quantile, fraction] of [
    ['p50', 0.5],
    ['p99', 0.99],
  ] as const) {
    const scenario = cases.latency(quantile);
    const limit = percentile(latencies.get(subjects.barePty) ?? [], fraction);
    for (const subject of [
      subjects.first,
      subjects.second,
      subjects.barePty,
      subjects.hookedPty,
      subjects.relay,
    ]) {
      results.push({
        subject,
        case: scenario,
        value: percentile(latencies.get(subject) ?? [], fraction),
        unit: 'µs',
      });
    }
    for (const subject of [subjects.first, subjects.second, subjects.hookedPty, subjects.relay]) {
      results.push({
        subject,
        case: `${scenario} ratio vs ${subjects.barePty}`,
        value: percentile(latencies.get(subject) ?? [], fraction) / limit,
        unit: 'x',
      });
    }
    const hooked = percentile(latencies.get(subjects.hookedPty) ?? [], fraction);
    results.push({
      subject: subjects.first,
      case: `${scenario} ratio vs ${subjects.hookedPty}`,
      value: percentile(latencies.get(subjects.first) ?? [], fraction) / hooked,
      unit: 'x',
    });
  }
  for (const [role, seconds] of runCpu) {
    results.push({
      subject: role,
      case: cases.runCpu,
      value: (seconds / cpuRuns) * 1000,
      unit: 'ms',
    });
  }
  return results;
}

const suite: BenchSuite = {
  name: 'gateway',
  description:
    'lifeline-gateway on stdio with real session hosts and bash: run latency, output throughput and log replay, ' +
    'beside a bare node-pty bash and plain pipes measured in the same run',
  async run(): Promise<BenchResult[]> {
    const only = process.env.LIFELINE_BENCH_GATEWAY_ONLY;
    if (only !== undefined && only !== 'runs') {
      throw new Error(
        `LIFELINE_BENCH_GATEWAY_ONLY=${only}: the part measured alone is runs (run latency and CPU per run)`,
      );
    }
    const world = new GatewayWorld(profilingEnv());
    let bare: BarePromptShell | undefined;
    let hooked: HookedShell | undefined;
    let relay: RelayChain | undefined;
    // Hosts are detached (they outlive their gateway by design): an interrupted run must end them.
    const interrupted = (signal: NodeJS.Signals) => {
      void Promise.allSettled([
        bare?.dispose(),
        hooked?.dispose(),
        relay?.dispose(),
        world.dispose(),
      ]).then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      const started = performance.now();
      const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      const gateway = await world.startGateway();
      const first = await AttachedSession.open(gateway, { cwd: world.work, name: 'bench-first' });
      const second = await AttachedSession.open(gateway, { cwd: world.work, name: 'bench-second' });
      bare = await BarePromptShell.start({ env: world.env(), cwd: world.work });
      const barePrompt = bare;
      hooked = await HookedShell.start({ env: world.env(), cwd: world.work });
      const hookedPrompt = hooked;
      relay = await RelayChain.start({ env: world.env() });
      const relayChain = relay;
      const latencySubjects = [
        { name: subjects.first, run: () => first.run('true') },
        { name: subjects.second, run: () => second.run('true') },
        { name: subjects.barePty, run: () => barePrompt.run('true') },
        { name: subjects.hookedPty, run: () => hookedPrompt.run('true') },
        { name: subjects.relay, run: () => relayChain.run() },
      ];
      const latencies = await measureLatency(latencySubjects);
      const firstHost = world.hostPid(first.sid) ?? 0;
      const runCpu = await cpuDuring(
        {
          [cpuRoles.gateway]: () => cpuSeconds(gateway.pid),
          [cpuRoles.host]: () => cpuSeconds(firstHost),
          [cpuRoles.client]: ownCpuSeconds,
        },
        async () => {
          for (let run = 0; run < cpuRuns; run += 1) await first.run('true');
        },
      );
      const bareRunCpu = await cpuDuring({ [cpuRoles.bare]: ownCpuSeconds }, async () => {
        for (let run = 0; run < cpuRuns; run += 1) await barePrompt.run('true');
      });
      console.log(`latency done in ${elapsed()}`);
      if (only === 'runs') return runFigures(latencies, new Map([...runCpu, ...bareRunCpu]));

      const secondHost = world.hostPid(second.sid) ?? 0;
      const warmHostMb = await settledResidentMb(secondHost, 'the second session host');
      for (let run = 0; run < growthRuns; run += 1) await second.run('true');
      const grownHostMb = await settledResidentMb(secondHost, 'the second session host');
      const idle = await AttachedSession.open(gateway, { cwd: world.work, name: 'bench-idle' });
      await idle.run('true');
      const freshHostMb = await settledResidentMb(
        world.hostPid(idle.sid) ?? 0,
        'a fresh session host',
      );
      const nodeFloorMb = await nodeFloorResidentMb(world.referenceEnv());
      const tmuxMb = await tmuxServerResidentMb(world.env(), world.work);
      console.log(`memory done in ${elapsed()}`);

      await second.run(floodCommand(warmUpFloodBytes), { timeoutMs: floodTimeoutMs });
      await barePrompt.run(floodCommand(warmUpFloodBytes), floodTimeoutMs);
      const best = new Best();
      const pipeOptions = { env: world.env(), cwd: world.work };
      for (let round = 0; round < floodRounds; round += 1) {
        // A fresh session per round, so the replayed log holds exactly that round's run.
        const flooded = await AttachedSession.open(gateway, {
          cwd: world.work,
          name: `bench-flood-${round}`,
        });
        await flooded.run('true');
        const floodedHost = world.hostPid(flooded.sid) ?? 0;
        let gatewayBytes = 0;
        let gatewaySeconds = 0;
        const floodCpu = await cpuDuring(
          {
            [cpuRoles.gateway]: () => cpuSeconds(gateway.pid),
            [cpuRoles.host]: () => cpuSeconds(floodedHost),
            [cpuRoles.client]: ownCpuSeconds,
          },
          async () => {
            const floodStarted = performance.now();
            await flooded.run(floodCommand(outputBytes), {
              timeoutMs: floodTimeoutMs,
              onOutput: (event) => {
                gatewayBytes += Buffer.byteLength(event.data);
              },
            });
            gatewaySeconds = (performance.now() - floodStarted) / 1000;
          },
        );
        checkBytes(subjects.first, gatewayBytes);
        best.add(subjects.first, megabytesPerSecond(gatewayBytes, gatewaySeconds));
        for (const [role, seconds] of floodCpu) best.add(role, seconds, true);

        let barePty = { seconds: 0, outputBytes: 0 };
        const bareCpu = await cpuDuring({ [cpuRoles.bare]: ownCpuSeconds }, async () => {
          barePty = await barePrompt.run(floodCommand(outputBytes), floodTimeoutMs);
        });
        checkBytes(subjects.barePty, barePty.outputBytes);
        best.add(subjects.barePty, megabytesPerSecond(barePty.outputBytes, barePty.seconds));
        for (const [role, seconds] of bareCpu) best.add(role, seconds, true);
        const pipeRead = await runThroughPipe(floodCommand(outputBytes), 'read', pipeOptions);
        checkBytes(subjects.pipeRead, pipeRead.outputBytes);
        best.add(subjects.pipeRead, megabytesPerSecond(pipeRead.outputBytes, pipeRead.seconds));
        const devNull = await runThroughPipe(floodCommand(outputBytes), 'dev-null', pipeOptions);
        best.add(subjects.devNull, megabytesPerSecond(outputBytes, devNull.seconds));

        for (let replayRound = 0; replayRound < replaysPerRound; replayRound += 1) {
          const replay = await flooded.replay();
          checkBytes(subjects.first, replay.outputBytes);
          const logRead = readLogDirectly(world.sessionDir(flooded.sid));
          if (logRead.events !== replay.events) {
            throw new Error(
              `the replay delivered ${replay.events} events; the log holds ${logRead.events}`,
            );
          }
          best.add(
            `${subjects.first} replay`,
            megabytesPerSecond(replay.outputBytes, replay.seconds),
          );
          best.add(`${subjects.first} replay ms`, replay.seconds * 1000, true);
          best.add(`${subjects.first} replay events`, replay.events / replay.seconds);
          best.add(subjects.logRead, megabytesPerSecond(logRead.outputBytes, logRead.seconds));
        }
        console.log(`flood round ${round + 1}/${floodRounds} done in ${elapsed()}`);
      }

      const results = runFigures(latencies, new Map([...runCpu, ...bareRunCpu]));
      for (const [subject, megabytes] of [
        [subjects.warmHost, warmHostMb],
        [subjects.freshHost, freshHostMb],
        [subjects.nodeFloor, nodeFloorMb],
        [subjects.tmux, tmuxMb],
      ] as const) {
        results.push({ subject, case: cases.idleRss, value: megabytes, unit: 'MB' });
      }
      for (const [subject, megabytes] of [
        [subjects.warmHost, warmHostMb],
        [subjects.freshHost, freshHostMb],
      ] as const) {
        results.push({
          subject,
          case: `${cases.idleRss} ratio vs ${subjects.nodeFloor}`,
          value: megabytes / nodeFloorMb,
          unit: 'x',
        });
      }
      results.push(
        {
          subject: subjects.warmHost,
          case: `${cases.growth}: RSS after them`,
          value: grownHostMb,
          unit: 'MB',
        },
        {
          subject: subjects.warmHost,
          case: cases.growth,
          value: grownHostMb - warmHostMb,
          unit: 'MB',
        },
      );

      for (const subject of [
        subjects.first,
        subjects.barePty,
        subjects.pipeRead,
        subjects.devNull,
      ]) {
        results.push({ subject, case: cases.throughput, value: best.get(subject), unit: 'MB/s' });
      }
      for (const limit of [subjects.barePty, subjects.devNull]) {
        results.push({
          subject: subjects.first,
          case: `${cases.throughput} ratio vs ${limit}`,
          value: best.get(subjects.first) / best.get(limit),
          unit: 'x',
        });
      }

      for (const role of Object.values(cpuRoles)) {
        results.push({ subject: role, case: cases.floodCpu, value: best.get(role), unit: 's' });
      }

      results.push(
        {
          subject: subjects.first,
          case: cases.replay,
          value: best.get(`${subjects.first} replay`),
          unit: 'MB/s',
        },
        {
          subject: subjects.first,
          case: cases.replay,
          value: best.get(`${subjects.first} replay ms`),
          unit: 'ms',
        },
        {
          subject: subjects.first,
          case: cases.replay,
          value: best.get(`${subjects.first} replay events`),
          unit: 'events/s',
        },
        {
          subject: subjects.logRead,
          case: cases.replay,
          value: best.get(subjects.logRead),
          unit: 'MB/s',
        },
        {
          subject: subjects.first,
          case: `${cases.replay} ratio vs ${subjects.logRead}`,
          value: best.get(`${subjects.first} replay`) / best.get(subjects.logRead),
          unit: 'x',
        },
      );
      return results;
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      try {
        await Promise.all([bare?.dispose(), hooked?.dispose(), relay?.dispose()]);
      } finally {
        await world.dispose();
      }
    }
  },
};

export default suite;
