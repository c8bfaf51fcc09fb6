import fs from 'node:fs';
import path from 'node:path';
import { gatewayCliPath } from '@lifeline/gateway';
import { stateLayout, type SessionEvent } from '@lifeline/protocol';
import { createDisplayLines } from '../../../../apps/tui/src/session/display-lines.js';
import { createEmulatedScreen } from '../../../../apps/tui/src/terminal/emulated-screen.js';
import {
  TranscriptFold,
  type TranscriptSnapshot,
} from '../../../../apps/tui/src/session/transcript-fold.js';
import { CallTracker } from './call-tracker.js';
import { ChaosClient } from './chaos-client.js';
import { compareDelivery, type DeliveryCounts } from './delivery.js';
import { fixturePath, type Fault } from './faults.js';
import { finishIteration } from './finish-iteration.js';
import type { IterationPlace } from './iteration-place.js';
import type { ScenarioOutcome } from './outcome.js';
import { signalProcess } from './process-census.js';
import { readDiskLog, type DiskLog } from './session-log.js';
import { delay, waitUntil } from './wait.js';

/** One iteration: which fault, when, and how much output is streaming. */
export interface FaultIterationPlan {
  readonly fault: Fault;
  /** Milliseconds between the start of the streaming command and the fault. */
  readonly faultAfterMs: number;
  /** Lines the streaming command prints. */
  readonly rows: number;
}

/** The command a user types after the shell died, which starts a new host. */
const followUpCommand = 'echo "a new shell"';

/** A command that streams `rows` lines, pausing 20 ms every 100, so a fault can land mid-stream. */
export function streamingCommand(rows: number): string {
  return `for i in $(seq 1 ${rows}); do echo "row $i"; if [ $((i % 100)) -eq 0 ]; then sleep 0.02; fi; done`;
}

/** A step that did not happen: the iteration stops there and counts it. */
class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

/**
 * Runs one chaos iteration: a new session streams output through the headless TUI, the fault
 * lands at the planned moment, recovery follows (for a dead host: the user's next command starts
 * a new one), and once everything has settled what the client folded is compared with the log on
 * disk, event by event and as the transcript it makes. The session is then closed and every
 * process of the iteration must be gone.
 */
export async function runFaultIteration(
  plan: FaultIterationPlan,
  place: IterationPlace,
): Promise<ScenarioOutcome> {
  const startedAt = performance.now();
  const { fault } = plan;
  const tracker = new CallTracker();
  const client = new ChaosClient({
    env: place.env,
    cwd: place.work,
    tracker,
    ...(fault.fixture
      ? {
          gateway: {
            command: process.execPath,
            args: [fixturePath(fault.fixture), gatewayCliPath()],
          },
        }
      : {}),
    ...(fault.heartbeatMs === undefined ? {} : { heartbeatMs: fault.heartbeatMs }),
  });
  const failedChecks: string[] = [];
  const notes: string[] = [];
  let lost = 0;
  let duplicatesApplied = 0;
  let duplicatesDelivered = 0;
  let eventsChecked = 0;
  let recoveryMs: number | undefined;
  let faultMidStream: boolean | undefined;
  try {
    client.start();
    if (
      !(await waitUntil(
        () =>
          client.snapshot.connection.status === 'live' && client.controller.sessionId !== undefined,
        30_000,
      ))
    ) {
      throw new StepFailed(
        `the first gateway never served a session (state: ${client.snapshot.connection.status})`,
      );
    }
    const sid = client.controller.sessionId ?? '';
    const sessionDir = stateLayout.sessionDir(place.stateDir, sid);
    if (!(await tracker.track('run', client.controller.run(streamingCommand(plan.rows))))) {
      throw new StepFailed(
        `the streaming command did not start: ${client.snapshot.message?.text ?? ''}`,
      );
    }
    await delay(plan.faultAfterMs);
    faultMidStream = completionOf(readDiskLog(sessionDir).events, 0) === undefined;
    let lastRun: number;
    if (fault.target === 'gateway') {
      recoveryMs = await injectIntoGateway(client, fault, failedChecks);
      lastRun = 0;
    } else {
      recoveryMs = await injectIntoHost(client, tracker, sessionDir);
      lastRun = 1;
    }
    const runEnd = await waitForLog(sessionDir, (log) => completionOf(log.events, lastRun), 60_000);
    if (runEnd === undefined) throw new StepFailed(`run ${lastRun + 1} never completed in the log`);
    if (runEnd.type === 'run_complete' && runEnd.exitCode !== 0)
      failedChecks.push(`run ${lastRun + 1} exited with ${runEnd.exitCode}, expected 0`);
    if (runEnd.type === 'host_exit')
      failedChecks.push(`the shell died during run ${lastRun + 1}, which nothing killed`);

    let comparison = await compareWithLog(client, sid, sessionDir);
    for (
      let attempt = 1;
      attempt < 3 && comparison.lost === 0 && !comparison.transcriptMatches;
      attempt += 1
    ) {
      // A snapshot taken while an event was being published is not a mismatch: compare once more.
      await delay(100);
      if (client.snapshot.transcript.version === comparison.version) break;
      comparison = await compareWithLog(client, sid, sessionDir);
    }
    ({ lost, duplicatesApplied, duplicatesDelivered, eventsChecked } = comparison);
    failedChecks.push(...comparison.logProblems);
    if (lost > 0)
      notes.push(
        `${lost} events on disk never reached the transcript (client at seq ${comparison.lastSeq}, log at ${comparison.comparedThrough})`,
      );
    if (duplicatesApplied > 0) notes.push(`${duplicatesApplied} events applied twice`);
    if (lost === 0 && !comparison.transcriptMatches)
      failedChecks.push('the transcript differs from the one the on-disk log makes');
  } catch (error) {
    failedChecks.push(error instanceof Error ? error.message : String(error));
  }
  const end = await finishIteration(client, tracker, place.tag);
  return {
    scenario: fault.name,
    counts: {
      lost,
      duplicatesApplied,
      unsettledCalls: end.unsettled.length,
      hangingProcesses: end.hanging.length,
      orphans: end.orphans.length,
      failedChecks: failedChecks.length + end.failedChecks.length,
    },
    duplicatesDelivered,
    eventsChecked,
    faultMidStream,
    recoveryMs,
    gatewaySpawns: client.spawns.length,
    wallMs: performance.now() - startedAt,
    failures: [...notes, ...failedChecks, ...end.details],
    keptDirectory: undefined,
  };
}

