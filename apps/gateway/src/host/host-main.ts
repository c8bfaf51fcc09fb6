import path from 'node:path';
import {
  CleanupRegistry,
  createCrashLogger,
  defaultCrashLogPath,
  installProcessHooks,
  resolveStateDirectory,
} from '@lifeline/crash-log';
import { parseSessionId, stateLayout, type SessionEvent } from '@lifeline/protocol';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { readLastEvent } from '../event-log/event-log-reader.js';
import { EventLogWriter } from '../event-log/event-log-writer.js';
import { lostSeqNotes, UnwrittenSeqMark } from '../event-log/unwritten-seq-mark.js';
import { SpaceWaitingLog } from '../event-log/space-waiting-log.js';
import { readSessionRecord, WRITER_LOCK_FILE } from '../state/session-record.js';
import { diskFullCodes, hasErrno } from '../errno.js';
import { ensureHostSecret, UntrustedHostSecretError } from '../state/host-secret.js';
import { saveRecordWhereWritable } from '../state/record-saving.js';
import { UNSAFE_STATE_EXIT_CODE, unsafeStateDirectory } from '../state/private-directory.js';
import { acquireWriterLockAfterUpkeep } from '../state/writer-lock.js';
import { watchSessionDirectory } from './directory-watch.js';
import { serveHost } from './host-server.js';
import { IdleCollection } from './idle-collection.js';
import { SessionHost } from './session-host.js';
import { saveScript, startShell } from './shell-launch.js';

/**
 * When a host collects its garbage: 6 s after the session went idle, and every 10 s while things
 * keep happening in it (a full collection of a host's heap takes a few milliseconds). V8 gives
 * back the young generation's pages only in a collection that finds the allocation rate of the
 * last 5 s low: collected a second after a burst of runs, an idle host kept them until V8's own
 * memory reducer came by, if it did (measured after 340 runs: 50.8 MB for as long as it stayed
 * idle in 4 of 5 hosts, 48.7 MB when the reducer ran).
 */
const COLLECTION_TIMING = { idleMs: 6000, busyMs: 10_000 };

/** Exit code of a host that found another live host for its session. */
export const HOST_ALREADY_RUNNING_EXIT_CODE = 3;

/** Exit code of a host that refuses to start because its session's event log is damaged. */
export const HOST_LOG_DAMAGED_EXIT_CODE = 7;

/** The session's log opened for writing with its last event, or the damage that prevents it. */
function openLog(
  sessionDir: string,
): { previousEvent: SessionEvent | undefined; writer: EventLogWriter } | EventLogDamagedError {
  try {
    const previousEvent = readLastEvent(sessionDir);
    return { previousEvent, writer: EventLogWriter.open(sessionDir) };
  } catch (error) {
    if (error instanceof EventLogDamagedError) return error;
    throw error;
  }
}

/** Exit code of a host that has no secret it can prove itself with (untrusted file, no room). */
export const HOST_SECRET_UNUSABLE_EXIT_CODE = 8;

