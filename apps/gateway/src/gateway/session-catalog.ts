import fs from 'node:fs';
import path from 'node:path';
import {
  isSessionId,
  LifelineErrorCode,
  stateLayout,
  type SessionEvent,
  type SessionId,
  type SessionSummary,
} from '@lifeline/protocol';
import { RpcError, RpcErrorCode } from '@lifeline/rpc';
import { errnoCode, hasErrno } from '../errno.js';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { readLastEvent } from '../event-log/event-log-reader.js';
import { EventLogWriter } from '../event-log/event-log-writer.js';
import { ACTIVE_SEGMENT_FILE, INDEX_FILE } from '../event-log/segment-files.js';
import { lostSeqNotes, UnwrittenSeqMark } from '../event-log/unwritten-seq-mark.js';
import { createSessionFiles, firstFreeName, type NewSession } from '../state/new-session.js';
import {
  readSessionRecord,
  SESSION_RECORD_FILE,
  writeSessionRecord,
  WRITER_LOCK_FILE,
  type SessionRecord,
} from '../state/session-record.js';
import {
  acquireWriterLock,
  acquireWriterLockAfterUpkeep,
  liveLockHolder,
} from '../state/writer-lock.js';
import { readLastAttach } from '../state/last-attach.js';
import { isDirectory } from '../is-directory.js';

/** How long after its creation a session that has logged nothing may still be starting its host. */
const HOST_START_MS = 30_000;

/**
 * The sessions in a state directory, as files: records, logs and locks. Everything here is safe
 * to do from any number of gateways at once; only a session's writer (its host, or whoever holds
 * its lock when the host is gone) appends to its log.
 */

export class SessionCatalog {
  /** Records read before, by sid, with the file's mtime: re-read only when the file changed. */
  private readonly records = new Map<string, { record: SessionRecord; version: string }>();

  constructor(readonly stateDir: string) {}

  sessionDir(sid: string): string {
    return stateLayout.sessionDir(this.stateDir, sid);
  }

  /** Creates the directory and record of a new session. */
  create(request: NewSession, now = new Date()): SessionRecord {
    return createSessionFiles(this.stateDir, request, now);
  }

  /** Deletes a session that never started (its host could not be), with its directory. */
  remove(sid: string): void {
    fs.rmSync(this.sessionDir(sid), { recursive: true, force: true });
  }

