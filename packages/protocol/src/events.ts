import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { MAX_TERMINAL_DIMENSION } from './limits.js';

useEnglishMessagesByDefault();

const nonNegativeInt = z.int().check(z.nonnegative());
const dimension = z.int().check(z.gte(1), z.lte(MAX_TERMINAL_DIMENSION));
const runId = z.string().check(z.minLength(1), z.maxLength(64));

/** Terminal dimensions accepted anywhere a size is given. */
/** Who typed a command Lifeline ran: `person` at a client's prompt (a program, when absent). */
export const typedBySchema = z.enum(['person']);

/** Who typed a command Lifeline ran: `person` at a client's prompt (a program, when absent). */
export type TypedBy = z.infer<typeof typedBySchema>;

/**
 * A terminal's size in cells, `{ cols, rows }`: whole numbers from 1 to
 * {@link MAX_TERMINAL_DIMENSION}, as `resize` events and the methods that take a size carry it.
 */
export const terminalSizeSchema = z.strictObject({ cols: dimension, rows: dimension });

/** Payloads of every session event type, without `seq` and `time`. */
export const eventPayloadSchemas = {
  /** Bytes the shell (or the program it runs) printed, with detection frames removed. */
  output: z.strictObject({ type: z.literal('output'), data: z.string() }),
  /**
   * Bytes a client typed into the session. `masked` when the terminal read them without echo (a
   * password) or the client said they are a secret: each run of characters is then `***` (which
   * does not tell their number), control characters (Enter, Ctrl+C) are kept.
   */
  input: z.strictObject({
    type: z.literal('input'),
    data: z.string(),
    masked: z.optional(z.literal(true)),
  }),
  /**
   * A run started: a command the shell reported starting, in the shell's order. `origin` says
   * where it came from: `lifeline` for one typed through `session.run` (`lifeline exec`), its
   * `command` as asked for; `shell` for one the shell read on its own (typed at its prompt, typed
   * ahead, pasted, recalled from history), its `command` the line as the shell read it (`''` when
   * the shell could not tell). Absent in logs written before origins were recorded: `lifeline`.
   */
  run_start: z.strictObject({
    type: z.literal('run_start'),
    runId,
    command: z.string(),
    origin: z.optional(z.enum(['lifeline', 'shell'])),
    /** `person` when someone typed it at a client's prompt (`lifeline` origin only); absent when a program asked for it. */
    typedBy: z.optional(typedBySchema),
  }),
  /** The shell came back from a run. */
  run_complete: z.strictObject({
    type: z.literal('run_complete'),
    runId,
    startSeq: nonNegativeInt,
    /**
     * The command's status, as the shell gave it; `128 + signal` for one a signal ended or
     * stopped (148 for Ctrl+Z, also under fish, which does not report a stop: the host sees it).
     */
    exitCode: z.int(),
    cwd: z.string(),
    durationMs: z.number().check(z.nonnegative()),
  }),
  /**
   * A program of the run (or the shell, for a `read` builtin) waits for someone to type, with
   * nothing printed for a while. Recorded once per wait: again only after
   * the run printed or was typed into.
   */
  input_wait: z.strictObject({ type: z.literal('input_wait'), runId }),
  /** The terminal was resized. */
  resize: z.strictObject({ type: z.literal('resize'), ...terminalSizeSchema.shape }),
  /** The session was given another name (`session.rename`): every client showing it follows. */
  renamed: z.strictObject({ type: z.literal('renamed'), name: z.string() }),
  /** A session host started (first start, or a resume after the previous host ended). */
  host_start: z.strictObject({
    type: z.literal('host_start'),
    pid: z.int(),
    cwd: z.string(),
    /**
     * The `TERM` the shell's terminal was started with: that of the terminal the session was
     * opened from, `xterm-256color` for one opened without a terminal (`dumb`, or none). Absent in
     * logs of older versions.
     */
    term: z.optional(z.string()),
  }),
  /**
   * The shell (started by the last `host_start`) is ready for its first command, in `cwd` when it
   * said. What it prints next, up to the line where it reads a command, is its first prompt: what
   * it printed before (a greeting, messages of its startup files) is not. Recorded only for shells
   * whose prompt frames mark where their prompt begins.
   */
  shell_ready: z.strictObject({ type: z.literal('shell_ready'), cwd: z.optional(z.string()) }),
  /**
   * The shell begins to draw its prompt (recorded for bash, whose prompt starts with a frame of its
   * own): what it printed since its last run ended or it was ready (a background job's output,
   * printed while its prompt hooks ran) is not part of the prompt; what follows, up to where it
   * reads keys, is.
   */
  prompt_start: z.strictObject({ type: z.literal('prompt_start') }),
  /**
   * The prompt begun at the last `prompt_start` is drawn (recorded for bash): what the shell prints
   * next (the line as it is typed, a job's output) is not part of it.
   */
  prompt_end: z.strictObject({ type: z.literal('prompt_end') }),
  /** The session host (and with it the shell) ended. */
  host_exit: z.strictObject({
    type: z.literal('host_exit'),
    code: z.nullable(z.int()),
    signal: z.nullable(z.string()),
  }),
  /**
   * A human-readable remark recorded in the session (for instance why a host was restarted).
   * `condition: 'disk_full'` when the log could not be written for lack of space (the session goes
   * on; what follows is held in memory until there is room), `'disk_space_returned'` when it is
   * written again, with `lostBytes`: how many bytes of output were dropped meanwhile (0: none);
   * `'output_dropped'` in place of a piece of output dropped while the disk was full (more than
   * memory holds), with `lostBytes`: its size.
   * A note with an empty `text` shows nothing: it takes up the seq of an event a host held in
   * memory on a full disk and died before writing (the note before it says how many were lost),
   * so that no later event has a seq a client saw another event with.
   */
  note: z.strictObject({
    type: z.literal('note'),
    text: z.string(),
    condition: z.optional(z.enum(['disk_full', 'disk_space_returned', 'output_dropped'])),
    lostBytes: z.optional(nonNegativeInt),
  }),
} as const;

