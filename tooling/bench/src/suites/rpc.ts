// `pnpm bench rpc`: JSON-RPC peers compared in one run, each client talking to its own child
// process over stdio pipes with identical payloads: @lifeline/rpc (untyped, with a zod contract,
// with Content-Length framing and the LSP dialect, and with the MCP dialect), vscode-jsonrpc, the
// MCP SDK, json-rpc-2.0 and a hand-rolled NDJSON baseline. The LSP pair is set beside
// vscode-jsonrpc and the MCP pair beside the MCP SDK: the same framing and the same messages.
// The machine is shared and noisy, so measurements are short slices interleaved finely: each
// block spawns a fresh child per subject and warms all of them up, then every scenario is
// measured in rounds of one short slice per subject, in an order that rotates from round to
// round, so load drifting on the machine hits all of them alike; each block ends by killing every
// child with 64 calls pending (and so is one more set of children). Figures are medians
// over all slices or kills; ratio rows are medians of the per-round ratios, each pair measured
// within a second of each other.
import { isPeerExitedError } from '@lifeline/rpc';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { jsonRpc2Subject } from '../internal/rpc/json-rpc-2-subject.js';
import {
  lifelineLspSubject,
  lifelineMcpSubject,
  lifelineSubject,
  lifelineTypedSubject,
} from '../internal/rpc/lifeline-subject.js';
import { mcpSdkSubject } from '../internal/rpc/mcp-sdk-subject.js';
import { closedLoop, killWithPending, notificationRate } from '../internal/rpc/measure.js';
import { ndjsonBaselineSubject } from '../internal/rpc/ndjson-baseline-subject.js';
import { makePayload } from '../internal/rpc/payload.js';
import type { RpcConnection, RpcSubject } from '../internal/rpc/subject.js';
import { vscodeJsonrpcSubject } from '../internal/rpc/vscode-jsonrpc-subject.js';
import { median, percentile } from '../internal/stats.js';

const subjects: readonly RpcSubject[] = [
  lifelineSubject,
  lifelineTypedSubject,
  lifelineLspSubject,
  lifelineMcpSubject,
  vscodeJsonrpcSubject,
  mcpSdkSubject,
  jsonRpc2Subject,
  ndjsonBaselineSubject,
];
const lifelineSubjects: readonly RpcSubject[] = [
  lifelineSubject,
  lifelineTypedSubject,
  lifelineLspSubject,
  lifelineMcpSubject,
];
const sizes = [
  { label: '330 B', bytes: 330, notificationBatch: 1000 },
  { label: '4 KiB', bytes: 4096, notificationBatch: 250 },
] as const;
/** Fresh children per block, measured and killed. */
const blocks = 3;
const roundsPerBlock = 5;
/** More fresh children per block, only killed: teardown times vary a lot and need samples. */
const extraKillsPerBlock = 1;
const sliceMs = 100;
const pendingAtKill = 64;
const killPatienceMs = 3000;

const cases = {
  c1: (size: string) => `requests/s c=1 ${size}`,
  c64: (size: string) => `requests/s c=64 ${size}`,
  p50: (size: string) => `latency p50 c=1 ${size}`,
  p99: (size: string) => `latency p99 c=1 ${size}`,
  notifications: (size: string) => `notifications/s ${size}`,
  kill: `SIGKILL → ${pendingAtKill} pending calls settled`,
};

/** Figures of every slice, by subject and case, in the order measured (slice n of every subject is from round n). */
class Samples {
  readonly #values = new Map<string, { unit: string; values: number[] }>();

