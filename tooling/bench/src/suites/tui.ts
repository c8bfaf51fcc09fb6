// `pnpm bench tui`: measurements of the lifeline TUI. Each group of figures is one function
// returning its rows; `run` concatenates them.
//
// Terminal output: how fast the output sanitiser and the transcript line model take 1 MiB of
// plain text, of ANSI-heavy coloured output and of a hostile mix (every payload of the hostile
// escape corpus between coloured lines), fed in 16 KiB chunks as a PTY delivers them. Two limits
// run over the same chunks: `String.prototype.indexOf` finding every ESC (no scanner that looks
// at escapes can do less; on plain text it is a memchr), and a regex search stopping at every
// control character (what a sanitiser must at least visit). The TUI is an application, not a
// library, so its sources are imported directly (tsx compiles them).
//
// The built TUI (`apps/tui/bin/lifeline.cjs`, the `lifeline` a user's shell runs, run by node in a
// real PTY whose output a headless xterm renders, in a private LIFELINE_HOME and HOME with
// /bin/bash as the shell):
// - Cold start: from spawning the TUI until the screen shows the input line `›`, and until the
//   header says `● ready` (gateway up, session attached: the first moment a typed command runs).
//   The goals: the input line within 4× `node -e ''` to its exit, measured in the same rounds,
//   and `● ready` within 500 ms. Beside them, a bare `bash -i` in a PTY until its prompt. The
//   crash log's breadcrumbs split each start into its stages.
// - Recovery: SIGKILL of the gateway until the header says `● ready` again. Three kills per TUI,
//   a fresh TUI for the next three, so the recovery budget (3 per 60 s) is never exhausted; the
//   second and third kill of a budget include the backoff the recovery policy plans, reported
//   apart as well.
// - Floods: `cat` of a 100 MB file of mixed text, and `yes | head -n 2000000`, beside the same
//   command in a bare `bash` in a PTY read by the same terminal. While the flood runs a key is
//   typed every 50 ms; the running command's terminal echoes it into the flood, and the time until
//   that echo has been parsed by the xterm is its latency (a key whose echo never shows, because
//   the TUI skipped the lines it was in, counts as the give-up time). A flood still running after
//   its window is interrupted with Ctrl+C, and the time until the screen shows it over (`✗ 130` in
//   the TUI, the prompt in bash) is reported: the responsiveness figure that stays observable when
//   echoes are skipped. `yes` without `head` is always interrupted, after 3 s.
//   Peak resident memory (VmHWM) of the TUI, its gateway and the session host; the time from the
//   producer's exit until the screen has not changed for 500 ms; bytes through per second, from
//   Enter until the screen settled.
// - `seq 1 2000000` raced in the same rounds in the TUI, inside tmux (its own server, no config)
//   and in a bare bash, each in a PTY of 100×30 drained as fast as its terminal parses: from Enter
//   until the screen shows the command over (the last number and the next prompt; in the TUI the
//   run's footer, printed after its last lines). The median of 5 rounds, the subjects in
//   alternating order; the goal is to be no slower than tmux. Nothing is typed into these: every
//   subject runs alike. In each round the TUI then runs it once more with a key typed every 50 ms,
//   its echo timed in the session's output, as in the floods (goal: p99 ≤ 100 ms; reading that
//   output costs the bench itself CPU, so these runs are timed apart); the TUI's peak resident
//   memory (VmHWM) is read once it is drawn (goal ≤ 250 MB).
//
// - Key echo at an idle prompt: a key typed, seen on the screen, erased, 40 times with pauses as a
//   person types, in the TUI and in a bare bash in a PTY (goal: p50 ≤ 25 ms).
//
// LIFELINE_BENCH_TUI_ONLY=cold-start, =floods, =seq or =prompt-echo measures that part alone (a
// few minutes less, and the machine kept quieter for it).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { hostileEscapes } from '../../../../apps/tui/src/terminal/__fixtures__/hostile-escapes.js';
import { createOutputSanitizer } from '../../../../apps/tui/src/terminal/output-sanitizer.js';
import { createTranscriptLines } from '../../../../apps/tui/src/terminal/transcript-lines.js';
import { cpuSeconds } from '../internal/process-tree.js';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { median, percentile } from '../internal/stats.js';
import { writeFloodFile } from '../internal/tui/flood-file.js';
import { screenEchoSource, sessionLogEchoSource } from '../internal/tui/echo-source.js';
import { findProducer, runFlood, type FloodObservation } from '../internal/tui/flood-run.js';
import { KeyEchoProbe, type KeyEchoResult } from '../internal/tui/key-echo-probe.js';
import type { PtyScreen } from '../internal/tui/pty-screen.js';
import {
  runFooter,
  showsInputLine,
  showsNotReady,
  showsReady,
  type TuiScreen,
} from '../internal/tui/tui-screen.js';
import { TuiWorld } from '../internal/tui/tui-world.js';
import { machineCertificates } from '../internal/machine-certificates.js';
import { removeTmuxSocket } from '../internal/tmux-socket.js';

const inputBytes = 1024 * 1024;
const chunkLength = 16 * 1024;
const rounds = 15;
const warmUpPasses = 5;
/** Each sample repeats the pass until it lasts about this long, so that timer noise stays small. */
const targetSampleSeconds = 0.05;

type Dataset = 'plain' | 'ANSI-heavy' | 'hostile mix';

const repeatedText: Record<Dataset, string> = {
  plain:
    'build step 17 finished in 45 ms: compiled packages/run-completion/src/index.ts, no warnings\r\n',
  'ANSI-heavy':
    '\x1b[32m✓\x1b[0m \x1b[1m\x1b[34msrc/coordinator.ts\x1b[0m \x1b[2m(12 tests)\x1b[22m \x1b[33m45ms\x1b[39m \x1b[38;2;255;128;0mwarn\x1b[0m\r\n',
  'hostile mix': hostileEscapes
    .map(
      ({ chunks }) => `\x1b[31merror\x1b[0m ${chunks.join('')}\x1b[38;5;208m text after\x1b[0m\r\n`,
    )
    .join(''),
};