/**
 * Sends the fault's signal to the gateway and waits for the client to be live on a new one.
 * @returns milliseconds from the signal to live again
 */
async function injectIntoGateway(
  client: ChaosClient,
  fault: Fault,
  failedChecks: string[],
): Promise<number> {
  const before = client.snapshot.connection;
  const generation = before.status === 'live' ? before.generation : -1;
  const pid = client.link?.pid;
  if (pid === undefined) throw new StepFailed('no gateway pid to signal');
  const signalledAt = performance.now();
  if (!signalProcess(pid, fault.signal))
    throw new StepFailed(`the gateway (pid ${pid}) was gone before ${fault.signal}`);
  const recovered = await waitUntil(() => {
    const state = client.snapshot.connection;
    return state.status === 'live' && state.generation > generation;
  }, 30_000);
  if (!recovered)
    throw new StepFailed(
      `no recovery within 30 s after ${fault.what} (state: ${client.snapshot.connection.status})`,
    );
  const recoveryMs = performance.now() - signalledAt;
  await waitUntil(() => client.gatewayExit(pid) !== undefined, 10_000);
  const exit = client.gatewayExit(pid);
  const problem = fault.checkEnd?.({
    code: exit?.fields.code as number | null | undefined,
    signal: exit?.fields.signal as string | null | undefined,
    killReason: client.killReason(pid),
  });
  if (problem !== undefined) failedChecks.push(problem);
  return recoveryMs;
}

/**
 * SIGKILLs the session's host; once the client shows the shell's exit, runs the next command as a
 * user would, which starts a new host.
 * @returns milliseconds from the kill to the new host's start in the client's transcript
 */
async function injectIntoHost(
  client: ChaosClient,
  tracker: CallTracker,
  sessionDir: string,
): Promise<number> {
  const hostPid = Number.parseInt(readText(path.join(sessionDir, 'host.lock')), 10);
  if (!Number.isInteger(hostPid) || hostPid <= 0)
    throw new StepFailed('the session has no host pid in its lock');
  const killedAt = performance.now();
  if (!signalProcess(hostPid, 'SIGKILL'))
    throw new StepFailed(`the host (pid ${hostPid}) was gone before SIGKILL`);
  const hostExit = await waitForLog(
    sessionDir,
    (log) => log.events.find((event) => event.type === 'host_exit'),
    30_000,
  );
  if (hostExit === undefined) throw new StepFailed('the log never recorded the killed host exit');
  if (!(await waitUntil(() => client.snapshot.transcript.lastSeq >= hostExit.seq, 30_000))) {
    throw new StepFailed(`the client never showed the host exit (seq ${hostExit.seq})`);
  }
  if (!(await tracker.track('run', client.controller.run(followUpCommand)))) {
    throw new StepFailed(
      `the command after the host exit did not start: ${client.snapshot.message?.text ?? ''}`,
    );
  }
  const hostStart = await waitForLog(
    sessionDir,
    (log) => log.events.find((event) => event.type === 'host_start' && event.seq > hostExit.seq),
    30_000,
  );
  if (hostStart === undefined) throw new StepFailed('no new host started after the command');
  if (hostStart.type === 'host_start' && hostStart.pid === hostPid)
    throw new StepFailed('the new host has the pid of the killed one');
  if (!(await waitUntil(() => client.snapshot.transcript.lastSeq >= hostStart.seq, 30_000))) {
    throw new StepFailed('the client never showed the new host');
  }
  return performance.now() - killedAt;
}