  /**
   * The record of an existing session.
   * @throws RpcError `SessionNotFound` naming the sid
   */
  record(sid: string): SessionRecord {
    const sessionDir = this.sessionDir(sid);
    let version: string | undefined;
    try {
      // Each write replaces the file: two within one tick of the clock still differ in inode or size.
      const stat = isSessionId(sid)
        ? fs.statSync(path.join(sessionDir, SESSION_RECORD_FILE))
        : undefined;
      version = stat === undefined ? undefined : `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch (error) {
      // Only a record that is not there means no session: any other failure (EMFILE) is thrown.
      if (!hasErrno(error, 'ENOENT', 'ENOTDIR')) throw error;
      version = undefined;
    }
    if (version === undefined) {
      this.records.delete(sid);
      throw new RpcError(
        LifelineErrorCode.SessionNotFound,
        `no session ${sid} in ${this.stateDir}; \`lifeline sessions\` lists them`,
        {
          data: { sid },
        },
      );
    }
    const cached = this.records.get(sid);
    if (cached?.version === version) return cached.record;
    const record = readSessionRecord(sessionDir);
    this.records.set(sid, { record, version });
    return record;
  }

  /** Pid of the session's live host, if it has one. */
  liveHostPid(sid: string): number | undefined {
    return liveLockHolder(path.join(this.sessionDir(sid), WRITER_LOCK_FILE));
  }

  /**
   * Every session, newest first. Unreadable directories are skipped, not fatal; a session whose log
   * is damaged is listed from its record (`lastSeq` -1), and attaching to it says what is wrong.
   * @param onlySid list this session alone (no other session's files are read)
   */
  list(onlySid?: string): SessionSummary[] {
    return this.readEach((sid) => this.listedSummary(sid), onlySid);
  }

  /**
   * A name for a session given none: `base`, else `base-2`, `base-3`… that no other live or
   * starting session has. (Choose it under `withNamingLock`.)
   */
  freeName(base: string, exceptSid?: string): string {
    return firstFreeName(base, new Set(this.namedRecords(exceptSid).map((record) => record.name)));
  }

  /**
   * The live or starting session other than `exceptSid` named `name`, if any: a name leads `-s`
   * and `--resume` to one live session (ended ones keep theirs; the live one is the one meant).
   */
  holderOfName(name: string, exceptSid?: string): SessionRecord | undefined {
    return this.namedRecords(exceptSid).find((record) => record.name === name);
  }

  /**
   * The records of the sessions other than `exceptSid` whose names are in use: live ones, and
   * those whose first host may still be starting (created a moment ago, log never opened). A host
   * opens the log before it serves anyone, so one closed at once, with nothing logged, has ended.
   */
  private namedRecords(exceptSid?: string): SessionRecord[] {
    const now = Date.now();
    return this.readEach((sid) => {
      if (sid === exceptSid) return undefined;
      const record = this.record(sid);
      if (this.liveHostPid(sid) !== undefined) return record;
      const starting =
        now - Date.parse(record.createdAt) < HOST_START_MS &&
        !fs.existsSync(path.join(this.sessionDir(sid), INDEX_FILE));
      return starting ? record : undefined;
    });
  }

  /** What `read` gives for each session (`onlySid` alone, if given), newest first, leaving out undefined. */
  private readEach<T>(read: (sid: string) => T | undefined, onlySid?: string): T[] {
    let names: string[];
    try {
      // One session is looked up by its directory, without listing the others.
      names =
        onlySid === undefined ? fs.readdirSync(stateLayout.sessionsDir(this.stateDir)) : [onlySid];
    } catch (error) {
      if (hasErrno(error, 'ENOENT')) return [];
      throw error;
    }
    const found: T[] = [];
    const listed = names.filter(isSessionId);
    for (const name of listed.sort().reverse()) {
      try {
        const value = read(name);
        if (value !== undefined) found.push(value);
      } catch (error) {
        // A half-created session directory (no record yet) or a record that is not one is left
        // out; a failure to read (no file descriptor left) fails the listing rather than shorten it.
        if (errnoCode(error) !== undefined && !hasErrno(error, 'ENOENT')) throw error;
        if (RpcError.isInstance(error) && error.code !== LifelineErrorCode.SessionNotFound)
          throw error;
      }
    }
    return found;
  }

  /**
   * What the files say about a session.
   * @throws EventLogDamagedError when its log cannot be read
   */
  summary(sid: string): SessionSummary {
    return this.summarize(this.record(sid), readLastEvent(this.sessionDir(sid)));
  }

  private listedSummary(sid: string): SessionSummary {
    const record = this.record(sid);
    try {
      return this.summarize(record, readLastEvent(this.sessionDir(sid)));
    } catch (error) {
      if (!(error instanceof EventLogDamagedError)) throw error;
      // No last event to date it: its log's last write does, so that a session used a moment ago
      // is not taken for one idle since it was created (and pruned as such).
      return this.summarize(
        record,
        undefined,
        lastWriteMs(path.join(this.sessionDir(sid), ACTIVE_SEGMENT_FILE)),
      );
    }
  }

  private summarize(
    record: SessionRecord,
    last: SessionEvent | undefined,
    lastActivityMs?: number,
  ): SessionSummary {
    const hostPid = this.liveHostPid(record.sid);
    const lastAttachedAt = readLastAttach(this.sessionDir(record.sid));
    return {
      sid: record.sid,
      name: record.name,
      status: hostPid === undefined ? 'ended' : 'live',
      cwd: record.cwd,
      shell: record.shell,
      createdAt: record.createdAt,
      lastActivityAt: new Date(
        last?.time ?? lastActivityMs ?? Date.parse(record.createdAt),
      ).toISOString(),
      ...(lastAttachedAt === undefined ? {} : { lastAttachedAt }),
      ...(record.lastCommand === undefined ? {} : { lastCommand: record.lastCommand }),
      lastSeq: last?.seq ?? -1,
      // The mode of its last host tells how to read the log, whether a host lives or not.
      ...(record.completionMode === undefined ? {} : { completionMode: record.completionMode }),
      size: { cols: record.cols, rows: record.rows },
      ...(hostPid === undefined ? {} : liveFields(record, hostPid)),
    };
  }

  /**
   * Closes the log of a session whose host died without a trace: records a note saying why and
   * `host_exit`, unless the log already ends with one, and removes its stale socket. Does nothing while a live
   * host holds the session, or another process holds its lock for upkeep.
   * @returns true when it recorded the exit
   * @throws EventLogDamagedError when its log cannot be read
   */
  recordLostHost(sid: SessionId | string, reason: string): boolean {
    const sessionDir = this.sessionDir(sid);
    const lock = acquireWriterLock(path.join(sessionDir, WRITER_LOCK_FILE), { upkeep: true });
    return lock.acquired && closeLostHostLog(sessionDir, reason, lock.release);
  }

  /**
   * {@link recordLostHost}, waiting while another process holds the session's lock for upkeep
   * (another gateway recording the same exit, up to two seconds): once it settles, the exit is on
   * disk whoever recorded it, and what reads the log next sees it.
   * @returns true when it recorded the exit
   * @throws EventLogDamagedError when its log cannot be read
   */
  async recordLostHostAfterUpkeep(sid: SessionId | string, reason: string): Promise<boolean> {
    const sessionDir = this.sessionDir(sid);
    const lock = await acquireWriterLockAfterUpkeep(path.join(sessionDir, WRITER_LOCK_FILE), {
      upkeep: true,
    });
    return lock.acquired && closeLostHostLog(sessionDir, reason, lock.release);
  }

  /**
   * Renames a session no host runs, in its record, holding its writer lock meanwhile.
   * @returns false when a host holds the session: then the host must rename it
   */
  renameEnded(sid: string, name: string): boolean {
    const sessionDir = this.sessionDir(sid);
    const lock = acquireWriterLock(path.join(sessionDir, WRITER_LOCK_FILE), { upkeep: true });
    if (!lock.acquired) return false;
    try {
      writeSessionRecord(sessionDir, { ...readSessionRecord(sessionDir), name });
      return true;
    } finally {
      lock.release();
    }
  }

  /**
   * Takes a session no host runs out of a directory that no longer exists, into `home`, where its
   * next shell starts (as it would anyway), holding its writer lock meanwhile.
   * @returns the directory it left and the one it is in now; undefined when that is there, or a
   *   host holds the session
   */
  leaveGoneDirectory(sid: string, home: string): { left: string; now: string } | undefined {
    const sessionDir = this.sessionDir(sid);
    const lock = acquireWriterLock(path.join(sessionDir, WRITER_LOCK_FILE), { upkeep: true });
    if (!lock.acquired) return undefined;
    try {
      const record = readSessionRecord(sessionDir);
      if (isDirectory(record.cwd)) return undefined;
      const now = record.env.HOME ?? home;
      writeSessionRecord(sessionDir, { ...record, cwd: now });
      return { left: record.cwd, now };
    } finally {
      lock.release();
    }
  }

  /**
   * Deletes ended sessions whose last activity is older than `olderThanMs`.
   * @returns the sids deleted
   */
  prune(olderThanMs: number, now = Date.now()): SessionId[] {
    const pruned: SessionId[] = [];
    for (const summary of this.list()) {
      if (summary.status !== 'ended' || now - Date.parse(summary.lastActivityAt) < olderThanMs)
        continue;
      const sessionDir = this.sessionDir(summary.sid);
      const lock = acquireWriterLock(path.join(sessionDir, WRITER_LOCK_FILE), { upkeep: true });
      if (!lock.acquired) continue;
      fs.rmSync(sessionDir, { recursive: true, force: true });
      pruned.push(summary.sid);
    }
    return pruned;
  }
}

