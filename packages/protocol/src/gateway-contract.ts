import { defineContract } from '@lifeline/rpc';
import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { eventsWith, sessionEventSchema, terminalSizeSchema, typedBySchema } from './events.js';
import { idempotencyKeySchema } from './idempotency-key.js';
import { lazyRequest } from './lazy-request.js';
import { MAX_EVENTS_PER_PAGE, MAX_RUN_TIMEOUT_MS, OUTPUT_WINDOW_LIMITS } from './limits.js';
import { readySchema } from './ready.js';
import { terminalRepliesSchema } from './terminal-replies.js';
import {
  runResultSchema,
  sessionNameSchema,
  sessionSignalSchema,
  sessionSummarySchema,
} from './session.js';
import { sessionIdSchema } from './session-id-schema.js';

useEnglishMessagesByDefault();

const sidParams = z.strictObject({ sid: sessionIdSchema });
const ok = z.strictObject({ ok: z.literal(true) });
const size = terminalSizeSchema.shape;

/** A session event as a gateway notifies it: the event plus the session it belongs to (built on its first use). */
export const sessionEventNotificationSchema = z.lazy(() =>
  eventsWith({
    sid: sessionIdSchema,
    seq: z.int().check(z.nonnegative()),
    time: z.int().check(z.nonnegative()),
  }),
);

/** A session event as a gateway notifies it. */
export type SessionEventNotification = z.infer<typeof sessionEventNotificationSchema>;

/**
 * What a gateway serves to its clients (the TUI, the CLI, remote clients over WebSocket), over
 * NDJSON JSON-RPC 2.0. The gateway's first frame is the `ready` notification; attached sessions
 * stream as `session.event` notifications (or end with `session.unreadable`).
 */