/** Every event type, in the order they are documented. */
export const eventTypes = Object.keys(eventPayloadSchemas) as (keyof typeof eventPayloadSchemas)[];

/** The name of one session event type. */
export type SessionEventType = keyof typeof eventPayloadSchemas;

/** An event before the log assigns its `seq` and `time` (built on its first use). */
export const eventPayloadSchema = z.lazy(() => eventsWith({}));

/** An event before the log assigns its `seq` and `time`. */
export type EventPayload = z.infer<typeof eventPayloadSchema>;

/**
 * Every event type with `extra` fields added, as one union discriminated by `type`: the shape of
 * log records, and of the notifications that carry them.
 */
export function eventsWith<Extra extends z.core.$ZodLooseShape>(extra: Extra) {
  return z.discriminatedUnion('type', [
    z.extend(eventPayloadSchemas.output, extra),
    z.extend(eventPayloadSchemas.input, extra),
    z.extend(eventPayloadSchemas.run_start, extra),
    z.extend(eventPayloadSchemas.run_complete, extra),
    z.extend(eventPayloadSchemas.input_wait, extra),
    z.extend(eventPayloadSchemas.resize, extra),
    z.extend(eventPayloadSchemas.renamed, extra),
    z.extend(eventPayloadSchemas.host_start, extra),
    z.extend(eventPayloadSchemas.shell_ready, extra),
    z.extend(eventPayloadSchemas.prompt_start, extra),
    z.extend(eventPayloadSchemas.prompt_end, extra),
    z.extend(eventPayloadSchemas.host_exit, extra),
    z.extend(eventPayloadSchemas.note, extra),
  ]);
}

const eventEnvelope = { seq: nonNegativeInt, time: nonNegativeInt };

/**
 * One record of a session's event log: contiguous `seq` from 0, `time` in milliseconds since the
 * epoch, and the payload. The log on disk is the source of truth; every view is a fold over it.
 * Built on its first use.
 */
export const sessionEventSchema = z.lazy(() => eventsWith(eventEnvelope));

/** One record of a session's event log. */
export type SessionEvent = z.infer<typeof sessionEventSchema>;

/** The session event of one type. */
export type SessionEventOf<Type extends SessionEventType> = Extract<SessionEvent, { type: Type }>;