/** Refuses a request with -32602 and a message that says what to change. */
export function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, message);
}

/** When `file` was last written, in ms since the epoch; undefined when it cannot be read. */
function lastWriteMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** What a session's record says of its live host (see {@link SessionRecord}). */
function liveFields(
  record: SessionRecord,
  hostPid: number,
): Pick<SessionSummary, 'hostPid' | 'running'> {
  const { running, lastCommand } = record;
  return {
    hostPid,
    ...(running === undefined || lastCommand === undefined
      ? {}
      : { running: { ...running, command: lastCommand } }),
  };
}

/**
 * Records `reason` and `host_exit` in the log of a session whose host died, unless it ends with
 * `host_exit` already, and removes its stale socket; then lets go of the lock taken for it.
 * @returns true when it recorded the exit
 */
function closeLostHostLog(sessionDir: string, reason: string, release: () => void): boolean {
  try {
    const record = readSessionRecord(sessionDir);
    if (record.socketPath && fs.existsSync(record.socketPath))
      fs.rmSync(record.socketPath, { force: true });
    const last = readLastEvent(sessionDir);
    if (!last || last.type === 'host_exit') return false;
    const log = EventLogWriter.open(sessionDir);
    try {
      // What the host held in memory, unwritten, has seqs clients may have seen: taken up first.
      for (const payload of lostSeqNotes(log.lastSeq, UnwrittenSeqMark.read(sessionDir)))
        log.append(payload);
      // The note first: a log that ends with host_exit is closed, for every later look.
      log.append({ type: 'note', text: reason });
      log.append({ type: 'host_exit', code: null, signal: null });
    } finally {
      log.close();
    }
    return true;
  } finally {
    release();
  }
}