/** The session's host secret, or why there is none to use. */
function hostSecret(sessionDir: string): Buffer | Error {
  try {
    return ensureHostSecret(sessionDir);
  } catch (error) {
    if (error instanceof UntrustedHostSecretError) return error;
    if (hasErrno(error, ...diskFullCodes)) {
      return new Error(`no room to save the session's secret in ${sessionDir}; free some space`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The session host process (`node dist/host/host.cjs <sid>`): takes the session's writer lock,
 * starts the shell, serves gateways on the session socket, and exits when the shell does.
 */
export async function runHostProcess(
  sidArgument: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const sid = parseSessionId(sidArgument);
  const stateDir = resolveStateDirectory(env);
  const sessionDir = stateLayout.sessionDir(stateDir, sid);
  const refusal = unsafeStateDirectory(stateDir);
  if (refusal) {
    process.stderr.write(`${refusal.message}\n`);
    process.exitCode = UNSAFE_STATE_EXIT_CODE;
    return;
  }
  const logger = createCrashLogger({ source: `host:${sid}`, path: defaultCrashLogPath(env), env });
  const breadcrumb = (
    event: string,
    fields?: Record<string, string | number | boolean | null | undefined>,
  ) => {
    logger.breadcrumb(event, fields);
  };
  const lock = await acquireWriterLockAfterUpkeep(path.join(sessionDir, WRITER_LOCK_FILE));
  if (!lock.acquired) {
    breadcrumb('host.refused', { reason: 'another host runs this session', holder: lock.heldBy });
    process.stderr.write(
      `session ${sid} already has a live host (pid ${lock.heldBy}); connect to it instead\n`,
    );
    process.exitCode = HOST_ALREADY_RUNNING_EXIT_CODE;
    return;
  }
  // One line, the last of its stderr: what the gateway passes on to the client.
  const refuse = (reason: string, exitCode: number) => {
    breadcrumb('host.refused', { reason });
    process.stderr.write(`the session cannot start: ${reason}\n`);
    lock.release();
    process.exitCode = exitCode;
  };
  const opened = openLog(sessionDir);
  if (opened instanceof EventLogDamagedError) {
    refuse(opened.message, HOST_LOG_DAMAGED_EXIT_CODE);
    return;
  }
  // Before the shell starts: a host that cannot prove who it is would serve no gateway.
  const secret = hostSecret(sessionDir);
  if (secret instanceof Error) {
    refuse(secret.message, HOST_SECRET_UNUSABLE_EXIT_CODE);
    return;
  }
  const cleanups = new CleanupRegistry();
  const hooks = installProcessHooks({ logger, cleanups, graceMs: 1000 });
  const record = readSessionRecord(sessionDir);
  // A full disk does not end the session: the log holds events until there is room again.
  const { previousEvent, writer } = opened;
  // What a host that died held in memory, unwritten, has seqs clients may have seen.
  const unwritten = UnwrittenSeqMark.read(sessionDir);
  const mark = UnwrittenSeqMark.open(sessionDir);
  const log = new SpaceWaitingLog(writer, {
    announce: (event) => {
      host.announce(event);
    },
    mark,
  });
  const retryTimer = setInterval(() => {
    log.retry();
  }, 1000).unref();
  // Node gives the host `gc` (see HOST_NODE_OPTIONS): an idle session gives its runs' garbage back.
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: each collection that finds the allocation rate low halves the young generation, and
  // only the second brings it down to what an idle host needs (measured: 50.8, 49.8, 48.7 MB).
  const idleCollection =
    gc === undefined
      ? undefined
      : new IdleCollection(COLLECTION_TIMING, () => {
          gc();
          gc();
        });
  const host = new SessionHost({
    record,
    log,
    previousEvent,
    startShell: () => startShell(record, sessionDir, env),
    saveScript: (text) => saveScript(sessionDir, text),
    saveRecord: (updated) => saveRecordWhereWritable(sessionDir, updated, breadcrumb),
    breadcrumb,
    ...(idleCollection === undefined ? {} : { activity: () => idleCollection.activity() }),
  });
  // Those seqs are taken up before anything else is appended, so no event reuses one.
  for (const payload of lostSeqNotes(log.lastSeq, unwritten)) log.appendRecorded(payload);
  host.start(process.pid);
  breadcrumb('host.start', { pid: process.pid, cwd: record.cwd, shell: record.shell });
  const server = await serveHost(host, record.socketPath, secret, breadcrumb);
  breadcrumb('host.ready', { socket: record.socketPath });
  // A session whose directory was removed under it ends, its shell hung up as a terminal closing
  // would: nothing could reach it or read what it does any more.
  const stopWatch = watchSessionDirectory(sessionDir, () => {
    breadcrumb('host.directory-removed', { dir: sessionDir });
    host.end(
      `the session's directory ${sessionDir} was removed, its log with it: the session ends, its shell hung up`,
    );
  });
  let teardown: Promise<void> | undefined;
  const tearDown = () =>
    (teardown ??= (async () => {
      stopWatch();
      await server.close();
      clearInterval(retryTimer);
      idleCollection?.close();
      log.close();
      mark.close();
      lock.release();
    })());
  cleanups.add('shell', async () => {
    host.close();
    await host.exited;
    await tearDown();
  });
  const exit = await host.exited;
  await tearDown();
  breadcrumb('host.exit', { code: exit.code, signal: exit.signal });
  if (!hooks.shuttingDown) hooks.exit(0, 'shell exited');
}