/** What the client folded, next to the log on disk. */
interface LogComparison extends DeliveryCounts {
  readonly eventsChecked: number;
  /** The client's last folded seq and transcript version when compared. */
  readonly lastSeq: number;
  readonly version: number;
  /** The last seq of the log the comparison covers. */
  readonly comparedThrough: number;
  /** Whether the client's transcript is the one a fresh fold of the log makes. */
  readonly transcriptMatches: boolean;
  readonly logProblems: readonly string[];
}

/**
 * Waits until the client has caught up with the log and settled, then compares, event by event
 * (delivered, folded) and as a whole (the transcript).
 */
async function compareWithLog(
  client: ChaosClient,
  sid: string,
  sessionDir: string,
): Promise<LogComparison> {
  const settled = await waitForSettled(client, sessionDir);
  const snapshot = client.snapshot.transcript;
  const disk = readDiskLog(sessionDir);
  const comparedThrough = Math.max(snapshot.lastSeq, settled.diskLastSeq);
  const compared = disk.events.filter((event) => event.seq <= comparedThrough);
  const delivery = compareDelivery({
    diskSeqs: compared.map((event) => event.seq),
    deliveredSeqs: client.deliveredSeqs(sid),
    folded: { lastSeq: snapshot.lastSeq, applied: snapshot.version },
  });
  return {
    ...delivery,
    eventsChecked: compared.length,
    lastSeq: snapshot.lastSeq,
    version: snapshot.version,
    comparedThrough,
    transcriptMatches: sameTranscript(snapshot, foldLog(sid, compared)),
    logProblems: disk.problems,
  };
}

/** The `run_complete` of the `index`th run (from 0), or the `host_exit` that ended it. */
function completionOf(events: readonly SessionEvent[], index: number): SessionEvent | undefined {
  const start = events.filter((event) => event.type === 'run_start')[index];
  if (start?.type !== 'run_start') return undefined;
  return events.find(
    (event) =>
      event.seq > start.seq &&
      ((event.type === 'run_complete' && event.runId === start.runId) ||
        event.type === 'host_exit'),
  );
}

async function waitForLog<T>(
  sessionDir: string,
  find: (log: DiskLog) => T | undefined,
  timeoutMs: number,
): Promise<T | undefined> {
  let found: T | undefined;
  await waitUntil(() => (found = find(readDiskLog(sessionDir))) !== undefined, timeoutMs, 50);
  return found;
}

/**
 * Waits until the client has folded every event the log held and nothing new has come for 200 ms
 * (the shell is idle after its run, so the transcript stops changing).
 * @returns the last seq of the log the client caught up with
 */
async function waitForSettled(
  client: ChaosClient,
  sessionDir: string,
): Promise<{ diskLastSeq: number }> {
  let diskLastSeq = -1;
  let lastVersion = -1;
  let quietSince = performance.now();
  await waitUntil(
    () => {
      diskLastSeq = readDiskLog(sessionDir).events.at(-1)?.seq ?? -1;
      const transcript = client.snapshot.transcript;
      if (transcript.version !== lastVersion) {
        lastVersion = transcript.version;
        quietSince = performance.now();
      }
      return transcript.lastSeq >= diskLastSeq && performance.now() - quietSince >= 200;
    },
    20_000,
    50,
  );
  return { diskLastSeq };
}

/** The transcript a fresh fold makes of these events. */
function foldLog(sid: string, events: readonly SessionEvent[]): TranscriptSnapshot {
  // The fold's own bounds, as the client's (the TUI's defaults): a transcript bounded otherwise
  // would differ from the client's in what it left out, not in what it got.
  const fold = new TranscriptFold({
    sid,
    createLines: createDisplayLines,
    createRunLines: createEmulatedScreen,
  });
  for (const event of events) fold.apply(event);
  return fold.snapshot();
}

function sameTranscript(client: TranscriptSnapshot, reference: TranscriptSnapshot): boolean {
  const shape = (snapshot: TranscriptSnapshot) =>
    JSON.stringify({
      lastSeq: snapshot.lastSeq,
      version: snapshot.version,
      blocks: snapshot.blocks,
      droppedBlocks: snapshot.droppedBlocks,
      live: snapshot.live,
      hostLive: snapshot.hostLive,
      cwd: snapshot.cwd,
      history: snapshot.history,
    });
  return shape(client) === shape(reference);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
