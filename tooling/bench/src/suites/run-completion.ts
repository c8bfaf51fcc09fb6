// `pnpm bench run-completion`: how fast the run-completion coordinator passes PTY output through
// (scanning for frames, and in postamble mode also for the echo of pending postamble lines), on
// plain text, ANSI-heavy output and text dense in escape bytes and frame look-alikes, with 1 and
// with 50 registered runs. The limit is `Buffer.indexOf` finding every escape byte in the same
// chunks: no scanner can do less work than that.
import { createRunCoordinator, createSessionToken } from '@lifeline/run-completion';
import type { BenchResult, BenchSuite } from '../internal/result.js';

const chunkBytes = 16 * 1024;
const bytesPerPass = 16 * 1024 * 1024;
const rounds = 15;
const targetSeconds = 0.1;
const registrationCounts = [1, 50] as const;

type Dataset = 'plain' | 'ANSI-heavy' | 'escape-dense';

const lines: Record<Dataset, string> = {
  plain:
    'build step 17 finished in 45 ms: compiled packages/run-completion/src/index.ts, no warnings\r\n',
  'ANSI-heavy':
    '\x1b[32m✓\x1b[0m \x1b[1m\x1b[34msrc/coordinator.ts\x1b[0m \x1b[2m(12 tests)\x1b[22m \x1b[33m45ms\x1b[39m\x1b[K\r\n',
  // Escape bytes everywhere, many of them starting what looks like a frame until the token.
  'escape-dense':
    '\x1b_lifeline;NotTheTokenNotTheToken;P;7;0;/tmp\x1b\\\x1b\x1b_lifeline;\x1b[m\x1b_Gq=1\x1b\\\x1b_lifel\x1b]0;t\x07x\r\n',
};

function chunksOf(dataset: Dataset): Buffer[] {
  const line = lines[dataset];
  const data = Buffer.from(line.repeat(Math.ceil(bytesPerPass / Buffer.byteLength(line))));
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytesPerPass; offset += chunkBytes) {
    chunks.push(data.subarray(offset, Math.min(offset + chunkBytes, bytesPerPass)));
  }
  return chunks;
}

/** Seconds for `repeat` passes of one coordinator (postamble mode: registrations are live tokens). */
function coordinatorPass(
  chunks: readonly (Buffer | string)[],
  registrations: number,
  repeat: number,
): number {
  let delivered = 0;
  const coordinator = createRunCoordinator({
    mode: 'postamble',
    token: createSessionToken(),
    appendOutput: (data) => {
      delivered += data.length;
    },
    appendRunComplete: () => 0,
  });
  for (let index = 0; index < registrations; index++) {
    coordinator.register(coordinator.prepare(`make target-${index}`), index);
  }
  const started = performance.now();
  for (let pass = 0; pass < repeat; pass++) for (const chunk of chunks) coordinator.ingest(chunk);
  coordinator.flushOnExit();
  const seconds = (performance.now() - started) / 1000;
  if (delivered === 0) throw new Error('the coordinator delivered no output');
  coordinator.resetForExit();
  return seconds;
}