/** `text` repeated and cut to exactly `inputBytes` bytes of UTF-8, in chunks of `chunkLength`. */
function chunksOf(text: string): string[] {
  let data = text.repeat(Math.ceil(inputBytes / Buffer.byteLength(text)) + 1);
  let length = inputBytes;
  while (Buffer.byteLength(data.slice(0, length)) > inputBytes) length--;
  data = data
    .slice(0, length)
    .padEnd(length + inputBytes - Buffer.byteLength(data.slice(0, length)), 'x');
  if (Buffer.byteLength(data) !== inputBytes) throw new Error('the data set is not exactly 1 MiB');
  const chunks: string[] = [];
  for (let offset = 0; offset < data.length; offset += chunkLength)
    chunks.push(data.slice(offset, offset + chunkLength));
  return chunks;
}

/** One pass over the data set; returns something derived from the work so that it cannot be skipped. */
type Pass = (chunks: readonly string[]) => number;

const passes = {
  'limit: String indexOf': (chunks) => {
    let escapes = 0;
    for (const chunk of chunks) {
      for (let at = chunk.indexOf('\x1b'); at !== -1; at = chunk.indexOf('\x1b', at + 1)) escapes++;
    }
    return escapes;
  },
  'limit: control-character scan': (chunks) => {
    const control = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
    let controls = 0;
    for (const chunk of chunks) {
      control.lastIndex = 0;
      while (control.test(chunk)) controls++;
    }
    return controls;
  },
  'output sanitiser': (chunks) => {
    const sanitizer = createOutputSanitizer();
    let shown = 0;
    for (const chunk of chunks) shown += sanitizer.write(chunk).text.length;
    return shown + sanitizer.flush().text.length;
  },
  'sanitiser + transcript lines': (chunks) => {
    const sanitizer = createOutputSanitizer({ allowLineEditing: true });
    const lines = createTranscriptLines();
    for (const chunk of chunks) lines.append(sanitizer.write(chunk).text);
    lines.append(sanitizer.flush().text);
    lines.finish();
    return lines.lineCount;
  },
} satisfies Record<string, Pass>;

type Subject = keyof typeof passes;

/**
 * Seconds per pass of each subject, one sample per round and subject. The subjects take turns
 * within a round (in alternating order) so that neighbouring samples meet the same machine load.
 */
function sampleSeconds(chunks: readonly string[]): Record<Subject, number[]> {
  const subjects = Object.keys(passes) as Subject[];
  const repeats = new Map<Subject, number>();
  for (const subject of subjects) {
    for (let pass = 0; pass < warmUpPasses; pass++) passes[subject](chunks);
    const started = performance.now();
    passes[subject](chunks);
    const seconds = (performance.now() - started) / 1000;
    repeats.set(subject, Math.max(1, Math.ceil(targetSampleSeconds / Math.max(seconds, 1e-6))));
  }
  const samples = Object.fromEntries(
    subjects.map((subject) => [subject, [] as number[]]),
  ) as Record<Subject, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const repeat = repeats.get(subject) ?? 1;
      let work = 0;
      const started = performance.now();
      for (let pass = 0; pass < repeat; pass++) work += passes[subject](chunks);
      const seconds = (performance.now() - started) / 1000 / repeat;
      if (work < 0) throw new Error('unreachable');
      samples[subject].push(seconds);
    }
  }
  return samples;
}

/** Throughput of the sanitiser and the line model on each data set, and the hostile 1 MiB time. */
function terminalOutputFigures(): BenchResult[] {
  const results: BenchResult[] = [];
  for (const dataset of Object.keys(repeatedText) as Dataset[]) {
    const samples = sampleSeconds(chunksOf(repeatedText[dataset]));
    const megabytesPerSecond = (subject: Subject) => inputBytes / 1e6 / median(samples[subject]);
    const limits = ['limit: String indexOf', 'limit: control-character scan'] as const;
    for (const limit of limits) {
      results.push({
        subject: limit,
        case: `${dataset}, MB/s`,
        value: megabytesPerSecond(limit),
        unit: 'MB/s',
      });
    }
    for (const subject of ['output sanitiser', 'sanitiser + transcript lines'] as const) {
      const speed = megabytesPerSecond(subject);
      results.push({ subject, case: `${dataset}, MB/s`, value: speed, unit: 'MB/s' });
      for (const limit of limits) {
        results.push({
          subject,
          case: `${dataset}, ratio vs ${limit.slice('limit: '.length)}`,
          value: speed / megabytesPerSecond(limit),
          unit: 'x',
        });
      }
    }
    if (dataset === 'hostile mix') {
      const milliseconds = median(samples['output sanitiser']) * 1000;
      results.push({
        subject: 'output sanitiser',
        case: 'hostile mix, 1 MiB, median time (goal < 50 ms)',
        value: milliseconds,
        unit: 'ms',
      });
      results.push({
        subject: 'output sanitiser',
        case: 'hostile mix, 1 MiB, time vs goal of 50 ms',
        value: milliseconds / 50,
        unit: 'x',
      });
    }
  }
  return results;
}

const screenTimeoutMs = 30_000;

/** Starts, after one warm-up round: each round starts every subject once. */
const coldStartRounds = 9;
const coldStartWarmUps = 1;
const coldStartGoalMs = 500;
/** The input line, accepting keys, within this many times a bare Node's start (`node -e ''`). */
const coldStartInputLineGoal = 4;

/** TUIs whose gateway is killed, and kills per TUI (the recovery budget allows 3 per 60 s). */
const recoveryTuis = 6;
const killsPerTui = 3;
/** Pause between the screen saying `● ready` and the next kill. */
const killSpacingMs = 500;
const recoveryGoalMs = 300;

