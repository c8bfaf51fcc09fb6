import { defineContract } from '@lifeline/rpc';
import { z } from 'zod';
import { eventsWith, sessionEventSchema } from './events.js';
import { MAX_EVENTS_PER_PAGE, MAX_RUN_TIMEOUT_MS } from './limits.js';
import { readySchema } from './ready.js';
import { runResultSchema, sessionSignalSchema, sessionSummarySchema } from './session.js';
import { sessionIdSchema } from './session-id-schema.js';

const sidParams = z.strictObject({ sid: sessionIdSchema });
const ok = z.strictObject({ ok: z.literal(true) });
const size = { cols: z.int().min(1).max(1000), rows: z.int().min(1).max(1000) };

/** A session event as a gateway notifies it: the event plus the session it belongs to. */
export const sessionEventNotificationSchema = eventsWith({
  sid: sessionIdSchema,
  seq: z.int().nonnegative(),
  time: z.int().nonnegative(),
});

/** A session event as a gateway notifies it. */
export type SessionEventNotification = z.infer<typeof sessionEventNotificationSchema>;

/**
 * What a gateway serves to its clients (the TUI, the CLI, remote clients over WebSocket), over
 * NDJSON JSON-RPC 2.0. The gateway's first frame is the `ready` notification; attached sessions
 * stream as `session.event` notifications.
 */
export const gatewayContract = defineContract({
  requests: {
    /** Starts a new session (and its host). */
    'session.create': {
      params: z.strictObject({
        cwd: z.string().min(1).optional(),
        shell: z.string().min(1).optional(),
        env: z.record(z.string(), z.string()).optional(),
        cols: size.cols.optional(),
        rows: size.rows.optional(),
        name: z.string().min(1).max(200).optional(),
      }),
      result: z.strictObject({ sid: sessionIdSchema, session: sessionSummarySchema }),
    },
    /** Every session in the state directory, newest first. */
    'session.list': {
      params: z.strictObject({}),
      result: z.strictObject({ sessions: z.array(sessionSummarySchema) }),
    },
    /**
     * Replays every event after `afterSeq` (default -1: the whole log) and then streams live
     * ones as `session.event` notifications, until `session.detach`. An ended session's host is
     * started again.
     */
    'session.attach': {
      params: z.strictObject({ sid: sessionIdSchema, afterSeq: z.int().min(-1).optional() }),
      result: z.strictObject({ session: sessionSummarySchema, lastSeq: z.int().min(-1) }),
    },
    /** Stops streaming a session's events to this client. */
    'session.detach': { params: sidParams, result: ok },
    /** Runs a command as a run: queued behind other runs of the session, never interleaved. */
    'session.run': {
      params: z.strictObject({
        sid: sessionIdSchema,
        command: z.string().min(1),
        timeoutMs: z.int().min(1).max(MAX_RUN_TIMEOUT_MS).optional(),
        /** false: answer once the run has started instead of when it completes. */
        wait: z.boolean().optional(),
      }),
      result: runResultSchema,
    },
    /** Types into the session's terminal (keys for the running program). */
    'session.input': { params: z.strictObject({ sid: sessionIdSchema, data: z.string().min(1) }), result: ok },
    /** Resizes the session's terminal. */
    'session.resize': { params: z.strictObject({ sid: sessionIdSchema, ...size }), result: ok },
    /** Delivers a signal to the program in the foreground of the session's terminal. */
    'session.signal': { params: z.strictObject({ sid: sessionIdSchema, signal: sessionSignalSchema }), result: ok },
    /** Ends the session's host and shell; the log stays, and a later attach starts a new host. */
    'session.close': { params: sidParams, result: ok },
    /** A page of a session's events from `fromSeq` on. */
    'session.events': {
      params: z.strictObject({
        sid: sessionIdSchema,
        fromSeq: z.int().min(0),
        limit: z.int().min(1).max(MAX_EVENTS_PER_PAGE).optional(),
      }),
      result: z.strictObject({ events: z.array(sessionEventSchema), lastSeq: z.int().min(-1) }),
    },
    /** Deletes the logs of ended sessions whose last activity is older than `olderThanMs`. */
    'session.prune': {
      params: z.strictObject({ olderThanMs: z.int().min(0) }),
      result: z.strictObject({ pruned: z.array(sessionIdSchema) }),
    },
    /** Asks the gateway to exit; hosts keep running. */
    'gateway.shutdown': { params: z.strictObject({}), result: ok },
  },
  notifications: {
    /** First frame of every gateway. */
    ready: readySchema,
    /** One event of an attached session. */
    'session.event': sessionEventNotificationSchema,
  },
});

/** What a gateway serves to its clients. */
export type GatewayContract = typeof gatewayContract;
