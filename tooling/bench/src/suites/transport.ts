// `pnpm bench transport`: NDJSON encode + decode throughput of @lifeline/transport through a real
// pipe (a child process that echoes its stdin byte for byte), beside the limit of that same pipe
// measured in the same run with pre-serialised lines, and a hand-rolled NDJSON loop for context.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnTransport, type Framing } from '@lifeline/transport';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { median } from '../internal/stats.js';

const echoSource = 'process.stdin.pipe(process.stdout)';
type Payload = 'log' | 'terminal';
/**
 * `log`: plain ASCII text, the cheapest content for JSON. `terminal`: what a shell really prints,
 * colour escapes (JSON `\u001b`), CRLF and non-ASCII characters, which makes every string
 * operation slower; measured at two sizes to show how much the content matters.
 */
const cases: readonly { label: string; bytes: number; payload: Payload }[] = [
  { label: '330 B', bytes: 330, payload: 'log' },
  { label: '4 KiB', bytes: 4 * 1024, payload: 'log' },
  { label: '64 KiB', bytes: 64 * 1024, payload: 'log' },
  { label: '1 MiB', bytes: 1024 * 1024, payload: 'log' },
  { label: '4 KiB terminal output', bytes: 4 * 1024, payload: 'terminal' },
  { label: '64 KiB terminal output', bytes: 64 * 1024, payload: 'terminal' },
];
/**
 * Bytes timed per measurement, per subject, after as many went through unmeasured (see
 * {@link measure}).
 */
const bytesPerRun = 96 * 1024 * 1024;
const maxMessagesPerRun = 200_000;
/** Bytes allowed in flight (sent, not yet echoed back). */
const windowBytes = 2 * 1024 * 1024;
const rounds = 5;

function payloadText(payload: Payload, bytes: number): string {
  const line =
    payload === 'log'
      ? 'build step 17 finished in 45 ms: compiled packages/transport/src/index.ts without warnings. '
      : '\u001b[32m✓\u001b[0m build step finished in 45 ms: packages/transport/src/index.ts\r\n';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

/** A JSON-RPC notification (session output) whose NDJSON line is about `lineBytes` long. */
function outputNotification(payload: Payload, lineBytes: number, seq: number): unknown {
  const envelope = {
    jsonrpc: '2.0',
    method: 'session.output',
    params: { sid: 's_01hx3k9d7m', seq, data: '' },
  };
  const overhead = Buffer.byteLength(JSON.stringify(envelope)) + 1;
  let data = payloadText(payload, Math.max(0, lineBytes - overhead));
  // Escapes make the JSON longer than the text: trim until the line fits the target size.
  while (
    data.length > 0 &&
    Buffer.byteLength(JSON.stringify({ ...envelope, params: { ...envelope.params, data } })) + 1 >
      lineBytes
  ) {
    data = data.slice(0, Math.max(0, data.length - Math.max(1, Math.floor(data.length / 50))));
  }
  return { ...envelope, params: { ...envelope.params, data } };
}

interface Measurement {
  messages: number;
  bytes: number;
  seconds: number;
}

/**
 * One way of moving messages through an echoing child: `send(index)` queues message `index`;
 * arrivals are reported, a count at a time, to the function given to `onArrivals`.
 */
interface EchoRoute {
  /** Bytes of one message's line, newline included. */
  lineBytes: number;
  send(index: number): void;
  onArrivals(received: (count: number) => void): void;
  stop(): Promise<void>;
}

function spawnEcho(): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['-e', echoSource], { stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

async function stopEcho(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  child.kill('SIGKILL');
  await exited;
}

/**
 * Moves `total` messages with at most `window` in flight (sent, not yet echoed back); resolves
 * with the seconds it took.
 */
function pump(route: EchoRoute, total: number, window: number): Promise<number> {
  let sent = 0;
  let received = 0;
  const started = performance.now();
  return new Promise((resolve) => {
    const topUp = (): void => {
      while (sent < total && sent - received < window) {
        route.send(sent);
        sent += 1;
      }
    };
    route.onArrivals((count) => {
      received += count;
      if (received >= total) resolve((performance.now() - started) / 1000);
      else topUp();
    });
    queueMicrotask(topUp);
  });
}

/**
 * Measures one route in its steady state: a fresh echoing child (a Node process) runs its first
 * tens of megabytes several times slower than the rest, so that much goes through it, unmeasured,
 * before `total` messages are timed.
 */
async function measure(
  route: EchoRoute,
  warmTotal: number,
  total: number,
  window: number,
): Promise<Measurement> {
  try {
    await pump(route, warmTotal, window);
    const seconds = await pump(route, total, window);
    return { messages: total, bytes: total * route.lineBytes, seconds };
  } finally {
    await route.stop();
  }
}

/** Batches the writes of one tick into one writev, as the transport does. */
function corkedWriter(child: ChildProcessWithoutNullStreams): (chunk: Buffer) => void {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    child.stdin.uncork();
  };
  return (chunk) => {
    if (!corked) {
      corked = true;
      child.stdin.cork();
      process.nextTick(uncork);
    }
    child.stdin.write(chunk);
  };
}

/** The limit: pre-serialised lines written as they are, echoed lines only counted. */
async function limitRoute(payload: Payload, lineBytes: number): Promise<EchoRoute> {
  const child = await spawnEcho();
  const line = Buffer.from(`${JSON.stringify(outputNotification(payload, lineBytes, 0))}\n`);
  const write = corkedWriter(child);
  let received: (count: number) => void = () => undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    let count = 0;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) count += 1;
    if (count > 0) received(count);
  });
  return {
    lineBytes: line.length,
    send: () => write(line),
    onArrivals: (handler) => (received = handler),
    stop: () => stopEcho(child),
  };
}

