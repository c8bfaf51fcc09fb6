import os from 'node:os';
import path from 'node:path';
import {
  ATTACHED_BY_CAPABILITY,
  DEFAULT_INPUT_TIMEOUT_MS,
  DEFAULT_RUN_TIMEOUT_MS,
  gatewayContract,
  LifelineErrorCode,
  MAX_EVENTS_PER_PAGE,
  OUTPUT_WINDOW_CAPABILITY,
  OUTPUT_WINDOW_RESIZE_CAPABILITY,
  PROTOCOL_NAME,
  PROTOCOL_VERSION,
  RECENT_HISTORY_CAPABILITY,
  TERMINAL_REPLIES_CAPABILITY,
  type SessionSummary,
  type TypedBy,
} from '@lifeline/protocol';
import { createServer, PeerExitedError, RpcError, type Peer } from '@lifeline/rpc';
import { sendJsonText, type StreamTransport, type Transport } from '@lifeline/transport';
import { readEvents, readLastSeq } from '../event-log/event-log-reader.js';
import { LogEndLook } from '../event-log/log-end.js';
import { findRecentHistoryStart } from '../event-log/recent-history.js';
import { EventLogDamagedError } from '../event-log/event-log-damaged-error.js';
import { AttachStream } from './attach-stream.js';
import type { HostRegistry, LiveHost } from './host-registry.js';
import { heldEventsAfter, lastSeqHeldOrWritten } from './unwritten-events.js';
import { failingForLackOfResources } from './out-of-resources.js';
import type { PreparedSession } from './prepared-session.js';
import { invalidParams, type SessionCatalog } from './session-catalog.js';
import { readingSession } from './unreadable-session.js';
import { createServicePeer } from '../service-peer.js';
import { withNamingLock } from '../state/naming-lock.js';
import { recordAttach } from '../state/last-attach.js';
import { defaultSessionName } from '../state/new-session.js';
import { resolveShell } from '@lifeline/run-completion/node';
import type { TerminalSize } from '../terminal-size-claims.js';
import { isDirectory } from '../is-directory.js';
import { cancelledByCaller } from '../caller-cancel.js';
import { explainedHostTimeout } from './stopped-host.js';
import { untilProcessGone } from './process-gone.js';
import { isShellExitedRefusal, neverReachedExitedShell } from './shell-exited.js';

type Breadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;

/** What one client connection is served with. */
export interface ClientServiceOptions {
  catalog: SessionCatalog;
  registry: HostRegistry;
  breadcrumb: Breadcrumb;
  /** Defaults of `session.create`. */
  defaults: { cwd: string; shell: string; path: string | undefined };
  /** The session begun at the gateway's start (`--new-session`), for the first `session.create`. */
  prepared?: PreparedSession | undefined;
  /** Called after answering `gateway.shutdown`. */
  onShutdown: () => void;
}

const openingBrace = 0x7b;

/** Extra time a gateway gives a host to answer a run beyond the run's own timeout. */
const RUN_ANSWER_MARGIN_MS = 5000;

/**
 * Serves the gateway contract to one client (the TUI over stdio, or one WebSocket client): sends
 * `ready` first, then answers requests and streams attached sessions.
 */