/** Seconds for `Buffer.indexOf` to find every escape byte in the same chunks, `repeat` times. */
function limitPass(chunks: readonly Buffer[], repeat: number): number {
  let escapes = 0;
  const started = performance.now();
  for (let pass = 0; pass < repeat; pass++) {
    for (const chunk of chunks) {
      for (let at = chunk.indexOf(0x1b); at !== -1; at = chunk.indexOf(0x1b, at + 1)) escapes++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (escapes < 0) throw new Error('unreachable');
  return seconds;
}

/** A timed pass over the data set, `repeat` times over; returns seconds. */
type Pass = (repeat: number) => number;

interface Measurement {
  /** MB/s (10^6 bytes) of each pass, from its best round. */
  megabytesPerSecond: number[];
  /** Seconds per pass over the data, per round, per pass. */
  rounds: number[][];
}

/**
 * Times each pass `rounds` times after a warm-up. Each pass repeats the data until it lasts about
 * 100 ms, so that timer and scheduler noise stay small, and the passes take turns (in alternating
 * order) so that neighbouring samples meet the same machine load.
 */
function measure(passes: readonly Pass[]): Measurement {
  const repeats = passes.map((pass) => Math.max(1, Math.ceil(targetSeconds / pass(1))));
  const samples: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    const sample = passes.map(() => Infinity);
    for (let turn = 0; turn < passes.length; turn++) {
      const index = round % 2 === 0 ? turn : passes.length - 1 - turn;
      const repeat = repeats[index] ?? 1;
      sample[index] = (passes[index]?.(repeat) ?? Infinity) / repeat;
    }
    samples.push(sample);
  }
  const best = passes.map((_, index) =>
    Math.min(...samples.map((sample) => sample[index] ?? Infinity)),
  );
  return {
    megabytesPerSecond: best.map((seconds) => bytesPerPass / 1e6 / seconds),
    rounds: samples,
  };
}

/** Median over rounds of how much longer pass `slower` took than pass `faster` in the same round. */
function pairedSlowdownPercent(measurement: Measurement, faster: number, slower: number): number {
  const ratios = measurement.rounds
    .map((sample) => (sample[slower] ?? Infinity) / (sample[faster] ?? Infinity))
    .sort((a, b) => a - b);
  const middle = ratios.length / 2;
  const median =
    ratios.length % 2 === 1
      ? (ratios[Math.floor(middle)] ?? 1)
      : ((ratios[middle - 1] ?? 1) + (ratios[middle] ?? 1)) / 2;
  return (median - 1) * 100;
}

const suite: BenchSuite = {
  name: 'run-completion',
  description:
    'coordinator throughput (MB/s of PTY output) on 16 KiB chunks, postamble mode, 1 and 50 registered runs, beside Buffer.indexOf over the same data',
  run() {
    const results: BenchResult[] = [];
    for (const dataset of Object.keys(lines) as Dataset[]) {
      const buffers = chunksOf(dataset);
      // Strings as node-pty hands them over by default (chunk boundaries may split a character,
      // which node-pty never does, so decode the whole and cut it at the same number of chunks).
      const text = Buffer.concat(buffers).toString('utf8');
      const stringChunkLength = Math.ceil(text.length / buffers.length);
      const strings: string[] = [];
      for (let offset = 0; offset < text.length; offset += stringChunkLength) {
        strings.push(text.slice(offset, offset + stringChunkLength));
      }
      const [limit = 0] = measure([(repeat) => limitPass(buffers, repeat)]).megabytesPerSecond;
      results.push({ subject: 'limit: Buffer.indexOf', case: dataset, value: limit, unit: 'MB/s' });
      for (const [label, chunks] of [
        ['Buffer chunks', buffers],
        ['string chunks', strings],
      ] as const) {
        const subject = `@lifeline/run-completion (${label})`;
        const measurement = measure(
          registrationCounts.map(
            (registrations) => (repeat: number) => coordinatorPass(chunks, registrations, repeat),
          ),
        );
        const speeds = measurement.megabytesPerSecond;
        registrationCounts.forEach((registrations, index) => {
          const speed = speeds[index] ?? 0;
          const caseName = `${dataset}, ${registrations} registration${registrations === 1 ? '' : 's'}`;
          results.push({ subject, case: caseName, value: speed, unit: 'MB/s' });
          results.push({
            subject,
            case: `${caseName} ratio vs limit`,
            value: speed / limit,
            unit: 'x',
          });
        });
        results.push({
          subject,
          case: `${dataset}, slowdown 50 vs 1 registrations (median of paired rounds)`,
          value: pairedSlowdownPercent(measurement, 0, 1),
          unit: '%',
        });
      }
    }
    return Promise.resolve(results);
  },
};

export default suite;
