import { LifelineErrorCode, type SessionEvent } from '@lifeline/protocol';
import { PeerExitedError, RpcError } from '@lifeline/rpc';
import { readLastEvent } from '../event-log/event-log-reader.js';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { untilProcessGone } from './process-gone.js';
import { hasErrno } from '../errno.js';
import { readHostSecret, UntrustedHostSecretError } from '../state/host-secret.js';
import { HostConnection, SilentHostError, UnprovenHostError } from './host-connection.js';
import { HostLaunchError, launchHost, waitForHost } from './host-launcher.js';
import type { SpawnedHost } from './host-spawn.js';
import type { SessionCatalog } from './session-catalog.js';
import { SessionSizes } from './session-sizes.js';
import { stoppedHostError } from './stopped-host.js';

/** Something that follows one session through host restarts (an attach stream). */
export interface SessionWatcher {
  /**
   * A live event from the session's host, with its log record's bytes when the host sent them
   * (the event's JSON text, to pass on as it is).
   */
  event(event: SessionEvent, record?: Buffer): void;
  /** The host went away or a new one came: look at the log again. */
  changed(): void;
}

/** A connected, subscribed host. */
export interface LiveHost {
  connection: HostConnection;
  /** The host's last seq when this gateway subscribed. */
  subscribedAtSeq: number;
  /** Its shell has exited (`host_exit` came through, or it refused a run for that): it is closing. */
  shellExited: boolean;
}

/** Longest wait for a host whose shell exited to close its connection before a new one starts. */
const EXITED_HOST_CLOSE_WAIT_MS = 5000;

/**
 * How often a watched session without a host is looked at for a new one, which another gateway
 * may start (`lifeline exec` runs a command in it, say): its events then reach the watchers.
 */
const HOST_RETURN_POLL_MS = 250;

type Breadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;

/**
 * The session hosts one gateway talks to: connects to live ones (found through their lock and
 * socket), starts new ones for sessions that have none, notices when one dies (and records its
 * exit if it could not), and fans live events out to the watchers of each session.
 */
export class HostRegistry {
  private readonly hosts = new Map<string, Promise<LiveHost>>();
  private readonly watchers = new Map<string, Set<SessionWatcher>>();
  private readonly pauseRequests = new Map<string, Set<object>>();
  /** Sessions whose host is being taken down on purpose: its going is not a loss to record. */
  private readonly forgotten = new Set<string>();
  private closing = false;
  /** Watched sessions without a host, looked at for a new one (see {@link HOST_RETURN_POLL_MS}). */
  private readonly returnPolls = new Map<string, NodeJS.Timeout>();

  /**
   * The sizes this gateway's clients asked of sessions, shared by all of them: a new host of one of
   * them is told it (see `subscribe`).
   */
  readonly sizes = new SessionSizes();

  constructor(
    private readonly catalog: SessionCatalog,
    private readonly hostEnv: NodeJS.ProcessEnv,
    private readonly breadcrumb: Breadcrumb,
  ) {}

  /**
   * The session's host, connected and subscribed; starts one when the session has none.
   * @throws RpcError `SessionNotFound` or `HostUnavailable`
   */
  async ensure(sid: string): Promise<LiveHost> {
    let host = this.hosts.get(sid);
    if (!host) {
      host = this.connectOrLaunch(sid);
      this.hosts.set(sid, host);
      host.catch(() => {
        if (this.hosts.get(sid) === host) this.hosts.delete(sid);
      });
    }
    const live = await host;
    if (!live.shellExited) return live;
    // A command sent right after the shell exited: wait until that host is gone, then start anew.
    await Promise.race([
      live.connection.closed,
      new Promise((resolve) => setTimeout(resolve, EXITED_HOST_CLOSE_WAIT_MS).unref()),
    ]);
    live.connection.close();
    if (this.hosts.get(sid) === host) this.hosts.delete(sid);
    return this.ensure(sid);
  }