export function serveClient(transport: Transport, options: ClientServiceOptions): Peer {
  const { catalog, registry, breadcrumb } = options;
  const sizes = registry.sizes;
  const peer = createServicePeer(transport, breadcrumb);
  const server = createServer(peer, gatewayContract);
  /** Sessions this client follows; `byPerson` when it shows the session to someone (the TUI). */
  const attachments = new Map<
    string,
    { stream: AttachStream; unwatch: () => void; byPerson: boolean }
  >();
  /** Looks at the end of the logs of sessions this client runs programs in. */
  const logEnds = new LogEndLook();
  const backlog = () => (transport as { queuedBytes?: number }).queuedBytes ?? 0;
  /** Present on the stream transports of `@lifeline/transport` (stdio, sockets, WebSockets). */
  const onDrain = (transport as Partial<Pick<StreamTransport, 'onDrain'>>).onDrain?.bind(transport);
  server.notify('ready', {
    protocol: PROTOCOL_NAME,
    version: PROTOCOL_VERSION,
    pid: process.pid,
    role: 'gateway',
    capabilities: [
      'flow-control',
      'resume',
      OUTPUT_WINDOW_CAPABILITY,
      OUTPUT_WINDOW_RESIZE_CAPABILITY,
      RECENT_HISTORY_CAPABILITY,
      TERMINAL_REPLIES_CAPABILITY,
      ATTACHED_BY_CAPABILITY,
    ],
  });

  const detach = (sid: string) => {
    const attachment = attachments.get(sid);
    if (!attachment) return;
    attachments.delete(sid);
    attachment.stream.stop();
    attachment.unwatch();
    // Someone leaves the session (quits, switches, their client is gone): `lifeline -c` goes back
    // to the session left last, also when another was opened meanwhile and left before this one.
    if (attachment.byPerson) recordShown(sid);
    const size = sizes.release(sid, server);
    if (size !== undefined) void restoreSize(sid, size);
  };

  /**
   * Records that someone has the session shown now (see `recordAttach`). The time only orders
   * `lifeline -c`: a directory that cannot be written (a full disk, removed) is a breadcrumb.
   * @returns the time recorded; undefined when it could not be
   */
  const recordShown = (sid: string): string | undefined => {
    try {
      return recordAttach(catalog.sessionDir(sid), new Date());
    } catch (error) {
      breadcrumb('attach.not_recorded', { sid, reason: (error as Error).message });
      return undefined;
    }
  };
  /** Gives the session the size of the client of this gateway that asked for one last. */
  const restoreSize = async (sid: string, size: TerminalSize) => {
    const host = await registry.connected(sid);
    if (!host) return;
    await host.connection.client.call('host.resize', size).catch((error: unknown) => {
      // The host or its shell went away meanwhile: the next one starts with the size on record.
      if (!PeerExitedError.isInstance(error) && !isShellExitedRefusal(error)) throw error;
    });
  };

  server.handle('session.create', async (params) => {
    const size = { cols: params.cols ?? 80, rows: params.rows ?? 24 };
    const prepared = options.prepared?.claim(params);
    if (prepared) {
      const { sid } = prepared;
      breadcrumb('session.create', {
        sid,
        shell: prepared.shell,
        cwd: prepared.cwd,
        prepared: true,
      });
      const host = await registry.ensure(sid);
      if (size.cols !== prepared.cols || size.rows !== prepared.rows)
        await host.connection.client.call('host.resize', size);
      // Named when prepared, before another session may have taken the name.
      await withNamingLock(catalog.stateDir, async () => {
        const name = catalog.freeName(prepared.name, sid);
        if (name !== prepared.name) await host.connection.client.call('host.rename', { name });
      });
      return { sid, session: await current(catalog.summary(sid)) };
    }
    const cwd = params.cwd ?? options.defaults.cwd;
    if (!path.isAbsolute(cwd) || !isDirectory(cwd)) {
      throw invalidParams(
        `cwd "${cwd}" is not an existing directory; give an absolute path to a directory`,
      );
    }
    const requestedShell = params.shell ?? options.defaults.shell;
    const shell = resolveShell(requestedShell, params.env?.PATH ?? options.defaults.path);
    if (!shell) {
      throw invalidParams(
        `shell "${requestedShell}" was not found or is not executable; give its path or a name on PATH (bash, zsh, fish, sh)`,
      );
    }
    return failingForLackOfResources('starting a session', async () => {
      const record = await withNamingLock(catalog.stateDir, () => {
        if (params.name !== undefined) refuseNameTaken(params.name);
        return catalog.create({
          cwd,
          shell,
          env: params.env ?? {},
          ...size,
          name: params.name ?? catalog.freeName(defaultSessionName(cwd)),
        });
      });
      breadcrumb('session.create', { sid: record.sid, shell, cwd });
      try {
        await registry.ensure(record.sid);
      } catch (error) {
        // A session that never had a host holds nothing of the user's: it must not stay behind.
        if (catalog.liveHostPid(record.sid) === undefined) catalog.remove(record.sid);
        throw error;
      }
      return { sid: record.sid, session: await current(catalog.summary(record.sid)) };
    });
  });

  /** Refuses a name that a live or starting session other than `sid` has (see `SessionCatalog.holderOfName`). */
  const refuseNameTaken = (name: string, sid?: string): void => {
    const holder = catalog.holderOfName(name, sid);
    if (holder === undefined) return;
    throw new RpcError(
      LifelineErrorCode.NameTaken,
      `session ${holder.sid} (live, in ${holder.cwd}) is already named "${name}"; choose another name, or rename that session first`,
      { data: { name, sid: holder.sid } },
    );
  };

  // A connected host knows its session best; the record on disk may lag a moment behind it. When
  // someone last opened the session is the gateways' to record, not the host's: it comes from disk.
  const askedHost = async (
    host: LiveHost | undefined,
    summary: SessionSummary,
  ): Promise<SessionSummary> => {
    if (!host) return summary;
    try {
      const { session } = await host.connection.client.call('host.info', {}, { timeoutMs: 2000 });
      return summary.lastAttachedAt === undefined
        ? session
        : { ...session, lastAttachedAt: summary.lastAttachedAt };
    } catch {
      return summary;
    }
  };
  const current = async (summary: SessionSummary): Promise<SessionSummary> =>
    askedHost(
      summary.status === 'live' ? await registry.connected(summary.sid) : undefined,
      summary,
    );

  server.handle('session.list', async (params) => ({
    sessions: await Promise.all(
      (
        await failingForLackOfResources('listing the sessions', () => catalog.list(params?.sid))
      ).map(current),
    ),
  }));

  server.on('session.consumed', ({ sid, seq, outputWindow }) => {
    attachments.get(sid)?.stream.consumed(seq, outputWindow);
  });

  server.handle('session.attach', async ({ sid, afterSeq, outputWindow, attachedBy }) => {
    catalog.record(sid);
    detach(sid);
    // First: a log whose end cannot be read refuses the attach before a host is started on it (one
    // would refuse to start, saying no more), and nothing is left streaming.
    const recorded = readingSession(sid, () => catalog.summary(sid));
    const host = await registry.ensure(sid);
    const session = await askedHost(host, recorded);
    const lastSeq = Math.max(host.subscribedAtSeq, session.lastSeq);
    if (afterSeq !== undefined && afterSeq > lastSeq) {
      // The log lost its tail (or this is another session): the seqs after its end will be
      // reused for new events, which a client holding the old ones would drop as duplicates.
      throw invalidParams(
        `afterSeq ${afterSeq} is beyond the end of the log of session ${sid} (its last seq is ${lastSeq}): events you hold after ${lastSeq} are not in it; drop them and attach with afterSeq ${lastSeq}`,
      );
    }
    // Another attach of this session may have run meanwhile: this one replaces it.
    detach(sid);
    const sessionDir = catalog.sessionDir(sid);
    // Recorded after the checks above, so that an attach refused is not taken for one made.
    const byPerson = attachedBy === 'person';
    const lastAttachedAt = byPerson ? recordShown(sid) : undefined;
    const recordNotification = sessionEventNotification(sid);
    const stream = new AttachStream({
      sessionDir,
      send: (event) => server.notify('session.event', { sid, ...event }),
      sendRecord: (record) =>
        // A record is the event's object, as its writer starts it; anything else is re-serialised.
        record.bytes[0] === openingBrace
          ? sendJsonText(transport, recordNotification(record.bytes))
          : server.notify('session.event', { sid, ...record.event() }),
      backlog,
      ...(onDrain ? { onDrain } : {}),
      outputWindow,
      lastSeq,
      unwritten: async (after) =>
        (await host.connection.client.call('host.unwritten', { afterSeq: after })).events,
      congested: (congested) => {
        registry.setPaused(sid, stream, congested);
      },
      failed: (error) => {
        breadcrumb('attach.failed', { sid, error: error.message });
        if (attachments.get(sid)?.stream !== stream) return;
        detach(sid);
        server.notify('session.unreadable', { sid, message: error.message });
      },
    });
    const unwatch = registry.watch(sid, stream);
    attachments.set(sid, { stream, unwatch, byPerson });
    // Start streaming only after the answer is on its way, so the client sees it first.
    setImmediate(() => {
      stream.start(afterSeq ?? -1);
    });
    return {
      session: lastAttachedAt === undefined ? session : { ...session, lastAttachedAt },
      lastSeq,
    };
  });

  server.handle('session.detach', ({ sid }) => {
    detach(sid);
    return { ok: true as const };
  });

  server.handle(
    'session.run',
    ({ sid, command, timeoutMs, wait, ifIdle, typedBy, idempotencyKey }, { signal }) =>
      failingForLackOfResources('running the command', async () => {
        // A session whose host this gateway knows exists: only another one is looked up on disk.
        if (!registry.knows(sid)) catalog.record(sid);
        // Someone types a command into a session whose shell had ended in a directory since removed:
        // the new shell would start in the home directory, where that command may do harm. It is not
        // run; the session starts there from now on, so the same command sent again runs there.
        // (Programs say where to run, or refuse, themselves.)
        if (typedBy === 'person' && catalog.liveHostPid(sid) === undefined) {
          const home = process.env.HOME ?? os.homedir();
          const moved = catalog.leaveGoneDirectory(sid, home);
          if (moved !== undefined)
            throw new RpcError(
              LifelineErrorCode.DirectoryGone,
              `${moved.left} no longer exists, so the session's new shell would start in ${moved.now}: "${command}" was not run; sent again, it runs there`,
              { data: { sid, cwd: moved.left, newCwd: moved.now } },
            );
        }
        // A program's command is not typed into a live session whose log is damaged: it would run,
        // and neither what it prints nor how it ends could be read back. (A person sees the damage
        // as their client attaches; a new host refuses to start on such a log.)
        // (The end of the log is looked at first: the whole last stretch takes longer to read than
        // a run takes. A host this gateway is connected to is live: its lock is not read again.)
        if (
          typedBy !== 'person' &&
          ((await registry.connected(sid)) !== undefined ||
            catalog.liveHostPid(sid) !== undefined) &&
          !logEnds.looksWhole(catalog.sessionDir(sid))
        )
          readingSession(sid, () => readLastSeq(catalog.sessionDir(sid)));
        const runTimeout = timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
        const withdrawal = withdrawalOf(signal, typedBy);
        const run = (host: LiveHost) =>
          host.connection.client.call(
            'host.run',
            {
              command,
              timeoutMs: runTimeout,
              // The host refuses it unstarted if it only sees it once this client has been told it failed.
              startBefore: Date.now() + runTimeout,
              ...(wait === undefined ? {} : { wait }),
              ...(ifIdle === undefined ? {} : { ifIdle }),
              ...(typedBy === undefined ? {} : { typedBy }),
              ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
            },
            { timeoutMs: runTimeout + RUN_ANSWER_MARGIN_MS, signal: withdrawal },
          );
        const host = await registry.ensure(sid);
        try {
          return await run(host);
        } catch (error) {
          // The shell exited before the command reached it (nothing was typed; the host is closing,
          // whether or not its exit came through before this gateway subscribed): the command goes
          // to the shell the session starts anew.
          if (!neverReachedExitedShell(error, host))
            throw explainedHostTimeout(error, sid, host.connection.hostPid);
          host.shellExited = true;
          return run(await registry.ensure(sid));
        }
      }),
  );

  server.handle(
    'session.input',
    async ({ sid, data, runId, masked, timeoutMs, idempotencyKey }) => {
      // Keys are typed for the shell that runs: with none running (its host died, its shell
      // exited) they were typed for one that is gone, and a new shell would run them cut short.
      // (Looked at without waiting: keys and signals reach a host in the order they came.)
      if (!registry.knows(sid)) {
        catalog.record(sid);
        if (catalog.liveHostPid(sid) === undefined)
          throw new RpcError(
            LifelineErrorCode.HostUnavailable,
            `no shell runs in session ${sid} (it ended, or its host died): the keys were not typed; a command sent to the session starts a new shell`,
            { data: { sid, reason: 'no-shell' } },
          );
      }
      const host = await registry.ensure(sid);
      const inputTimeout = timeoutMs ?? DEFAULT_INPUT_TIMEOUT_MS;
      return host.connection.client
        .call(
          'host.input',
          {
            data,
            ...(runId === undefined ? {} : { runId }),
            ...(masked === true ? { masked } : {}),
            // A host that only takes it once this client has been told it failed types nothing.
            deliverBefore: Date.now() + inputTimeout,
            ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
          },
          { timeoutMs: inputTimeout + RUN_ANSWER_MARGIN_MS },
        )
        .catch((error: unknown) => {
          throw explainedHostTimeout(error, sid, host.connection.hostPid);
        });
    },
  );

  server.handle('session.resize', async ({ sid, cols, rows }) => {
    catalog.record(sid);
    const host = await registry.ensure(sid);
    if (attachments.has(sid)) sizes.claim(sid, server, { cols, rows });
    return host.connection.client.call('host.resize', { cols, rows });
  });

  server.handle('session.signal', async ({ sid, signal }) => {
    catalog.record(sid);
    const host = await registry.ensure(sid);
    return host.connection.client.call('host.signal', { signal });
  });

  server.handle('session.rename', async ({ sid, name }) => {
    catalog.record(sid);
    await withNamingLock(catalog.stateDir, async () => {
      refuseNameTaken(name, sid);
      // A live host keeps the record in memory and writes it on each change: it must write it.
      if (!catalog.renameEnded(sid, name)) {
        const host = await registry.ensure(sid);
        await host.connection.client.call('host.rename', { name });
      }
    });
    breadcrumb('session.rename', { sid });
    return { session: await current(catalog.summary(sid)) };
  });

  server.handle('session.close', async ({ sid }) => {
    catalog.record(sid);
    if (catalog.liveHostPid(sid) === undefined) return { ok: true as const };
    const connected = await registry.connected(sid);
    if (connected?.shellExited) {
      // Its shell exited already and it is closing by itself.
      await connected.connection.closed;
      await untilProcessGone(connected.connection.hostPid);
      return { ok: true as const };
    }
    const host = await registry.ensure(sid);
    const gone = host.connection.closed;
    await host.connection.client.call('host.close', {});
    await gone;
    // The host lets go of the session's lock just after its connections close: once it is gone,
    // the session is listed as ended to whoever looks next.
    await untilProcessGone(host.connection.hostPid);
    breadcrumb('session.close', { sid });
    return { ok: true as const };
  });

  server.handle('session.events', async ({ sid, fromSeq, limit }) => {
    catalog.record(sid);
    const sessionDir = catalog.sessionDir(sid);
    const pageLimit = Math.min(limit ?? 1000, MAX_EVENTS_PER_PAGE);
    // What precedes damage is served; the page that would start at it fails, naming it.
    const page = readingSession(sid, () =>
      readEvents(sessionDir, fromSeq, { limit: pageLimit, maxBytes: 8 * 1024 * 1024 }),
    );
    let diskLastSeq: number;
    if (page.events.length === 0) diskLastSeq = readingSession(sid, () => readLastSeq(sessionDir));
    else {
      try {
        diskLastSeq = readLastSeq(sessionDir);
      } catch (error) {
        if (!(error instanceof EventLogDamagedError)) throw error;
        // The seq of the damage: a client reading up to it asks for it next, and is told.
        return { events: page.events, lastSeq: page.nextSeq };
      }
    }
    // While the disk is full, the events after the log's end are in its live host's memory: a
    // reader of the log (`lifeline replay`) gets them after it, as a client attaching does.
    const lastSeq = lastSeqHeldOrWritten(catalog, sid, diskLastSeq);
    const readTo = page.events.at(-1)?.seq ?? fromSeq - 1;
    if (lastSeq === diskLastSeq || readTo < diskLastSeq || page.events.length >= pageLimit)
      return { events: page.events, lastSeq };
    const held = await heldEventsAfter(
      registry,
      sid,
      Math.max(readTo, diskLastSeq),
      pageLimit - page.events.length,
    );
    return { events: [...page.events, ...held], lastSeq };
  });

  server.handle('session.reply', async ({ sid, data }) => {
    // For the program asking now: a session without a running host has none.
    const host = await registry.connected(sid);
    await host?.connection.client.call('host.reply', { data }).catch((error: unknown) => {
      // The host went away meanwhile, or is older and answers nothing for its programs.
      if (!RpcError.isInstance(error)) throw error;
    });
    return { ok: true as const };
  });

  server.handle('session.recent', ({ sid, maxBytes }) => {
    catalog.record(sid);
    try {
      const skipped = findRecentHistoryStart(catalog.sessionDir(sid), maxBytes);
      return skipped === undefined ? {} : { skipped };
    } catch (error) {
      // Only a shortcut: the client reads the whole log instead, which says what is wrong with it.
      breadcrumb('session.recent-unread', { sid, error: String(error) });
      return {};
    }
  });

  server.handle('session.prune', ({ olderThanMs }) => {
    const pruned = catalog.prune(olderThanMs);
    if (pruned.length > 0) breadcrumb('session.prune', { count: pruned.length });
    return { pruned };
  });

  server.handle('gateway.shutdown', () => {
    setImmediate(options.onShutdown);
    return { ok: true as const };
  });

  void transport.closed.then(() => {
    for (const sid of [...attachments.keys()]) detach(sid);
  });
  return peer;
}

/**
 * The `session.event` notification of one session's log record, as the pieces of its JSON text:
 * the record is an event's JSON object, and the notification's params are that object with the
 * `sid` in front (what `{ sid, ...event }` serialises to), so the record's bytes go out as they
 * are on disk.
 */
function sessionEventNotification(sid: string): (record: Buffer) => (string | Buffer)[] {
  const head = `{"jsonrpc":"2.0","method":"session.event","params":{"sid":${JSON.stringify(sid)},`;
  return (record) => [head, record.subarray(1), '}'];
}

/**
 * What withdraws a run not started yet: its caller cancelling the request, or, for a program's
 * run, the caller going away (a program killed while its command waited for the session has given
 * up on it). A person's command is kept when their client goes: they typed it to run.
 */
function withdrawalOf(signal: AbortSignal, typedBy: TypedBy | undefined): AbortSignal {
  return typedBy === 'person' ? cancelledByCaller(signal) : signal;
}