  add(subject: RpcSubject, scenario: string, unit: string, value: number): void {
    const key = `${subject.name}\u0000${scenario}`;
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { unit, values: [] };
      this.#values.set(key, entry);
    }
    entry.values.push(value);
  }

  result(subject: RpcSubject, scenario: string, label = scenario): BenchResult {
    const entry = this.#values.get(`${subject.name}\u0000${scenario}`);
    return {
      subject: subject.name,
      case: label,
      value: median(entry?.values ?? []),
      unit: entry?.unit ?? '',
    };
  }

  /** The median over rounds of `subject − other`, each pair measured in the same round. */
  difference(subject: RpcSubject, other: RpcSubject, scenario: string): number {
    const mine = this.#values.get(`${subject.name}\u0000${scenario}`)?.values ?? [];
    const theirs = this.#values.get(`${other.name}\u0000${scenario}`)?.values ?? [];
    return median(mine.map((value, round) => value - (theirs[round] ?? Number.NaN)));
  }

  /** The median over rounds of `subject ÷ other`, each pair measured in the same round. */
  ratio(subject: RpcSubject, other: RpcSubject, scenario: string): number {
    const mine = this.#values.get(`${subject.name}\u0000${scenario}`)?.values ?? [];
    const theirs = this.#values.get(`${other.name}\u0000${scenario}`)?.values ?? [];
    return median(mine.map((value, round) => value / (theirs[round] ?? Number.NaN)));
  }
}

/** `subjects` starting at `offset`, wrapping around. */
function rotated<T>(items: readonly T[], offset: number): T[] {
  return items.map((_, index) => items[(index + offset) % items.length] as T);
}

async function warmUp(connection: RpcConnection): Promise<void> {
  // Both processes' JIT on every path measured afterwards, long enough for the optimising
  // compiler to finish (shorter warm-ups left the first slices of a block visibly slower).
  await closedLoop(connection, makePayload(330), 64, 400, false);
  await closedLoop(connection, makePayload(4096), 64, 200, false);
  await closedLoop(connection, makePayload(330), 1, 150, false);
  await notificationRate(connection, 330, 500, 150);
}

async function measureKill(
  subject: RpcSubject,
  connection: RpcConnection,
  samples: Samples,
): Promise<void> {
  const kill = await killWithPending(connection, pendingAtKill, killPatienceMs);
  if (kill.settled < pendingAtKill) {
    throw new Error(
      `${subject.name}: only ${kill.settled} of ${pendingAtKill} pending calls settled within ${killPatienceMs} ms of SIGKILL`,
    );
  }
  if (kill.rejected < pendingAtKill) {
    throw new Error(
      `${subject.name}: ${pendingAtKill - kill.rejected} pending calls resolved after SIGKILL instead of rejecting`,
    );
  }
  if (lifelineSubjects.includes(subject) && !isPeerExitedError(kill.sample)) {
    throw new Error(
      `${subject.name}: pending calls rejected with ${String(kill.sample)} instead of PeerExitedError`,
    );
  }
  samples.add(subject, cases.kill, 'ms', kill.settledMs);
}

/** Spawns a child per subject (in parallel), runs `body`, then makes sure every child is gone. */
async function withConnections(
  body: (connectionOf: (subject: RpcSubject) => RpcConnection) => Promise<void>,
): Promise<void> {
  const connections = new Map<RpcSubject, RpcConnection>();
  try {
    const connected = await Promise.allSettled(
      subjects.map(async (subject) => {
        connections.set(subject, await subject.connect());
      }),
    );
    for (const outcome of connected) if (outcome.status === 'rejected') throw outcome.reason;
    await body((subject) => connections.get(subject) as RpcConnection);
  } finally {
    await Promise.all([...connections.values()].map((connection) => connection.dispose()));
  }
}

