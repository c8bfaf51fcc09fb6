import type { EchoParams } from './payload.js';
import type { RpcConnection } from './subject.js';

/** What one closed-loop run measured. */
export interface LoadMeasurement {
  requestsPerSecond: number;
  /** Round-trip time of every call, in microseconds (only when asked for). */
  latenciesMicros: number[];
}

/**
 * Keeps `concurrency` echo calls in flight (each worker calls again as soon as its answer
 * arrives) until `durationMs` have passed, then waits for the last answers.
 */
export async function closedLoop(
  connection: RpcConnection,
  payload: EchoParams,
  concurrency: number,
  durationMs: number,
  recordLatency: boolean,
): Promise<LoadMeasurement> {
  const latenciesMicros: number[] = [];
  let completed = 0;
  let seq = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      seq += 1;
      const params = { ...payload, seq };
      const sent = recordLatency ? performance.now() : 0;
      await connection.echo(params);
      if (recordLatency) latenciesMicros.push((performance.now() - sent) * 1000);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requestsPerSecond: completed / seconds, latenciesMicros };
}

/** Asks for blasts of `batch` notifications until `durationMs` have passed; returns notifications/s. */
export async function notificationRate(
  connection: RpcConnection,
  bytes: number,
  batch: number,
  durationMs: number,
): Promise<number> {
  let received = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  while (performance.now() < deadline) {
    await connection.notifications(batch, bytes);
    received += batch;
  }
  return received / ((performance.now() - started) / 1000);
}

/** What happened to the pending calls after the child was killed. */
export interface KillMeasurement {
  /** Milliseconds from the SIGKILL to the last pending call settling. */
  settledMs: number;
  /** How many of the calls rejected (the rest resolved, which would be a bug). */
  rejected: number;
  /** How many settled at all before the patience ran out. */
  settled: number;
  /** One of the rejection errors, to check its type. */
  sample: unknown;
}

/**
 * Puts `count` unanswered calls in flight, SIGKILLs the child and measures how long until every
 * one of them settled; gives up after `patienceMs` (the calls that never settled are reported).
 */
export async function killWithPending(
  connection: RpcConnection,
  count: number,
  patienceMs: number,
): Promise<KillMeasurement> {
  const calls = await connection.hold(count);
  let settled = 0;
  let rejected = 0;
  let last = 0;
  let sample: unknown;
  const tracked = calls.map((call) =>
    call.then(
      () => {
        settled += 1;
        last = performance.now();
      },
      (error: unknown) => {
        settled += 1;
        rejected += 1;
        sample ??= error;
        last = performance.now();
      },
    ),
  );
  const killed = performance.now();
  connection.kill();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(tracked),
    new Promise((resolve) => {
      timer = setTimeout(resolve, patienceMs);
    }),
  ]);
  clearTimeout(timer);
  return {
    settledMs: settled === count ? last - killed : Number.POSITIVE_INFINITY,
    rejected,
    settled,
    sample,
  };
}