const floodBytes = 100_000_000;
/** Longest a flood may run before Ctrl+C: bounds the suite's time when the TUI is slow. */
const floodWindowMs = 25_000;
/** When the endless flood is interrupted. */
const interruptAfterMs = 3_000;
const keyIntervalMs = 50;
/** A key not echoed on screen within this long is given up on (and counts as this long). */
const keyGiveUpMs = 15_000;
const settleQuietMs = 500;
const keyEchoGoalMs = 100;
const peakRssGoalMb = 250;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bash prompt (`$` or `#` for root, as /etc/bash.bashrc sets it) on the screen's last non-empty row. */
function showsShellPrompt(screen: readonly string[]): boolean {
  return /[$#]$/.test(screen.filter((row) => row !== '').at(-1) ?? '');
}

/** `performance.now()` as milliseconds since the epoch, to line up with crash-log entries. */
function epochOf(performanceTime: number): number {
  return performance.timeOrigin + performanceTime;
}

/** Milliseconds from spawning `node -e ''`, in the environment the TUI gets, until it exited. */
async function nodeStartMs(env: Readonly<Record<string, string>>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore', env });
  await new Promise((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  return performance.now() - started;
}

/** Milliseconds from spawning `bash -i` in a PTY until its prompt was on screen. */
async function bashPromptMs(world: TuiWorld): Promise<number> {
  const bash = world.startProgram('/bin/bash', ['-i']);
  try {
    return (
      (await bash.waitForScreen('a bash prompt', showsShellPrompt, screenTimeoutMs)) -
      bash.spawnedAt
    );
  } finally {
    await world.killAll();
  }
}

interface TuiStart {
  inputLineMs: number;
  readyMs: number;
  /** Spawn → `tui.start` breadcrumb: node, the CLI and Ink loaded, first frame drawn. */
  loadedMs: number;
  /** The gateway's own `gateway.ready` figure: its spawn → its ready frame. */
  gatewayMs: number;
  /** `gateway.ready` → `session.attach`: session created, host and shell started, attached. */
  sessionMs: number;
  /** `supervisor.ready` → `● ready` parsed by the terminal. */
  drawnMs: number;
  /** CPU seconds of the TUI, the gateway and the host when the screen said `● ready`. */
  cpu: { tui: number; gateway: number; host: number };
}

async function tuiStart(
  world: TuiWorld,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<TuiStart> {
  const tui = world.startTui([], undefined, [], extraEnv);
  try {
    const inputLineAt = await tui.waitForScreen('the input line', showsInputLine, screenTimeoutMs);
    const readyAt = await tui.waitForScreen('● ready', showsReady, screenTimeoutMs);
    const gateway = tui.gatewayPid();
    const host = world.hostPids()[0];
    const cpu = {
      tui: cpuSeconds(tui.pid),
      gateway: gateway === undefined ? Number.NaN : cpuSeconds(gateway),
      host: host === undefined ? Number.NaN : cpuSeconds(host),
    };
    const spawnedEpoch = epochOf(tui.spawnedAt);
    const log = world.crashLog(spawnedEpoch - 5);
    const entry = (event: string) => {
      const found = log.find(
        (candidate) => candidate.source === 'tui' && candidate.event === event,
      );
      if (!found)
        throw new Error(
          `the crash log has no \`${event}\` breadcrumb of the TUI started at ${new Date(spawnedEpoch).toISOString()}`,
        );
      return found;
    };
    const gatewayReady = entry('gateway.ready');
    return {
      inputLineMs: inputLineAt - tui.spawnedAt,
      readyMs: readyAt - tui.spawnedAt,
      loadedMs: entry('tui.start').epochMs - spawnedEpoch,
      gatewayMs: Number(gatewayReady.fields.ms),
      sessionMs: entry('session.attach').epochMs - gatewayReady.epochMs,
      drawnMs: epochOf(readyAt) - entry('supervisor.ready').epochMs,
      cpu,
    };
  } finally {
    await world.killAll();
  }
}

/** Cold start of the TUI beside node and bash; returns the rows and the median node start. */
async function coldStartFigures(): Promise<{ rows: BenchResult[]; nodeStartMs: number }> {
  const world = new TuiWorld();
  const node: number[] = [];
  const bash: number[] = [];
  const tui: TuiStart[] = [];
  const withCertificates: TuiStart[] = [];
  try {
    for (let round = 0; round < coldStartWarmUps + coldStartRounds; round++) {
      // Alternating order, so that drifting load meets every subject alike.
      const steps = [
        async () => node.push(await nodeStartMs(world.env())),
        async () => bash.push(await bashPromptMs(world)),
        async () => tui.push(await tuiStart(world)),
      ];
      if (machineCertificates)
        steps.push(async () => withCertificates.push(await tuiStart(world, machineCertificates)));
      for (const step of round % 2 === 0 ? steps : steps.reverse()) await step();
      if (round < coldStartWarmUps) {
        node.length = 0;
        bash.length = 0;
        tui.length = 0;
        withCertificates.length = 0;
      }
    }
  } finally {
    await world.dispose();
  }
  const of = (pick: (start: TuiStart) => number) => median(tui.map(pick));
  const nodeMs = median(node);
  const bashMs = median(bash);
  const readyMs = of((start) => start.readyMs);
  const inputLineMs = of((start) => start.inputLineMs);
  const starts = `median of ${tui.length}`;
  const rows: BenchResult[] = [
    {
      subject: 'lifeline TUI',
      case: `cold start → input line \`›\` on screen, ${starts}`,
      value: inputLineMs,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `cold start → \`● ready\` on screen, ${starts} (goal ≤ ${coldStartGoalMs} ms)`,
      value: readyMs,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start → `● ready`, p90',
      value: percentile(
        tui.map((start) => start.readyMs),
        0.9,
      ),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `cold start → \`● ready\` vs goal of ${coldStartGoalMs} ms`,
      value: readyMs / coldStartGoalMs,
      unit: 'x',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, stage: spawn → TUI loaded and first frame (`tui.start`)',
      value: of((start) => start.loadedMs),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, stage: gateway spawn → its ready frame (`gateway.ready ms`)',
      value: of((start) => start.gatewayMs),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, stage: gateway ready → session created and attached',
      value: of((start) => start.sessionMs),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, stage: attached → `● ready` parsed by the terminal',
      value: of((start) => start.drawnMs),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, CPU time of the TUI process until `● ready`',
      value: of((start) => start.cpu.tui) * 1000,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, CPU time of the gateway until `● ready`',
      value: of((start) => start.cpu.gateway) * 1000,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start, CPU time of the session host until `● ready`',
      value: of((start) => start.cpu.host) * 1000,
      unit: 'ms',
    },
    {
      subject: "reference: node -e ''",
      case: `spawn → exit, ${starts}`,
      value: nodeMs,
      unit: 'ms',
    },
    {
      subject: 'reference: bash -i in a PTY',
      case: `spawn → prompt on screen, ${starts}`,
      value: bashMs,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: "cold start → `● ready` vs node -e ''",
      value: readyMs / nodeMs,
      unit: 'x',
    },
    {
      subject: 'lifeline TUI',
      case: 'cold start → `● ready` vs bash -i prompt',
      value: readyMs / bashMs,
      unit: 'x',
    },
    {
      subject: 'lifeline TUI',
      case: `cold start → input line vs node -e '' (goal ≤ ${coldStartInputLineGoal})`,
      value: inputLineMs / nodeMs,
      unit: 'x',
    },
  ];
  if (withCertificates.length > 0) {
    const certificatesCase = `cold start → \`● ready\`, NODE_EXTRA_CA_CERTS set as on this machine, median of ${withCertificates.length}`;
    rows.push(
      {
        subject: 'lifeline TUI',
        case: certificatesCase,
        value: median(withCertificates.map((start) => start.readyMs)),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'cold start, NODE_EXTRA_CA_CERTS set: CPU time of the gateway until `● ready`',
        value: median(withCertificates.map((start) => start.cpu.gateway)) * 1000,
        unit: 'ms',
      },
    );
  }
  return { rows, nodeStartMs: nodeMs };
}

interface Recovery {
  /** SIGKILL → `● ready` parsed by the terminal. */
  screenMs: number;
  /** The delay the recovery policy planned before this restart (0 for the first of a budget). */
  backoffMs: number;
  /** The TUI's own `recovery.done ms` figure. */
  breadcrumbMs: number;
  /** The restarted gateway's `gateway.ready ms` figure: its spawn → its ready frame. */
  gatewayMs: number;
  /** Which kill of its TUI this was, from 0. */
  kill: number;
}

async function killGatewayOnce(world: TuiWorld, tui: TuiScreen, kill: number): Promise<Recovery> {
  const gateway = tui.gatewayPid();
  if (gateway === undefined) throw new Error('the TUI runs no gateway to kill');
  const killedAt = performance.now();
  process.kill(gateway, 'SIGKILL');
  await tui.waitForScreen('a recovering state', showsNotReady, screenTimeoutMs);
  const readyAt = await tui.waitForScreen('`● ready` again', showsReady, screenTimeoutMs);
  // The breadcrumb is written right after the state change that drew the screen: give it a moment.
  for (let waited = 0; ; waited += 10) {
    const log = world.crashLog(epochOf(killedAt) - 5).filter((entry) => entry.source === 'tui');
    const done = log.find((entry) => entry.event === 'recovery.done');
    if (done) {
      const field = (event: string, name: string) =>
        Number(log.find((entry) => entry.event === event)?.fields[name]);
      return {
        screenMs: readyAt - killedAt,
        backoffMs: field('recovery.attempt', 'delayMs'),
        breadcrumbMs: Number(done.fields.ms),
        gatewayMs: field('gateway.ready', 'ms'),
        kill,
      };
    }
    if (waited > 5000)
      throw new Error(
        'the TUI said `● ready` again but wrote no `recovery.done` breadcrumb within 5 s',
      );
    await delay(10);
  }
}

/** SIGKILL of the gateway → `● ready` again, over several TUIs. */
async function recoveryFigures(nodeStartMs: number): Promise<BenchResult[]> {
  const world = new TuiWorld();
  const recoveries: Recovery[] = [];
  try {
    for (let round = 0; round < recoveryTuis; round++) {
      const tui = world.startTui();
      await tui.waitForScreen('● ready', showsReady, screenTimeoutMs);
      for (let kill = 0; kill < killsPerTui; kill++) {
        await delay(killSpacingMs);
        recoveries.push(await killGatewayOnce(world, tui, kill));
      }
      await world.killAll();
    }
  } finally {
    await world.dispose();
  }
  const screen = recoveries.map((recovery) => recovery.screenMs);
  const net = recoveries.map((recovery) => recovery.screenMs - recovery.backoffMs);
  const first = recoveries
    .filter((recovery) => recovery.kill === 0)
    .map((recovery) => recovery.screenMs);
  const p50 = percentile(screen, 0.5);
  const kills = `${recoveries.length} kills, ${killsPerTui} per TUI`;
  return [
    {
      subject: 'lifeline TUI',
      case: `gateway SIGKILL → \`● ready\` again, p50, ${kills}, 2nd and 3rd after the planned backoff`,
      value: p50,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `gateway SIGKILL → \`● ready\` again, p99, ${kills}`,
      value: percentile(screen, 0.99),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `gateway SIGKILL → \`● ready\`, less the planned backoff, p50 vs goal of ${recoveryGoalMs} ms`,
      value: percentile(net, 0.5) / recoveryGoalMs,
      unit: 'x',
    },
    {
      subject: 'lifeline TUI',
      case: `gateway SIGKILL → \`● ready\`, first kill of each budget (no backoff), p50 of ${first.length}`,
      value: percentile(first, 0.5),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'gateway SIGKILL → `● ready`, less the planned backoff, p50',
      value: percentile(net, 0.5),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'gateway SIGKILL → `● ready`, less the planned backoff, p99',
      value: percentile(net, 0.99),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'planned backoff of the 2nd and 3rd kill of a budget, median',
      value: median(
        recoveries.filter((recovery) => recovery.kill > 0).map((recovery) => recovery.backoffMs),
      ),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: '`recovery.done ms=` breadcrumb, p50',
      value: percentile(
        recoveries.map((recovery) => recovery.breadcrumbMs),
        0.5,
      ),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: 'restarted gateway: spawn → ready frame (`gateway.ready ms=`), p50',
      value: percentile(
        recoveries.map((recovery) => recovery.gatewayMs),
        0.5,
      ),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: "gateway SIGKILL → `● ready`, first kill p50 vs node -e ''",
      value: percentile(first, 0.5) / nodeStartMs,
      unit: 'x',
    },
  ];
}

interface Flood {
  name: string;
  command: string;
  producer: string;
  /** Bytes it writes when it runs to the end; undefined for one that never ends. */
  bytes?: number;
  windowMs: number;
}

const floods: Flood[] = [
  {
    name: 'cat 100 MB mixed text',
    command: 'cat flood.txt',
    producer: 'cat',
    bytes: floodBytes,
    windowMs: floodWindowMs,
  },
  {
    name: 'yes | head -n 2000000',
    command: 'yes | head -n 2000000',
    producer: 'head',
    bytes: 2 * 2_000_000,
    windowMs: floodWindowMs,
  },
  // Never ends by itself: Ctrl+C after a few seconds, the measure of how fast a flood can be stopped.
  {
    name: `yes, Ctrl+C after ${interruptAfterMs / 1000} s`,
    command: 'yes',
    producer: 'yes',
    windowMs: interruptAfterMs,
  },
];

const floodTiming = { keyIntervalMs, keyGiveUpMs, settleQuietMs };

/** One flood in a fresh TUI; also counts the gateway restarts it caused. */
async function floodInTui(
  world: TuiWorld,
  flood: Flood,
): Promise<{ observation: FloodObservation; restarts: number }> {
  const tui = world.startTui();
  try {
    await tui.waitForScreen('● ready', showsReady, screenTimeoutMs);
    const host = world.hostPids()[0];
    const since = Date.now();
    const observation = await runFlood(tui, {
      ...flood,
      ...floodTiming,
      // The TUI draws only the newest lines of a flood: time the echo in the session's own output.
      echoSource: sessionLogEchoSource(() => world.sessionDirs().at(-1)),
      shellRoot: () => host,
      isDone: (screen) => screen.some((row) => runFooter.test(row)),
      memoryOf: () => ({ tui: tui.pid, gateway: tui.gatewayPid(), host }),
    });
    const restarts = world
      .crashLog(since)
      .filter((entry) => entry.source === 'tui' && entry.event === 'recovery.done').length;
    return { observation, restarts };
  } finally {
    await world.killAll();
  }
}

/** The same flood typed into a bare bash in a PTY, its prompt numbered so its return is seen. */
async function floodInBash(world: TuiWorld, flood: Flood): Promise<FloodObservation> {
  const bash: PtyScreen = world.startProgram('/bin/bash', ['--norc', '-i'], { PS1: 'peer-\\#$ ' });
  try {
    await bash.waitForScreen(
      'the bash prompt',
      (screen) => screen.some((row) => row.startsWith('peer-1$')),
      screenTimeoutMs,
    );
    return await runFlood(bash, {
      ...flood,
      ...floodTiming,
      echoSource: screenEchoSource(bash),
      shellRoot: () => bash.pid,
      // Not at the start of a row: the echo of a key typed during the flood may precede it.
      isDone: (screen) => screen.some((row) => row.includes('peer-2$')),
      memoryOf: () => ({}),
    });
  } finally {
    await world.killAll();
  }
}

/** Echo latencies of every key typed, a key never shown in time counting as the give-up time. */
function echoLatencies(observation: FloodObservation): number[] {
  return [
    ...observation.echo.latenciesMs,
    ...Array<number>(observation.echo.notShown).fill(keyGiveUpMs),
  ];
}

/**
 * Rows of one flood. `echoSeen` says where echoes were timed: on the screen (a bare terminal), or in
 * the session's output (the TUI, which draws only the newest lines of each frame of a flood).
 */
function floodRows(
  subject: string,
  flood: Flood,
  observation: FloodObservation,
  echoSeen: 'on screen' | 'in the session output' = 'on screen',
): BenchResult[] {
  const { echo } = observation;
  const name = flood.name;
  const latencies = echoLatencies(observation);
  const unshown = `echo timed ${echoSeen}; a key not echoed within ${keyGiveUpMs / 1000} s counts as ${keyGiveUpMs / 1000} s`;
  const rows: BenchResult[] = [
    {
      subject,
      case: `${name}: key echo latency p50 (${unshown})`,
      value: percentile(latencies, 0.5),
      unit: 'ms',
    },
    {
      subject,
      case: `${name}: key echo latency p90`,
      value: percentile(latencies, 0.9),
      unit: 'ms',
    },
    {
      subject,
      case: `${name}: key echo latency p99 (goal ≤ ${keyEchoGoalMs} ms)`,
      value: percentile(latencies, 0.99),
      unit: 'ms',
    },
    {
      subject,
      case: `${name}: keys typed (one every ${keyIntervalMs} ms while a probe key is free)`,
      value: echo.sent,
      unit: 'keys',
    },
    {
      subject,
      case: `${name}: keys whose echo was not seen ${echoSeen} within ${keyGiveUpMs / 1000} s`,
      value: echo.notShown,
      unit: 'keys',
    },
    {
      subject,
      case: `${name}: bytes through, Enter → screen settled`,
      value: observation.bytesWritten / 1e6 / (observation.settledMs / 1000),
      unit: 'MB/s',
    },
    {
      subject,
      case: `${name}: producer exit → screen settled (${settleQuietMs} ms quiet)`,
      value: observation.settleAfterEndMs,
      unit: 'ms',
    },
  ];
  if (flood.bytes !== undefined) {
    rows.push({
      subject,
      case: `${name}: share of it written within ${flood.windowMs / 1000} s`,
      value: observation.bytesWritten / flood.bytes,
      unit: 'x',
    });
  }
  if (observation.interrupted) {
    rows.push({
      subject,
      case: `${name}: Ctrl+C → command shown over`,
      value: observation.interruptToDoneMs,
      unit: 'ms',
    });
  }
  for (const [label, megabytes] of Object.entries(observation.peakRssMb)) {
    rows.push({
      subject,
      case: `${name}: peak RSS (VmHWM) of the ${label}${label === 'tui' ? ` (goal ≤ ${peakRssGoalMb} MB)` : ''}`,
      value: megabytes,
      unit: 'MB',
    });
  }
  return rows;
}

/** Key echo, memory, settle time and throughput during floods, beside a bare bash. */
async function floodFigures(): Promise<BenchResult[]> {
  const world = new TuiWorld();
  const rows: BenchResult[] = [];
  try {
    writeFloodFile(path.join(world.work, 'flood.txt'), floodBytes);
    for (const flood of floods) {
      const bare = await floodInBash(world, flood);
      const { observation: tui, restarts } = await floodInTui(world, flood);
      rows.push(
        ...floodRows('reference: bash in a PTY', flood, bare),
        ...floodRows('lifeline TUI', flood, tui, 'in the session output'),
      );
      const echoP99 = percentile(echoLatencies(tui), 0.99);
      const speed = (observation: FloodObservation) =>
        observation.bytesWritten / observation.settledMs;
      rows.push(
        {
          subject: 'lifeline TUI',
          case: `${flood.name}: gateway restarts during the flood`,
          value: restarts,
          unit: 'restarts',
        },
        {
          subject: 'lifeline TUI',
          case: `${flood.name}: key echo p99 vs goal of ${keyEchoGoalMs} ms`,
          value: echoP99 / keyEchoGoalMs,
          unit: 'x',
        },
        {
          subject: 'lifeline TUI',
          case: `${flood.name}: key echo p99 vs bare bash`,
          value: echoP99 / percentile(echoLatencies(bare), 0.99),
          unit: 'x',
        },
        {
          subject: 'lifeline TUI',
          case: `${flood.name}: bytes through vs bare bash`,
          value: speed(tui) / speed(bare),
          unit: 'x',
        },
        {
          subject: 'lifeline TUI',
          case: `${flood.name}: peak RSS of the TUI vs goal of ${peakRssGoalMb} MB`,
          value: (tui.peakRssMb.tui ?? Number.NaN) / peakRssGoalMb,
          unit: 'x',
        },
      );
      if (tui.interrupted) {
        rows.push({
          subject: 'lifeline TUI',
          case: `${flood.name}: Ctrl+C → \`✗ 130\` vs the key echo goal of ${keyEchoGoalMs} ms`,
          value: tui.interruptToDoneMs / keyEchoGoalMs,
          unit: 'x',
        });
      }
      if (tui.interrupted && bare.interrupted) {
        rows.push({
          subject: 'lifeline TUI',
          case: `${flood.name}: Ctrl+C → command shown over, vs bare bash`,
          value: tui.interruptToDoneMs / bare.interruptToDoneMs,
          unit: 'x',
        });
      }
    }
  } finally {
    await world.dispose();
  }
  return rows;
}

/** Keys typed at an idle prompt, one at a time, each erased again before the next. */
const promptKeys = 40;
/** The key typed: a letter neither the TUI's frame nor the prompts below show. */
const promptKey = 'Q';

/**
 * Milliseconds from each write of `keys` until the terminal has parsed a screen that shows all of
 * them, at an idle prompt: they are typed, seen, erased with Backspace and seen gone, then the
 * next follow after a pause, as a person types. Two keys in one write are what a fast typist's
 * terminal, a key that sends a sequence, or an input method's text gives the shell: it reads and
 * echoes them one at a time.
 */
async function echoAtPrompt(screen: PtyScreen, keys = promptKey): Promise<number[]> {
  const showsKeys = (rows: readonly string[]) => rows.some((row) => row.includes(keys));
  const showsAnyKey = (rows: readonly string[]) => rows.some((row) => row.includes(promptKey));
  if (showsAnyKey(screen.screen()))
    throw new Error(`the screen shows ${promptKey} before it is typed: pick another key`);
  const latencies: number[] = [];
  for (let key = 0; key < promptKeys; key += 1) {
    const sent = performance.now();
    screen.type(keys);
    latencies.push(
      (await screen.waitForScreen('the keys typed', showsKeys, screenTimeoutMs)) - sent,
    );
    screen.type('\x7f'.repeat(keys.length));
    await screen.waitForScreen('the keys erased', (rows) => !showsAnyKey(rows), screenTimeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return latencies;
}

/** Two keys sent in one write (see {@link echoAtPrompt}). */
const keyPair = promptKey.repeat(2);

/** Longest a key typed at an idle prompt should take to show, at the median. */
const promptEchoGoalMs = 25;

/**
 * Key echo at an idle prompt: the TUI (its session's bash) beside a bare bash in a PTY, the same
 * keys typed the same way (goal: p50 ≤ {@link promptEchoGoalMs}).
 */
async function promptEchoFigures(): Promise<BenchResult[]> {
  const world = new TuiWorld();
  try {
    const bash: PtyScreen = world.startProgram('/bin/bash', ['--norc', '-i'], { PS1: 'peer$ ' });
    let bare: number[];
    let barePairs: number[];
    try {
      await bash.waitForScreen(
        'the bash prompt',
        (screen) => screen.some((row) => row.startsWith('peer$')),
        screenTimeoutMs,
      );
      bare = await echoAtPrompt(bash);
      barePairs = await echoAtPrompt(bash, keyPair);
    } finally {
      await world.killAll();
    }
    const tui = world.startTui();
    let inTui: number[];
    let tuiPairs: number[];
    try {
      await tui.waitForScreen('● ready', showsReady, screenTimeoutMs);
      inTui = await echoAtPrompt(tui);
      tuiPairs = await echoAtPrompt(tui, keyPair);
    } finally {
      await world.killAll();
    }
    return [
      {
        subject: 'reference: bash in a PTY',
        case: 'key echo at the prompt p50',
        value: median(bare),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'key echo at the prompt p50',
        value: median(inTui),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'key echo at the prompt p99',
        value: percentile(inTui, 0.99),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'key echo at the prompt p50 vs bare bash',
        value: median(inTui) / median(bare),
        unit: 'x',
      },
      {
        subject: 'lifeline TUI',
        case: `key echo at the prompt p50 vs goal of ${promptEchoGoalMs} ms`,
        value: median(inTui) / promptEchoGoalMs,
        unit: 'x',
      },
      {
        subject: 'reference: bash in a PTY',
        case: 'two keys in one write: echo of both at the prompt p99',
        value: percentile(barePairs, 0.99),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'two keys in one write: echo of both at the prompt p50',
        value: median(tuiPairs),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'two keys in one write: echo of both at the prompt p99',
        value: percentile(tuiPairs, 0.99),
        unit: 'ms',
      },
      {
        subject: 'lifeline TUI',
        case: 'two keys in one write: echo of both p99 vs bare bash',
        value: percentile(tuiPairs, 0.99) / percentile(barePairs, 0.99),
        unit: 'x',
      },
    ];
  } finally {
    await world.dispose();
  }
}

const seqCommand = 'seq 1 2000000';
const seqRounds = 5;
const seqTimeoutMs = 120_000;

/** Milliseconds from Enter until `screen` shows {@link seqCommand} over (`isOver`). */
async function timeSeq(
  screen: PtyScreen,
  isOver: (screen: readonly string[]) => boolean,
): Promise<number> {
  const enter = performance.now();
  screen.type(`${seqCommand}\r`);
  const drawn = await screen.waitForScreen(`the end of ${seqCommand}`, isOver, seqTimeoutMs);
  return drawn - enter;
}

/** A shell's screen after the command: its last number, then the next prompt. */
function lastNumberThenPrompt(screen: readonly string[]): boolean {
  return screen.includes('2000000') && screen.some((row) => row.startsWith('peer-2$'));
}

/** A bare bash whose prompts are numbered, so that the one after the command is told apart. */
const numberedPrompt = { PS1: 'peer-\\#$ ' };

async function seqInBash(world: TuiWorld): Promise<number> {
  const bash = world.startProgram('/bin/bash', ['--norc', '-i'], numberedPrompt);
  try {
    await bash.waitForScreen(
      'the bash prompt',
      (screen) => screen.some((row) => row.startsWith('peer-1$')),
      screenTimeoutMs,
    );
    return await timeSeq(bash, lastNumberThenPrompt);
  } finally {
    await world.killAll();
  }
}

async function seqInTmux(world: TuiWorld, round: number): Promise<number> {
  const socket = `lifeline-bench-${process.pid}-${round}`;
  // The prompt is set in the command tmux runs (its sessions do not take it from the client).
  const tmux = world.startProgram('tmux', [
    '-L',
    socket,
    '-f',
    '/dev/null',
    'new-session',
    `PS1='${numberedPrompt.PS1}' bash --norc -i`,
  ]);
  try {
    await tmux.waitForScreen(
      'the bash prompt in tmux',
      (screen) => screen.some((row) => row.startsWith('peer-1$')),
      screenTimeoutMs,
    );
    return await timeSeq(tmux, lastNumberThenPrompt);
  } finally {
    await once(spawn('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' }), 'exit');
    removeTmuxSocket(process.env, socket);
    await world.killAll();
  }
}

interface SeqInTui {
  ms: number;
  peakRssMb: number;
  /** Keys typed into the command while it ran, and how long their echo took (when typed). */
  echo: KeyEchoResult | undefined;
}

/**
 * `seq 1 2000000` in a new TUI, timed from Enter until drawn; with `typing`, a key is typed into
 * it every so often and its echo timed (see {@link KeyEchoProbe}).
 */
async function seqInTui(world: TuiWorld, typing: boolean): Promise<SeqInTui> {
  const tui = world.startTui();
  try {
    await tui.waitForScreen('● ready', showsReady, screenTimeoutMs);
    const host = world.hostPids()[0];
    const enter = performance.now();
    tui.type(`${seqCommand}\r`);
    // The footer is printed after the run's last lines, in the same write.
    const over = tui.waitForScreen(
      `the end of ${seqCommand}`,
      (screen) => screen.some((row) => runFooter.test(row)),
      seqTimeoutMs,
    );
    if (!typing) {
      const drawn = await over;
      return { ms: drawn - enter, peakRssMb: peakRssMb(tui.pid), echo: undefined };
    }
    // Awaited below; this keeps a failure while the producer is looked for from going unhandled.
    over.catch(() => undefined);
    // A key every so often while it floods the screen, echoed by its terminal into the flood: timed
    // in the session's own output, as in the floods above.
    await findProducer(() => host, 'seq', screenTimeoutMs);
    const probe = new KeyEchoProbe(
      tui,
      sessionLogEchoSource(() => world.sessionDirs().at(-1)),
      keyIntervalMs,
      keyGiveUpMs,
    );
    probe.start();
    const drawn = await over;
    probe.stopTyping();
    for (
      const stopWaitingAt = performance.now() + keyGiveUpMs;
      probe.keysInFlight > 0 && performance.now() < stopWaitingAt;
    ) {
      await delay(10);
    }
    return { ms: drawn - enter, peakRssMb: peakRssMb(tui.pid), echo: probe.finish() };
  } finally {
    await world.killAll();
  }
}

/** Peak resident memory (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** `seq 1 2000000` in the TUI, in tmux and in a bare bash, round after round. */
async function seqFigures(): Promise<BenchResult[]> {
  const world = new TuiWorld();
  const times = {
    bash: [] as number[],
    tmux: [] as number[],
    tui: [] as number[],
    tuiTyping: [] as number[],
    tuiRss: [] as number[],
  };
  const echoes: KeyEchoResult[] = [];
  try {
    for (let round = 0; round < seqRounds; round += 1) {
      // Alternating order, so that drifting load meets every subject alike.
      const steps = [
        async () => times.bash.push(await seqInBash(world)),
        async () => times.tmux.push(await seqInTmux(world, round)),
        async () => {
          const tui = await seqInTui(world, false);
          times.tui.push(tui.ms);
          times.tuiRss.push(tui.peakRssMb);
        },
      ];
      for (const step of round % 2 === 0 ? steps : steps.reverse()) await step();
      const typed = await seqInTui(world, true);
      times.tuiTyping.push(typed.ms);
      times.tuiRss.push(typed.peakRssMb);
      if (typed.echo) echoes.push(typed.echo);
    }
  } finally {
    await world.dispose();
  }
  const what = `${seqCommand}: Enter → last number and the end drawn, median of ${seqRounds}`;
  const [bash, tmux, tui] = [median(times.bash), median(times.tmux), median(times.tui)];
  const latencies = echoes.flatMap((echo) => [
    ...echo.latenciesMs,
    ...Array<number>(echo.notShown).fill(keyGiveUpMs),
  ]);
  const echoP99 = percentile(latencies, 0.99);
  const peakRss = Math.max(...times.tuiRss);
  return [
    { subject: 'reference: bash in a PTY', case: what, value: bash, unit: 'ms' },
    { subject: 'reference: tmux in a PTY', case: what, value: tmux, unit: 'ms' },
    { subject: 'lifeline TUI', case: what, value: tui, unit: 'ms' },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: vs tmux (goal ≤ 1.0)`,
      value: tui / tmux,
      unit: 'x',
    },
    { subject: 'lifeline TUI', case: `${seqCommand}: vs bare bash`, value: tui / bash, unit: 'x' },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: Enter → the end drawn with a key typed every ${keyIntervalMs} ms and its echo read from the session's output, median of ${seqRounds}`,
      value: median(times.tuiTyping),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: key echo latency p99 while it runs (goal ≤ ${keyEchoGoalMs} ms)`,
      value: echoP99,
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: keys typed while it runs, one every ${keyIntervalMs} ms, in all ${seqRounds} rounds (echo timed in the session output; a key not echoed within ${keyGiveUpMs / 1000} s counts as ${keyGiveUpMs / 1000} s)`,
      value: latencies.length,
      unit: 'keys',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: key echo latency p50 while it runs`,
      value: percentile(latencies, 0.5),
      unit: 'ms',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: key echo p99 vs goal of ${keyEchoGoalMs} ms`,
      value: echoP99 / keyEchoGoalMs,
      unit: 'x',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: keys whose echo was not seen within ${keyGiveUpMs / 1000} s`,
      value: echoes.reduce((total, echo) => total + echo.notShown, 0),
      unit: 'keys',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: peak RSS (VmHWM) of the TUI, highest of ${2 * seqRounds} (goal ≤ ${peakRssGoalMb} MB)`,
      value: peakRss,
      unit: 'MB',
    },
    {
      subject: 'lifeline TUI',
      case: `${seqCommand}: peak RSS of the TUI vs goal of ${peakRssGoalMb} MB`,
      value: peakRss / peakRssGoalMb,
      unit: 'x',
    },
  ];
}

const suite: BenchSuite = {
  name: 'tui',
  description:
    'TUI: sanitiser and transcript line model throughput on 1 MiB (beside String indexOf and a control-character scan); the built TUI in a PTY: cold start (beside node -e and bash -i), gateway SIGKILL recovery, key echo, memory, settle time and throughput during floods (beside a bare bash), seq 1 2000000 beside tmux and a bare bash',
  async run() {
    const only = process.env.LIFELINE_BENCH_TUI_ONLY;
    if (only === 'cold-start') return (await coldStartFigures()).rows;
    if (only === 'floods') return floodFigures();
    if (only === 'seq') return seqFigures();
    if (only === 'prompt-echo') return promptEchoFigures();
    if (only !== undefined)
      throw new Error(
        `LIFELINE_BENCH_TUI_ONLY=${only}: the parts measured alone are cold-start, floods, seq and prompt-echo`,
      );
    // The processes are timed first: the sanitiser's figures, measured in this process, leave it a
    // heap whose collection competes with them for the machine's two cores (the cold start measured
    // 498 ms after them and 371 ms before them, in the same hour).
    const coldStart = await coldStartFigures();
    const recovery = await recoveryFigures(coldStart.nodeStartMs);
    const flood = await floodFigures();
    const seq = await seqFigures();
    const promptEcho = await promptEchoFigures();
    const output = terminalOutputFigures();
    return [...output, ...coldStart.rows, ...recovery, ...flood, ...seq, ...promptEcho];
  },
};

export default suite;