async function measureBlock(block: number, samples: Samples): Promise<void> {
  await withConnections(async (connectionOf) => {
    /** Runs `slice` for every subject, `roundsPerBlock` times, in rotating order. */
    const interleaved = async (
      slice: (subject: RpcSubject, connection: RpcConnection) => Promise<void>,
    ) => {
      for (let round = 0; round < roundsPerBlock; round += 1) {
        for (const subject of rotated(subjects, block * roundsPerBlock + round))
          await slice(subject, connectionOf(subject));
      }
    };
    for (const subject of rotated(subjects, block)) await warmUp(connectionOf(subject));
    for (const size of sizes) {
      const payload = makePayload(size.bytes);
      await interleaved(async (subject, connection) => {
        const sequential = await closedLoop(connection, payload, 1, sliceMs, true);
        samples.add(subject, cases.c1(size.label), 'requests/s', sequential.requestsPerSecond);
        samples.add(
          subject,
          cases.p50(size.label),
          'µs',
          percentile(sequential.latenciesMicros, 0.5),
        );
        samples.add(
          subject,
          cases.p99(size.label),
          'µs',
          percentile(sequential.latenciesMicros, 0.99),
        );
      });
      await interleaved(async (subject, connection) => {
        const concurrent = await closedLoop(connection, payload, 64, sliceMs, false);
        samples.add(subject, cases.c64(size.label), 'requests/s', concurrent.requestsPerSecond);
      });
      await interleaved(async (subject, connection) => {
        const rate = await notificationRate(
          connection,
          size.bytes,
          size.notificationBatch,
          sliceMs,
        );
        samples.add(subject, cases.notifications(size.label), 'notifications/s', rate);
      });
    }
    for (const subject of rotated(subjects, block))
      await measureKill(subject, connectionOf(subject), samples);
  });
  for (let extra = 1; extra <= extraKillsPerBlock; extra += 1) {
    await withConnections(async (connectionOf) => {
      for (const subject of subjects)
        await closedLoop(connectionOf(subject), makePayload(330), 64, 50, false);
      for (const subject of rotated(subjects, block + extra))
        await measureKill(subject, connectionOf(subject), samples);
    });
  }
}

const suite: BenchSuite = {
  name: 'rpc',
  description:
    'JSON-RPC request/response, notifications and peer death against child processes over stdio, ' +
    `~330 B and ~4 KiB params echoed back; medians of ${blocks * roundsPerBlock} interleaved ${sliceMs} ms slices`,
  async run(): Promise<BenchResult[]> {
    const samples = new Samples();
    for (let block = 0; block < blocks; block += 1) {
      const started = performance.now();
      await measureBlock(block, samples);
      console.log(
        `block ${block + 1}/${blocks} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }

    const results: BenchResult[] = [];
    const ratio = (
      scenario: string,
      other: RpcSubject,
      goal: string,
      subject: RpcSubject = lifelineSubject,
    ) => {
      results.push({
        subject: subject.name,
        case: `${scenario} ratio vs ${other.name}${goal}`,
        value: samples.ratio(subject, other, scenario),
        unit: 'x',
      });
    };
    for (const size of sizes) {
      for (const concurrent of [false, true]) {
        const scenario = concurrent ? cases.c64(size.label) : cases.c1(size.label);
        const goal = concurrent ? ' (goal ≥ 3)' : ' (goal ≥ 1.5)';
        for (const subject of subjects) results.push(samples.result(subject, scenario));
        ratio(scenario, vscodeJsonrpcSubject, goal);
        ratio(scenario, mcpSdkSubject, goal);
        ratio(scenario, ndjsonBaselineSubject, ' (goal ≥ 0.6)');
        ratio(scenario, vscodeJsonrpcSubject, goal, lifelineLspSubject);
        ratio(scenario, mcpSdkSubject, goal, lifelineMcpSubject);
      }
      for (const scenario of [cases.p50(size.label), cases.p99(size.label)]) {
        for (const subject of subjects) results.push(samples.result(subject, scenario));
      }
      const notifications = cases.notifications(size.label);
      for (const subject of subjects) results.push(samples.result(subject, notifications));
      ratio(notifications, vscodeJsonrpcSubject, '');
      ratio(notifications, mcpSdkSubject, '');
      ratio(notifications, ndjsonBaselineSubject, '');
    }
    for (const subject of subjects) {
      const goal = subject === lifelineSubject ? ' (goal ≤ 10)' : '';
      results.push(
        samples.result(subject, cases.kill, `${cases.kill} [${subject.exitDetection}]${goal}`),
      );
    }
    results.push({
      subject: lifelineSubject.name,
      case: `${cases.kill}: time over the ${ndjsonBaselineSubject.name} reaction to 'exit' in the same round`,
      value: samples.difference(lifelineSubject, ndjsonBaselineSubject, cases.kill),
      unit: 'ms',
    });
    return results;
  },
};

export default suite;