  /**
   * Takes over the host of a new session that was spawned before this registry existed (a gateway
   * asked for a session at its start): connects once it listens, as `ensure` does after a launch.
   */
  adopt(sid: string, spawned: SpawnedHost): void {
    const host = this.connectOrLaunch(sid, spawned);
    this.hosts.set(sid, host);
    host.catch(() => {
      if (this.hosts.get(sid) === host) this.hosts.delete(sid);
    });
  }

  /** Lets go of a session whose host is being stopped on purpose: its exit is not recorded as lost. */
  forget(sid: string): void {
    this.forgotten.add(sid);
    const host = this.hosts.get(sid);
    this.hosts.delete(sid);
    void host?.then(
      (live) => {
        live.connection.close();
      },
      () => undefined,
    );
  }

  /**
   * True while this gateway holds (or is making) a connection to the session's host: the session
   * was found when it was made.
   */
  knows(sid: string): boolean {
    return this.hosts.has(sid);
  }

  /** The session's host if this gateway is connected to it right now. */
  async connected(sid: string): Promise<LiveHost | undefined> {
    const host = this.hosts.get(sid);
    if (!host) return undefined;
    try {
      return await host;
    } catch {
      return undefined;
    }
  }

  /** Follows a session's events; returns the unsubscribe. */
  watch(sid: string, watcher: SessionWatcher): () => void {
    let set = this.watchers.get(sid);
    if (!set) {
      set = new Set();
      this.watchers.set(sid, set);
    }
    set.add(watcher);
    this.awaitHostReturn(sid);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(sid);
      this.setPaused(sid, watcher, false);
    };
  }

  /**
   * Looks at a watched session without a host now and then, until one is live again (or nobody
   * watches): then connects to it (never starts one), so that its events reach the watchers; until
   * then, the watchers read what the log has that they have not sent. Does nothing for a session
   * that has a host, nobody watching, or a poll already.
   */
  private awaitHostReturn(sid: string): void {
    if (this.closing || this.returnPolls.has(sid) || this.hosts.has(sid) || !this.watchers.has(sid))
      return;
    const timer = setInterval(() => {
      if (this.closing || !this.watchers.has(sid) || this.hosts.has(sid)) {
        this.stopAwaitingHostReturn(sid);
        return;
      }
      if (this.catalog.liveHostPid(sid) === undefined) {
        // What was written meanwhile without this gateway's host reaches the watchers: another
        // gateway recording a lost host's exit, a host that came and went between two looks.
        for (const watcher of this.watchers.get(sid) ?? []) watcher.changed();
        return;
      }
      this.stopAwaitingHostReturn(sid);
      const host = this.connectExisting(sid);
      this.hosts.set(sid, host);
      host.catch(() => {
        if (this.hosts.get(sid) === host) this.hosts.delete(sid);
        this.awaitHostReturn(sid);
      });
    }, HOST_RETURN_POLL_MS);
    timer.unref();
    this.returnPolls.set(sid, timer);
  }

  private stopAwaitingHostReturn(sid: string): void {
    clearInterval(this.returnPolls.get(sid));
    this.returnPolls.delete(sid);
  }

  /** A watcher's clients are behind (or caught up): asks the host to pause its PTY (or resume). */
  setPaused(sid: string, requester: object, paused: boolean): void {
    let requesters = this.pauseRequests.get(sid);
    if (!requesters) {
      requesters = new Set();
      this.pauseRequests.set(sid, requesters);
    }
    const before = requesters.size > 0;
    if (paused) requesters.add(requester);
    else requesters.delete(requester);
    const after = requesters.size > 0;
    if (before === after) return;
    void this.connected(sid).then((host) =>
      host?.connection.client.call('host.flow', { paused: after }).catch(() => undefined),
    );
  }

  /** Disconnects from every host (they keep running). */
  close(): void {
    this.closing = true;
    for (const sid of [...this.returnPolls.keys()]) this.stopAwaitingHostReturn(sid);
    for (const host of this.hosts.values()) {
      void host.then(
        (live) => {
          live.connection.close();
        },
        () => undefined,
      );
    }
  }

  /** Connects to the session's live host, else starts one; `spawned`: one is starting already. */
  private async connectOrLaunch(sid: string, spawned?: SpawnedHost): Promise<LiveHost> {
    const record = this.catalog.record(sid);
    const sessionDir = this.catalog.sessionDir(sid);
    if (!spawned && this.catalog.liveHostPid(sid) !== undefined) {
      const existing = await this.connectWithRetry(record.socketPath, sid);
      const live = existing && (await this.attachUnlessClosing(sid, existing));
      if (live) return live;
    }
    // Taking the lock to record a lost host would make a host that is starting give up.
    if (!spawned)
      this.catalog.recordLostHost(sid, 'the session host had died; a new one is starting');
    try {
      const pid = spawned
        ? await waitForHost(spawned, record.socketPath)
        : await launchHost({ sid, sessionDir, socketPath: record.socketPath, env: this.hostEnv });
      this.breadcrumb(
        'host.spawn',
        spawned ? { sid, pid, early: true, ms: Date.now() - spawned.spawnedAt } : { sid, pid },
      );
    } catch (error) {
      // Another gateway may have started it first: its host refuses to double up, ours exits.
      if (this.catalog.liveHostPid(sid) === undefined) {
        const tail = error instanceof HostLaunchError ? error.stderrTail : '';
        this.breadcrumb('host.start_failed', {
          sid,
          error: (error as Error).message,
          stderr: tail,
        });
        throw new RpcError(
          LifelineErrorCode.HostUnavailable,
          `cannot start the host of session ${sid}: ${(error as Error).message}`,
          {
            data: { sid, reason: (error as Error).message },
          },
        );
      }
    }
    const connection = await this.connectWithRetry(record.socketPath, sid);
    if (!connection) {
      throw new RpcError(
        LifelineErrorCode.HostUnavailable,
        `the host of session ${sid} started but does not answer on ${record.socketPath}`,
        {
          data: { sid, reason: 'unreachable' },
        },
      );
    }
    return this.attached(sid, connection);
  }

  /**
   * Subscribes to a host found running. One that closes meanwhile was ending (its shell had
   * exited): undefined once its process is gone, so that a new host can take the session.
   */
  private async attachUnlessClosing(
    sid: string,
    connection: HostConnection,
  ): Promise<LiveHost | undefined> {
    try {
      return await this.attached(sid, connection);
    } catch (error) {
      if (!PeerExitedError.isInstance(error)) throw error;
      await untilProcessGone(connection.hostPid);
      return undefined;
    }
  }

  /** Follows the events of the host on `connection`, as the session's live host. */
  private async attached(sid: string, connection: HostConnection): Promise<LiveHost> {
    const live = await this.subscribe(sid, connection);
    this.breadcrumb('host.attach', { sid, pid: connection.hostPid, seq: live.subscribedAtSeq });
    return live;
  }

  /** Connects to the session's live host, started by someone else. */
  private async connectExisting(sid: string): Promise<LiveHost> {
    const connection = await this.connectWithRetry(this.catalog.record(sid).socketPath, sid);
    if (!connection) throw new Error(`the host of session ${sid} does not answer`);
    return this.attached(sid, connection);
  }

  private async connectWithRetry(
    socketPath: string,
    sid: string,
  ): Promise<HostConnection | undefined> {
    const secret = () => {
      try {
        return readHostSecret(this.catalog.sessionDir(sid));
      } catch (error) {
        if (hasErrno(error, 'ENOENT')) return undefined;
        throw error;
      }
    };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      this.refuseStoppedHost(sid, this.catalog.liveHostPid(sid));
      try {
        return await HostConnection.open(socketPath, secret);
      } catch (error) {
        if (error instanceof UnprovenHostError || error instanceof UntrustedHostSecretError) {
          this.breadcrumb('host.unproven', { sid, error: error.message });
          throw new RpcError(LifelineErrorCode.HostUnavailable, error.message, {
            data: { sid, reason: 'unproven' },
          });
        }
        const pid = this.catalog.liveHostPid(sid);
        if (pid === undefined) return undefined;
        this.refuseStoppedHost(sid, pid);
        // A live host that kept silent the whole wait would keep its next caller waiting as long.
        if (error instanceof SilentHostError)
          throw new RpcError(
            LifelineErrorCode.HostUnavailable,
            `the host of session ${sid} (pid ${pid}) does not answer (${error.message}); nothing was sent to it`,
            { data: { sid, reason: 'silent', pid } },
          );
        // A live host that is still binding its socket: give it a moment.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return undefined;
  }

  /** Throws the {@link stoppedHostError} when the session's host (`pid`, if live) is stopped. */
  private refuseStoppedHost(sid: string, pid: number | undefined): void {
    const stopped = pid === undefined ? undefined : stoppedHostError(sid, pid);
    if (stopped) throw stopped;
  }

  private async subscribe(sid: string, connection: HostConnection): Promise<LiveHost> {
    const live: LiveHost = { connection, subscribedAtSeq: -1, shellExited: false };
    connection.onEvent((event, record) => {
      if (event.type === 'host_exit') live.shellExited = true;
      for (const watcher of this.watchers.get(sid) ?? []) watcher.event(event, record);
    });
    const { lastSeq } = await connection.client.call('host.subscribe', {});
    live.subscribedAtSeq = lastSeq;
    // A host whose shell exited before this subscription is ending: what is sent to it would be
    // refused, or lost with its connection (see `ensure`). Its exit is its last event.
    if (lastEventType(this.catalog.sessionDir(sid)) === 'host_exit') live.shellExited = true;
    if ((this.pauseRequests.get(sid)?.size ?? 0) > 0) {
      void connection.client.call('host.flow', { paused: true }).catch(() => undefined);
    }
    // A host that came after the one this gateway's clients gave their size to (the shell was
    // killed, and a new one started) takes it, as theirs: when a client of another gateway that
    // resized it since leaves, the size comes back to theirs.
    const size = this.sizes.latest(sid);
    if (size !== undefined) {
      void connection.client.call('host.resize', size).catch(() => undefined);
    }
    void connection.closed.then((info) => {
      this.hostGone(sid, connection, info.reason);
    });
    for (const watcher of this.watchers.get(sid) ?? []) watcher.changed();
    return live;
  }

  private hostGone(sid: string, connection: HostConnection, reason: string): void {
    void this.hosts.get(sid)?.then(
      (live) => {
        if (live.connection === connection) this.hosts.delete(sid);
      },
      () => undefined,
    );
    if (this.closing || this.forgotten.has(sid)) return;
    this.breadcrumb('host.disconnect', { sid, pid: connection.hostPid, reason });
    void this.settleLostHost(sid, connection.hostPid).then(() => {
      for (const watcher of this.watchers.get(sid) ?? []) watcher.changed();
      this.awaitHostReturn(sid);
    });
  }

  /** Waits briefly for a disconnected host to finish dying, then records its exit if it could not. */
  private async settleLostHost(sid: string, pid: number): Promise<void> {
    if (!(await untilProcessGone(pid))) return;
    try {
      // Another gateway watching the host may be recording its exit: waited for, so that what
      // this one sends its clients next holds it.
      if (
        await this.catalog.recordLostHostAfterUpkeep(
          sid,
          `the session host (pid ${pid}) died without recording its exit`,
        )
      ) {
        this.breadcrumb('host.lost', { sid, pid });
      }
    } catch (error) {
      // Its log is damaged, say: whoever uses the session next is told why.
      this.breadcrumb('host.lost_unrecorded', { sid, pid, error: (error as Error).message });
    }
  }
}

/** The type of the last event of a session's log; undefined when it cannot be read (damaged). */
function lastEventType(sessionDir: string): SessionEvent['type'] | undefined {
  try {
    return readLastEvent(sessionDir)?.type;
  } catch (error) {
    if (error instanceof EventLogDamagedError) return undefined;
    throw error;
  }
}