export const gatewayContract = defineContract({
  requests: {
    /** Starts a new session (and its host). */
    'session.create': lazyRequest(() => ({
      params: z.strictObject({
        cwd: z.optional(z.string().check(z.minLength(1))),
        shell: z.optional(z.string().check(z.minLength(1))),
        env: z.optional(z.record(z.string(), z.string())),
        cols: z.optional(size.cols),
        rows: z.optional(size.rows),
        name: z.optional(sessionNameSchema),
      }),
      result: z.strictObject({ sid: sessionIdSchema, session: sessionSummarySchema }),
    })),
    /** Gives a session (live or ended) a new name, kept in its record. */
    'session.rename': lazyRequest(() => ({
      params: z.strictObject({ sid: sessionIdSchema, name: sessionNameSchema }),
      result: z.strictObject({ session: sessionSummarySchema }),
    })),
    /** Every session in the state directory, newest first. */
    'session.list': lazyRequest(() => ({
      // JSON-RPC lets a request without parameters leave `params` out.
      params: z.optional(
        z.strictObject({
          /** Only this session: a list of it alone, or an empty one when there is none. */
          sid: z.optional(sessionIdSchema),
        }),
      ),
      result: z.strictObject({ sessions: z.array(sessionSummarySchema) }),
    })),
    /**
     * Replays every event after `afterSeq` (default -1: the whole log) and then streams live
     * ones as `session.event` notifications, until `session.detach`. An ended session's host is
     * started again.
     *
     * With `outputWindow` (gateways whose `ready` lists `output-window`), the client reports the
     * last event it has shown with `session.consumed`, and the gateway never sends more than
     * `outputWindow` characters of output data past it: what is in flight to a slow client — and
     * so ahead of the echo of a key typed into a flood — stays that small. A client that asks for
     * a window and never reports is sent one window and then nothing more.
     *
     * With `attachedBy: 'person'` (gateways whose `ready` lists `attached-by`), a client that
     * shows the session to someone (the TUI) has the time recorded in the session's directory, and
     * again as it leaves the session (detaches, attaches another, or its connection ends): its
     * summary's `lastAttachedAt` from then on, which `lifeline -c` goes by. Programs that follow a
     * session (`lifeline exec`, an agent's tools) leave it out.
     */
    'session.attach': lazyRequest(() => ({
      params: z.strictObject({
        sid: sessionIdSchema,
        afterSeq: z.optional(z.int().check(z.gte(-1))),
        outputWindow: z.optional(
          z.int().check(z.gte(OUTPUT_WINDOW_LIMITS.min), z.lte(OUTPUT_WINDOW_LIMITS.max)),
        ),
        attachedBy: z.optional(typedBySchema),
      }),
      result: z.strictObject({ session: sessionSummarySchema, lastSeq: z.int().check(z.gte(-1)) }),
    })),
    /** Stops streaming a session's events to this client. */
    'session.detach': lazyRequest(() => ({ params: sidParams, result: ok })),
    /** Runs a command as a run: queued behind other runs of the session, never interleaved. */
    'session.run': lazyRequest(() => ({
      params: z.strictObject({
        sid: sessionIdSchema,
        command: z.string().check(z.minLength(1)),
        timeoutMs: z.optional(z.int().check(z.gte(1), z.lte(MAX_RUN_TIMEOUT_MS))),
        /** false: answer once the run has started instead of when it completes. */
        wait: z.optional(z.boolean()),
        /** true: refuse at once with `SessionBusy` while a command runs or waits in the session (someone's included: a command at the shell's continuation prompt, keys that left its line editor in a mode of its own), instead of queueing. */
        ifIdle: z.optional(z.boolean()),
        /** `person`: someone typed the command at a client's prompt; its `run_start` says so. @default a program asked for it */
        typedBy: z.optional(typedBySchema),
        /**
         * The client's name for this run: a retry with the key of a run the host took answers with
         * that run (its runId, its result) instead of starting the command again.
         */
        idempotencyKey: z.optional(idempotencyKeySchema),
      }),
      result: runResultSchema,
    })),
    /**
     * Types into the session's terminal (keys for the running program). With `runId`, only while
     * that run goes on: otherwise nothing is typed (the shell would take it for a command line)
     * and the call fails with `InvalidParams`. With `masked`, the log keeps it masked whatever the
     * terminal's mode (the client knows it is a secret); without, only when the terminal reads it
     * without echo.
     */
    'session.input': lazyRequest(() => ({
      params: z.strictObject({
        sid: sessionIdSchema,
        data: z.string().check(z.minLength(1)),
        runId: z.optional(z.string()),
        masked: z.optional(z.boolean()),
        /**
         * How long the host may take to type it (default 10 s); input it has not typed by then
         * is never typed later.
         */
        timeoutMs: z.optional(z.int().check(z.gte(1), z.lte(MAX_RUN_TIMEOUT_MS))),
        /** The client's name for this input: a retry with the key of typed input types nothing. */
        idempotencyKey: z.optional(idempotencyKeySchema),
      }),
      result: ok,
    })),
    /**
     * A client's answers, in the terminal's place, to questions the session's program asked its
     * terminal (gateways whose `ready` lists `terminal-replies`): where the cursor is
     * (`CSI row ; column R`), the status (`CSI 0 n`), the device attributes (`CSI ? … c`). Each
     * question is answered once, by the first answer to reach the host within a few seconds;
     * the others, and answers nothing asked for, are not typed. Never starts a shell.
     */
    'session.reply': lazyRequest(() => ({
      params: z.strictObject({ sid: sessionIdSchema, data: terminalRepliesSchema }),
      result: ok,
    })),
    /** Resizes the session's terminal. */
    'session.resize': lazyRequest(() => ({
      params: z.strictObject({ sid: sessionIdSchema, ...size }),
      result: ok,
    })),
    /** Delivers a signal to the program in the foreground of the session's terminal. */
    'session.signal': lazyRequest(() => ({
      params: z.strictObject({ sid: sessionIdSchema, signal: sessionSignalSchema }),
      result: ok,
    })),
    /** Ends the session's host and shell; the log stays, and a later attach starts a new host. */
    'session.close': lazyRequest(() => ({ params: sidParams, result: ok })),
    /**
     * A page of a session's events from `fromSeq` on, and the seq of its last event: while its
     * disk is full, the events its live host holds in memory follow those on disk.
     */
    'session.events': lazyRequest(() => ({
      params: z.strictObject({
        sid: sessionIdSchema,
        fromSeq: z.int().check(z.gte(0)),
        limit: z.optional(z.int().check(z.gte(1), z.lte(MAX_EVENTS_PER_PAGE))),
      }),
      result: z.strictObject({
        events: z.array(sessionEventSchema),
        lastSeq: z.int().check(z.gte(-1)),
      }),
    })),
    /**
     * Where to begin reading a long session's history to show its last `maxBytes` of log at least
     * (gateways whose `ready` lists `recent-history`): `skipped` names the last seq to leave out
     * (attach after it: the first event is a completed run's end; runs that reach into the stretch
     * are read whole, unless one began more than twice the stretch before the log's end: then the
     * first event is the stretch's first, in that run), how many bytes of log that leaves out, and
     * the events left out that the rest is read with (the last `host_start` and `resize` before it,
     * and the `run_start` of a run the rest begins in, in seq order). Without `skipped`, read the
     * whole log: it is no longer, or nothing can be left out.
     */
    'session.recent': lazyRequest(() => ({
      params: z.strictObject({
        sid: sessionIdSchema,
        maxBytes: z.int().check(z.gte(1)),
      }),
      result: z.strictObject({
        skipped: z.optional(
          z.strictObject({
            throughSeq: z.int().check(z.gte(0)),
            bytes: z.int().check(z.gte(0)),
            context: z.array(sessionEventSchema),
          }),
        ),
      }),
    })),
    /** Deletes the logs of ended sessions whose last activity is older than `olderThanMs`. */
    'session.prune': lazyRequest(() => ({
      params: z.strictObject({ olderThanMs: z.int().check(z.gte(0)) }),
      result: z.strictObject({ pruned: z.array(sessionIdSchema) }),
    })),
    /** Asks the gateway to exit; hosts keep running. */
    'gateway.shutdown': lazyRequest(() => ({ params: z.optional(z.strictObject({})), result: ok })),
  },
  notifications: {
    /** First frame of every gateway. */
    ready: readySchema,
    /** One event of an attached session. */
    'session.event': sessionEventNotificationSchema,
    /**
     * From a client attached with `outputWindow`: every event of the session up to `seq` has been
     * shown (or dropped), so the gateway may send that much more. With `outputWindow` (gateways
     * whose `ready` lists `output-window-resize`), the window is that size from now on: a client
     * that shows output faster lets more of it be in flight, for the same wait behind it.
     */
    'session.consumed': z.strictObject({
      sid: sessionIdSchema,
      seq: z.int().check(z.gte(-1)),
      outputWindow: z.optional(
        z.int().check(z.gte(OUTPUT_WINDOW_LIMITS.min), z.lte(OUTPUT_WINDOW_LIMITS.max)),
      ),
    }),
    /**
     * The gateway stopped streaming an attached session to this client: its event log cannot be
     * read past some event (it is damaged). `message` says where, and what to do; no more
     * `session.event` notifications come for the session until it is attached again.
     */
    'session.unreadable': z.strictObject({ sid: sessionIdSchema, message: z.string() }),
  },
});

/** What a gateway serves to its clients. */
export type GatewayContract = typeof gatewayContract;
