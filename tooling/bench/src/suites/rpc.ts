// `pnpm bench rpc`: JSON-RPC peers compared in one run, each client talking to its own child
// process over stdio pipes with identical payloads: @lifeline/rpc (untyped and with a zod
// contract), vscode-jsonrpc, the MCP SDK, json-rpc-2.0 and a hand-rolled NDJSON baseline.
// Every subject gets a fresh child per round (warmed up before measuring); subjects are visited
// in a rotating order so load drifting on the machine hits all of them alike; each figure is the
// median of the rounds.
import { isPeerExitedError } from '@lifeline/rpc';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { jsonRpc2Subject } from '../internal/rpc/json-rpc-2-subject.js';
import { lifelineSubject, lifelineTypedSubject } from '../internal/rpc/lifeline-subject.js';
import { mcpSdkSubject } from '../internal/rpc/mcp-sdk-subject.js';
import { closedLoop, killWithPending, notificationRate } from '../internal/rpc/measure.js';
import { ndjsonBaselineSubject } from '../internal/rpc/ndjson-baseline-subject.js';
import { makePayload } from '../internal/rpc/payload.js';
import type { RpcSubject } from '../internal/rpc/subject.js';
import { vscodeJsonrpcSubject } from '../internal/rpc/vscode-jsonrpc-subject.js';
import { median, percentile } from '../internal/stats.js';

const subjects: readonly RpcSubject[] = [
  lifelineSubject,
  lifelineTypedSubject,
  vscodeJsonrpcSubject,
  mcpSdkSubject,
  jsonRpc2Subject,
  ndjsonBaselineSubject,
];
const sizes = [
  { label: '330 B', bytes: 330, notificationBatch: 2000 },
  { label: '4 KiB', bytes: 4096, notificationBatch: 500 },
] as const;
const rounds = 5;
const loadMs = 300;
const notificationMs = 250;
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

/** Figures of every round, by subject and case, before taking medians. */
class Samples {
  readonly #values = new Map<string, { subject: string; case: string; unit: string; values: number[] }>();

  add(subject: string, scenario: string, unit: string, value: number): void {
    const key = `${subject}\u0000${scenario}`;
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { subject, case: scenario, unit, values: [] };
      this.#values.set(key, entry);
    }
    entry.values.push(value);
  }

  median(subject: string, scenario: string): number {
    return median(this.#values.get(`${subject}\u0000${scenario}`)?.values ?? []);
  }

  unit(subject: string, scenario: string): string {
    return this.#values.get(`${subject}\u0000${scenario}`)?.unit ?? '';
  }
}

async function measureSubject(subject: RpcSubject, samples: Samples): Promise<void> {
  const connection = await subject.connect();
  try {
    // Warm both processes' JIT on every path measured below.
    await closedLoop(connection, makePayload(330), 64, 250, false);
    await closedLoop(connection, makePayload(4096), 1, 100, false);
    await notificationRate(connection, 330, 500, 50);
    for (const size of sizes) {
      const payload = makePayload(size.bytes);
      const sequential = await closedLoop(connection, payload, 1, loadMs, true);
      samples.add(subject.name, cases.c1(size.label), 'requests/s', sequential.requestsPerSecond);
      samples.add(subject.name, cases.p50(size.label), 'µs', percentile(sequential.latenciesMicros, 0.5));
      samples.add(subject.name, cases.p99(size.label), 'µs', percentile(sequential.latenciesMicros, 0.99));
      const concurrent = await closedLoop(connection, payload, 64, loadMs, false);
      samples.add(subject.name, cases.c64(size.label), 'requests/s', concurrent.requestsPerSecond);
    }
    for (const size of sizes) {
      const rate = await notificationRate(connection, size.bytes, size.notificationBatch, notificationMs);
      samples.add(subject.name, cases.notifications(size.label), 'notifications/s', rate);
    }
    const kill = await killWithPending(connection, pendingAtKill, killPatienceMs);
    if (kill.settled < pendingAtKill) {
      throw new Error(`${subject.name}: only ${kill.settled} of ${pendingAtKill} pending calls settled within ${killPatienceMs} ms of SIGKILL`);
    }
    if (kill.rejected < pendingAtKill) {
      throw new Error(`${subject.name}: ${pendingAtKill - kill.rejected} pending calls resolved after SIGKILL instead of rejecting`);
    }
    if (subject === lifelineSubject && !isPeerExitedError(kill.sample)) {
      throw new Error(`${subject.name}: pending calls rejected with ${String(kill.sample)} instead of PeerExitedError`);
    }
    samples.add(subject.name, cases.kill, 'ms', kill.settledMs);
  } finally {
    await connection.dispose();
  }
}

const suite: BenchSuite = {
  name: 'rpc',
  description:
    'JSON-RPC request/response, notifications and peer death against child processes over stdio, ' +
    `~330 B and ~4 KiB params echoed back; median of ${rounds} rounds`,
  async run(): Promise<BenchResult[]> {
    const samples = new Samples();
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      for (let index = 0; index < subjects.length; index += 1) {
        await measureSubject(subjects[(index + round) % subjects.length] as RpcSubject, samples);
      }
      console.log(`round ${round + 1}/${rounds} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }

    const results: BenchResult[] = [];
    const figure = (subject: RpcSubject, scenario: string) => {
      results.push({ subject: subject.name, case: scenario, value: samples.median(subject.name, scenario), unit: samples.unit(subject.name, scenario) });
    };
    const ratio = (scenario: string, other: RpcSubject, goal: string) => {
      const value = samples.median(lifelineSubject.name, scenario) / samples.median(other.name, scenario);
      results.push({ subject: lifelineSubject.name, case: `${scenario} ratio vs ${other.name}${goal}`, value, unit: 'x' });
    };
    for (const size of sizes) {
      for (const scenario of [cases.c1(size.label), cases.c64(size.label)]) {
        for (const subject of subjects) figure(subject, scenario);
        const concurrent = scenario === cases.c64(size.label);
        ratio(scenario, vscodeJsonrpcSubject, concurrent ? ' (goal ≥ 3)' : ' (goal ≥ 1.5)');
        ratio(scenario, mcpSdkSubject, concurrent ? ' (goal ≥ 3)' : ' (goal ≥ 1.5)');
        ratio(scenario, ndjsonBaselineSubject, ' (goal ≥ 0.6)');
      }
      for (const scenario of [cases.p50(size.label), cases.p99(size.label)]) {
        for (const subject of subjects) figure(subject, scenario);
      }
      const notifications = cases.notifications(size.label);
      for (const subject of subjects) figure(subject, notifications);
      ratio(notifications, vscodeJsonrpcSubject, '');
      ratio(notifications, mcpSdkSubject, '');
      ratio(notifications, ndjsonBaselineSubject, '');
    }
    for (const subject of subjects) {
      results.push({
        subject: subject.name,
        case: `${cases.kill} [${subject.exitDetection}]${subject === lifelineSubject ? ' (goal ≤ 10)' : ''}`,
        value: samples.median(subject.name, cases.kill),
        unit: 'ms',
      });
    }
    return results;
  },
};

export default suite;
