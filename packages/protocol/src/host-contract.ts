import { defineContract } from '@lifeline/rpc';
import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { sessionEventSchema, terminalSizeSchema, typedBySchema } from './events.js';
import { idempotencyKeySchema } from './idempotency-key.js';
import { lazyRequest } from './lazy-request.js';
import { MAX_RUN_TIMEOUT_MS } from './limits.js';
import { readySchema } from './ready.js';
import { terminalRepliesSchema } from './terminal-replies.js';
import {
  runResultSchema,
  sessionNameSchema,
  sessionSignalSchema,
  sessionSummarySchema,
} from './session.js';

useEnglishMessagesByDefault();

const ok = z.strictObject({ ok: z.literal(true) });

/**
 * What a session host serves to gateways over its unix socket. A host is the single writer of its
 * session's event log; gateways replay history from the log on disk (and `host.unwritten`, while
 * the disk is full) and take live events from `host.event` notifications after `host.subscribe`.
 */
export const hostContract = defineContract({
  requests: {
    /**
     * The gateway's challenge, answered before it sends anything else: `proof` is the hex
     * HMAC-SHA256 of `nonce` keyed with the secret the host keeps in its session directory
     * (readable by the session's owner only). A gateway sends no input to a host that cannot
     * answer it.
     */
    'host.prove': lazyRequest(() => ({
      params: z.strictObject({ nonce: z.string().check(z.minLength(32), z.maxLength(128)) }),
      result: z.strictObject({ proof: z.string() }),
    })),
    /** The session as the host sees it now. */
    'host.info': lazyRequest(() => ({
      params: z.strictObject({}),
      result: z.strictObject({ session: sessionSummarySchema }),
    })),
    /** Starts live `host.event` notifications for every event after the returned `lastSeq`. */
    'host.subscribe': lazyRequest(() => ({
      params: z.strictObject({}),
      result: z.strictObject({ lastSeq: z.int().check(z.gte(-1)) }),
    })),
    'host.unsubscribe': lazyRequest(() => ({ params: z.strictObject({}), result: ok })),
    /**
     * The events after `afterSeq` that are not on disk yet: the host holds them in memory while
     * its disk is full, and writes them once it has room. In seq order; none while the log on disk
     * has every event. A gateway replaying the log reads them after its last record.
     */
    'host.unwritten': lazyRequest(() => ({
      params: z.strictObject({ afterSeq: z.int().check(z.gte(-1)) }),
      result: z.strictObject({ events: z.array(sessionEventSchema) }),
    })),
    'host.run': lazyRequest(() => ({
      params: z.strictObject({
        command: z.string().check(z.minLength(1)),
        timeoutMs: z.optional(z.int().check(z.gte(1), z.lte(MAX_RUN_TIMEOUT_MS))),
        wait: z.optional(z.boolean()),
        ifIdle: z.optional(z.boolean()),
        typedBy: z.optional(typedBySchema),
        /**
         * The last moment (ms since the epoch) the command may start: a request that reaches the
         * host later (it was stopped meanwhile, and its caller has given up) is refused unstarted.
         */
        startBefore: z.optional(z.int().check(z.nonnegative())),
        /** `session.run {idempotencyKey}`: the host answers a retry with the run it took. */
        idempotencyKey: z.optional(idempotencyKeySchema),
      }),
      result: runResultSchema,
    })),
    /** `session.input` for this host's session. */
    'host.input': lazyRequest(() => ({
      params: z.strictObject({
        data: z.string().check(z.minLength(1)),
        runId: z.optional(z.string()),
        masked: z.optional(z.boolean()),
        /** The last moment (ms since the epoch) it may be typed: later, it is refused untyped. */
        deliverBefore: z.optional(z.int().check(z.nonnegative())),
        /** `session.input {idempotencyKey}`: typed once, whatever the retries. */
        idempotencyKey: z.optional(idempotencyKeySchema),
      }),
      result: ok,
    })),
    /** `session.reply` for this host's session. */
    'host.reply': lazyRequest(() => ({
      params: z.strictObject({ data: terminalRepliesSchema }),
      result: ok,
    })),
    'host.resize': lazyRequest(() => ({
      params: terminalSizeSchema,
      result: ok,
    })),
    'host.signal': lazyRequest(() => ({
      params: z.strictObject({ signal: sessionSignalSchema }),
      result: ok,
    })),
    /**
     * Flow control: `paused: true` while this gateway's slowest client is more than the limit
     * behind. The host pauses its PTY while any gateway asks it to.
     */
    'host.flow': lazyRequest(() => ({
      params: z.strictObject({ paused: z.boolean() }),
      result: ok,
    })),
    /** Renames the session: its record keeps the new name. */
    'host.rename': lazyRequest(() => ({
      params: z.strictObject({ name: sessionNameSchema }),
      result: ok,
    })),
    /** Ends the shell and the host. */
    'host.close': lazyRequest(() => ({ params: z.strictObject({}), result: ok })),
  },
  notifications: {
    ready: readySchema,
    'host.event': sessionEventSchema,
  },
});

/** What a session host serves to gateways. */
export type HostContract = typeof hostContract;