/** What a careful hand-rolled NDJSON loop does: stringify + write, split + JSON.parse. */
async function handRolledRoute(payload: Payload, lineBytes: number): Promise<EchoRoute> {
  const child = await spawnEcho();
  const message = outputNotification(payload, lineBytes, 0) as { params: { seq: number } };
  let received: (count: number) => void = () => undefined;
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    let at = chunk.indexOf('\n');
    if (at === -1) {
      pending += chunk;
      return;
    }
    let count = 0;
    let line = pending + chunk.slice(0, at);
    let start = at + 1;
    for (;;) {
      const parsed = JSON.parse(line) as { params: { seq: number } };
      if (parsed.params.seq >= 0) count += 1;
      at = chunk.indexOf('\n', start);
      if (at === -1) break;
      line = chunk.slice(start, at);
      start = at + 1;
    }
    pending = chunk.slice(start);
    received(count);
  });
  return {
    lineBytes: Buffer.byteLength(JSON.stringify(message)) + 1,
    send: (index) => {
      message.params.seq = index;
      child.stdin.write(`${JSON.stringify(message)}\n`);
    },
    onArrivals: (handler) => (received = handler),
    stop: () => stopEcho(child),
  };
}

/** @lifeline/transport: spawnTransport, send(object), receive(decoded object), in either framing. */
async function transportRoute(
  payload: Payload,
  lineBytes: number,
  framing: Framing = 'ndjson',
): Promise<EchoRoute> {
  const { transport, child } = spawnTransport(process.execPath, ['-e', echoSource], { framing });
  await new Promise((resolve) => child.once('spawn', resolve));
  const message = outputNotification(payload, lineBytes, 0) as { params: { seq: number } };
  let received: (count: number) => void = () => undefined;
  let pendingCount = 0;
  let flushScheduled = false;
  transport.receive({
    message: (value) => {
      if ((value as { params: { seq: number } }).params.seq < 0) return;
      // Report arrivals once per tick, like the chunk-based readers above.
      pendingCount += 1;
      if (!flushScheduled) {
        flushScheduled = true;
        queueMicrotask(() => {
          flushScheduled = false;
          const count = pendingCount;
          pendingCount = 0;
          received(count);
        });
      }
    },
  });
  const bodyBytes = Buffer.byteLength(JSON.stringify(message));
  return {
    lineBytes:
      framing === 'ndjson'
        ? bodyBytes + 1
        : bodyBytes + `Content-Length: ${bodyBytes}\r\n\r\n`.length,
    send: (index) => {
      message.params.seq = index;
      if (!transport.send(message)) throw new Error('the echo child went away');
    },
    onArrivals: (handler) => (received = handler),
    stop: async () => {
      transport.close();
      child.kill('SIGKILL');
      await transport.closed;
    },
  };
}

const megabytesPerSecond = (measurement: Measurement): number =>
  measurement.bytes / measurement.seconds / 1e6;

const suite: BenchSuite = {
  name: 'transport',
  description:
    'NDJSON (and Content-Length) encode+decode round trip through a real pipe (echoing child), beside the limit of the same pipe with pre-serialised lines',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const size of cases) {
      const total = Math.min(maxMessagesPerRun, Math.max(64, Math.floor(bytesPerRun / size.bytes)));
      const window = Math.max(2, Math.floor(windowBytes / size.bytes));
      const run = async (route: Promise<EchoRoute>): Promise<Measurement> =>
        measure(await route, total, total, window);
      // Interleaved rounds, so that a slow spell of the host hits every subject alike; the median
      // of each is kept.
      const limitRuns: number[] = [];
      const handRolledRuns: number[] = [];
      const transportRuns: Measurement[] = [];
      const contentLengthRuns: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        limitRuns.push(megabytesPerSecond(await run(limitRoute(size.payload, size.bytes))));
        handRolledRuns.push(
          megabytesPerSecond(await run(handRolledRoute(size.payload, size.bytes))),
        );
        transportRuns.push(await run(transportRoute(size.payload, size.bytes)));
        contentLengthRuns.push(
          megabytesPerSecond(await run(transportRoute(size.payload, size.bytes, 'content-length'))),
        );
      }
      const limit = median(limitRuns);
      const handRolled = median(handRolledRuns);
      const transport = median(transportRuns.map(megabytesPerSecond));
      const contentLength = median(contentLengthRuns);
      const transportMessages = median(
        transportRuns.map((measured) => measured.messages / measured.seconds),
      );
      const scenario = `round trip ${size.label}`;
      results.push(
        { subject: 'limit: pre-serialised lines', case: scenario, value: limit, unit: 'MB/s' },
        { subject: 'hand-rolled NDJSON', case: scenario, value: handRolled, unit: 'MB/s' },
        { subject: '@lifeline/transport', case: scenario, value: transport, unit: 'MB/s' },
        {
          subject: '@lifeline/transport',
          case: scenario,
          value: transportMessages,
          unit: 'messages/s',
        },
        {
          subject: '@lifeline/transport ÷ limit',
          case: scenario,
          value: transport / limit,
          unit: 'ratio',
        },
        {
          subject: '@lifeline/transport ÷ hand-rolled',
          case: scenario,
          value: transport / handRolled,
          unit: 'ratio',
        },
        {
          subject: '@lifeline/transport Content-Length',
          case: scenario,
          value: contentLength,
          unit: 'MB/s',
        },
        {
          subject: '@lifeline/transport Content-Length ÷ NDJSON',
          case: scenario,
          value: contentLength / transport,
          unit: 'ratio',
        },
      );
    }
    return results;
  },
};

export default suite;
