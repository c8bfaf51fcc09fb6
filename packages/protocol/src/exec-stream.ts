import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { sessionIdPattern } from './session-id.js';

useEnglishMessagesByDefault();

/** A session id as printed: a plain string of the id's form. */
const printedSessionId = z.string().check(z.regex(sessionIdPattern));

/**
 * Signals that stop a program rather than end it (Ctrl+Z sends SIGTSTP): the shell keeps a stopped
 * command as a job, which `fg` resumes.
 */
export const STOP_SIGNALS = ['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'] as const;

/** A signal that stops a program: one of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * What `lifeline exec --json` prints once, and `lifeline exec --jsonl` as its last line: how the
 * command ended, or why exec stopped waiting for it.
 */
export const execReportSchema = z.strictObject({
  sid: printedSessionId,
  /** `null` when the command never started (see `notStarted`). */
  runId: z.nullable(z.string()),
  /** The command's exit status; `null` when exec stopped waiting first. */
  exitCode: z.nullable(z.int()),
  /**
   * The signal that stopped the command (`SIGTSTP` for Ctrl+Z), as its exit status says (128 + the
   * signal, 148 for Ctrl+Z): it is paused as a job of the session's shell, and `fg` there resumes
   * it. `null` when it was not stopped.
   */
  stoppedBy: z.nullable(z.enum(STOP_SIGNALS)),
  /**
   * The timeout passed first: the command goes on in the session, or, with `notStarted`, never
   * started because the session stayed busy that long.
   */
  timedOut: z.boolean(),
  /**
   * Why the command was not started (`runId` is then `null`), as stderr says it, or `null` when it
   * was: the session stayed busy past the timeout (`timedOut`), or it was refused at once, its
   * command waiting for someone to type or someone's keys holding its prompt (a continuation
   * prompt, a line editor mode).
   */
  notStarted: z.nullable(z.string()),
  /** exec stopped because the command waits for someone to type; it goes on. */
  waitsForInput: z.boolean(),
  /** How long the command ran as the shell measured it (or exec waited), to a tenth of a millisecond. */
  durationMs: z.number().check(z.nonnegative()),
  /** The shell's directory after the command; `null` when unknown (timeout, shell exit). */
  cwd: z.nullable(z.string()),
  /**
   * The session's shell ended during the command (an `exit` in it, or its session host was
   * killed): `exitCode` is then the shell's status, 128 + the signal that ended it, or 1 when
   * nothing says how it ended; the session's next command starts a new shell. (fish reports an
   * `exit` as the command's end before it ends: false there.)
   */
  shellExited: z.boolean(),
  /**
   * The session's shell had ended before the command (an `exit`, `sessions kill`, its host killed),
   * so the command started a new shell there: what the earlier commands set in the last one
   * (exported variables, functions, an activated environment) is not set. `false` in a session
   * exec started (see the `start` line's `newSession`) and for a command not started.
   */
  newShell: z.boolean(),
  /** Plain text, without the echoed command line or any escape sequence. */
  output: z.string(),
});

/** What `lifeline exec --json` prints. */
export type ExecReport = z.infer<typeof execReportSchema>;

/**
 * One line of `lifeline exec --jsonl`, written as it happens: `start` once the command is typed,
 * `output` for each piece of plain text it prints, `waiting_for_input` when it waits for someone
 * to type, and `complete` last, with the fields of the `--json` report.
 */
export const execStreamLineSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('start'),
    sid: printedSessionId,
    runId: z.string(),
    /** The command line typed into the shell (an argument vector quoted for that shell). */
    command: z.string(),
    /** The session's directory when the command was typed. */
    cwd: z.string(),
    /** Whether exec started the session for this command. */
    newSession: z.boolean(),
    /** Whether the command starts a new shell in a session whose last one had ended (see the report). */
    newShell: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('output'),
    /** Plain text, without escape sequences; pieces join into the report's `output`. */
    text: z.string(),
  }),
  z.strictObject({ type: z.literal('waiting_for_input') }),
  z.strictObject({ type: z.literal('complete'), ...execReportSchema.shape }),
]);

/** One line of `lifeline exec --jsonl`. */
export type ExecStreamLine = z.infer<typeof execStreamLineSchema>;
