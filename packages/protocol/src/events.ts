import { z } from 'zod';

const nonNegativeInt = z.int().nonnegative();

/** Terminal dimensions accepted anywhere a size is given. */
export const terminalSizeSchema = z.strictObject({
  cols: z.int().min(1).max(1000),
  rows: z.int().min(1).max(1000),
});

/** Payloads of every session event type, without `seq` and `time`. */
export const eventPayloadSchemas = {
  /** Bytes the shell (or the program it runs) printed, with detection frames removed. */
  output: z.strictObject({ type: z.literal('output'), data: z.string() }),
  /** Bytes a client typed into the session. */
  input: z.strictObject({ type: z.literal('input'), data: z.string() }),
  /** A command was written to the shell as a run. */
  run_start: z.strictObject({
    type: z.literal('run_start'),
    runId: z.string().min(1).max(64),
    command: z.string(),
  }),
  /** The shell came back from a run. */
  run_complete: z.strictObject({
    type: z.literal('run_complete'),
    runId: z.string().min(1).max(64),
    startSeq: nonNegativeInt,
    exitCode: z.int(),
    cwd: z.string(),
    durationMs: z.number().nonnegative(),
  }),
  /** The terminal was resized. */
  resize: z.strictObject({ type: z.literal('resize'), ...terminalSizeSchema.shape }),
  /** A session host started (first start, or a resume after the previous host ended). */
  host_start: z.strictObject({ type: z.literal('host_start'), pid: z.int(), cwd: z.string() }),
  /** The session host (and with it the shell) ended. */
  host_exit: z.strictObject({
    type: z.literal('host_exit'),
    code: z.int().nullable(),
    signal: z.string().nullable(),
  }),
  /** A human-readable remark recorded in the session (for instance why a host was restarted). */
  note: z.strictObject({ type: z.literal('note'), text: z.string() }),
} as const;

/** Every event type, in the order they are documented. */
export const eventTypes = Object.keys(eventPayloadSchemas) as (keyof typeof eventPayloadSchemas)[];

/** The name of one session event type. */
export type SessionEventType = keyof typeof eventPayloadSchemas;

/** An event before the log assigns its `seq` and `time`. */
export const eventPayloadSchema = eventsWith({});

/** An event before the log assigns its `seq` and `time`. */
export type EventPayload = z.infer<typeof eventPayloadSchema>;

/**
 * Every event type with `extra` fields added, as one union discriminated by `type`: the shape of
 * log records, and of the notifications that carry them.
 */
export function eventsWith<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.discriminatedUnion('type', [
    eventPayloadSchemas.output.extend(extra),
    eventPayloadSchemas.input.extend(extra),
    eventPayloadSchemas.run_start.extend(extra),
    eventPayloadSchemas.run_complete.extend(extra),
    eventPayloadSchemas.resize.extend(extra),
    eventPayloadSchemas.host_start.extend(extra),
    eventPayloadSchemas.host_exit.extend(extra),
    eventPayloadSchemas.note.extend(extra),
  ]);
}

const eventEnvelope = { seq: nonNegativeInt, time: nonNegativeInt };

/**
 * One record of a session's event log: contiguous `seq` from 0, `time` in milliseconds since the
 * epoch, and the payload. The log on disk is the source of truth; every view is a fold over it.
 */
export const sessionEventSchema = eventsWith(eventEnvelope);

/** One record of a session's event log. */
export type SessionEvent = z.infer<typeof sessionEventSchema>;

/** The session event of one type. */
export type SessionEventOf<Type extends SessionEventType> = Extract<SessionEvent, { type: Type }>;
