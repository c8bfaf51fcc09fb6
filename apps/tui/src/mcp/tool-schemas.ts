import {
  MAX_INPUT_BYTES,
  MAX_RUN_TIMEOUT_MS,
  STOP_SIGNALS,
  sessionNameSchema,
  sessionSignalSchema,
} from '@lifeline/protocol';
import { z } from 'zod';

const sessionReference = z
  .string()
  .min(1)
  .describe(
    'A session: its id (as list_sessions and start_session give it), the start of its id, or its name',
  );

const timeoutMs = z
  .int()
  .min(1)
  .max(MAX_RUN_TIMEOUT_MS)
  .describe(
    'How long to wait for the command, in milliseconds (default 30000). When it passes, the command keeps running in its session',
  );

/** Arguments of the `run` tool. */
export const runInput = z
  .object({
    command: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A command line in the session's shell syntax: pipes, redirections and quotes as the shell reads them",
      ),
    argv: z
      .array(z.string())
      .min(1)
      .optional()
      .describe(
        'A program and its arguments: each word reaches the program exactly as given (quoted for the shell of the session)',
      ),
    session: sessionReference
      .optional()
      .describe(
        "The session to run in (waiting behind a command running there): its id, the start of its id, or its name. Default: this server's own session while no command runs in it, else a new one",
      ),
    cwd: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The directory to run in: a new session starts there, a reused one changes to it first',
      ),
    timeoutMs: timeoutMs.optional(),
  })
  .strict();

/** The result of `run` and `send_input`. */
export const runReport = z
  .object({
    session: z.string().describe('The session the command ran in'),
    runId: z.string(),
    exitCode: z
      .int()
      .nullable()
      .describe('The exit status; null while the command goes on (timed out, or waits for input)'),
    stoppedBy: z
      .enum(STOP_SIGNALS)
      .nullable()
      .describe(
        "The signal that stopped the command (SIGTSTP for Ctrl+Z): it is paused as a job of the session's shell, and running `fg` there resumes it; null when it was not stopped",
      ),
    output: z.string().describe('What the command printed, as plain text without escape sequences'),
    cwd: z
      .string()
      .nullable()
      .describe("The shell's directory after the command; null when it has not ended"),
    durationMs: z.number().describe('How long the command ran, to a tenth of a millisecond'),
    timedOut: z.boolean().describe('The timeout passed first; the command keeps running'),
    waitsForInput: z
      .boolean()
      .describe('The command waits for someone to type: send_input answers it'),
    shellExited: z.boolean().describe("The session's shell ended during the command"),
    lastSeq: z
      .int()
      .describe("Seq of the session's last event seen: read_output continues from there"),
    note: z
      .string()
      .optional()
      .describe(
        'What the caller must know about this call, when something: the command ran in a new session because the one the earlier commands ran in was busy, or in a new shell because the last one had ended, say',
      ),
  })
  .strict();

/** The result of `run` and `send_input`. */
export type RunReport = z.infer<typeof runReport>;

/** Arguments of the `list_sessions` tool. */
export const listSessionsInput = z.object({}).strict();

const sessionInfo = z
  .object({
    session: z.string(),
    name: z.string(),
    status: z.enum(['live', 'ended']),
    cwd: z.string(),
    shell: z.string(),
    lastActivityAt: z.string(),
    lastCommand: z.string().optional(),
    lastSeq: z.int(),
    running: z
      .object({ runId: z.string(), command: z.string(), waitsForInput: z.boolean() })
      .strict()
      .optional()
      .describe('The command running now, if any'),
  })
  .strict();

/** One session as the tools describe it. */
export type SessionInfo = z.infer<typeof sessionInfo>;

/** The result of `list_sessions`. */
export const sessionList = z
  .object({ sessions: z.array(sessionInfo).describe('Most recently active first') })
  .strict();

/** Arguments of the `start_session` tool. */
export const startSessionInput = z
  .object({
    cwd: z
      .string()
      .min(1)
      .optional()
      .describe("The directory the shell starts in. Default: the MCP server's directory"),
    name: z.optional(sessionNameSchema).describe('A name for people watching'),
  })
  .strict();

/** The result of `start_session`. */
export const startedSession = sessionInfo;

/** Arguments of the `send_input` tool. */
export const sendInputInput = z
  .object({
    session: sessionReference,
    text: z.string().max(MAX_INPUT_BYTES).describe('What to type into the running command'),
    enter: z.boolean().default(true).describe('Press Enter after the text (default true)'),
    masked: z
      .boolean()
      .default(false)
      .describe('A secret (a password): the session log keeps it masked'),
    timeoutMs: timeoutMs.optional(),
  })
  .strict();

const signalNames = sessionSignalSchema.options;

/** Arguments of the `interrupt` tool. */
export const interruptInput = z
  .object({
    session: sessionReference,
    signal: z
      .enum(signalNames)
      .default('SIGINT')
      .describe('The signal for the running program (default SIGINT, as Ctrl+C)'),
    atPrompt: z
      .boolean()
      .default(false)
      .describe(
        "With no command running, press the key at the shell's prompt anyway: it clears the line typed there, or cancels a command waiting for more lines",
      ),
  })
  .strict();

/** The result of `interrupt`. */
export const interrupted = z
  .object({
    session: z.string(),
    signal: z.string(),
    command: z.string().nullable().describe('The command that was running, null for none'),
  })
  .strict();

/** Arguments of the `close_session` tool. */
export const closeSessionInput = z.object({ session: sessionReference }).strict();

/** The result of `close_session`. */
export const closedSession = z
  .object({
    session: z.string(),
    alreadyEnded: z.boolean().describe('The session had ended before: nothing was done'),
    command: z
      .string()
      .nullable()
      .describe('The command that was running and ended with the shell, null for none'),
  })
  .strict();

/** Arguments of the `read_output` tool. */
export const readOutputInput = z
  .object({
    session: sessionReference,
    afterSeq: z
      .int()
      .min(-1)
      .optional()
      .describe(
        "Read what came after this seq, at most the session's last seq (default -1: from the start)",
      ),
    tail: z
      .boolean()
      .default(false)
      .describe(
        "Read the end of the session's output instead, its last 100,000 characters or so (not with afterSeq): what a long command printed last",
      ),
  })
  .strict();

/** The result of `read_output`. */
export const sessionOutput = z
  .object({
    session: z.string(),
    output: z
      .string()
      .describe('What the terminal showed, as plain text, prompts and echoed commands included'),
    lastSeq: z
      .int()
      .describe('Seq of the last event read: pass it as afterSeq to read what comes next'),
    more: z
      .boolean()
      .describe(
        'Whether the session has more events after lastSeq already (the output stopped at about 100,000 characters)',
      ),
    status: z.enum(['live', 'ended']),
    running: sessionInfo.shape.running,
    ended: z
      .array(
        z
          .object({
            runId: z.string(),
            command: z
              .string()
              .optional()
              .describe('The command line, when its start is among the events read'),
            exitCode: z.int(),
            cwd: z
              .string()
              .nullable()
              .describe("The shell's directory after it; null when the shell ended with it"),
            durationMs: z.number(),
            shellExited: z
              .boolean()
              .describe(
                "The session's shell ended with it (exit, or killed): the exit code is the shell's",
              ),
          })
          .strict(),
      )
      .describe(
        "Commands that ended among the events read, oldest first, with their exit status: how a command that outlived run's timeout ended (one that ended the shell too, when its start is among the events read)",
      ),
  })
  .strict();
