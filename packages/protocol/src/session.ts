import * as z from 'zod/mini';
import { useEnglishMessagesByDefault } from './english-messages.js';
import { terminalSizeSchema } from './events.js';
import { sessionIdSchema } from './session-id-schema.js';

useEnglishMessagesByDefault();

const nonNegativeInt = z.int().check(z.nonnegative());

/**
 * `s_` and up to 26 characters of a session id: a session id, or how one starts, with or without
 * the `…` that shortens it where it is shown. Clients take the start of an id for the session it
 * picks, so a name of this form would stand for two sessions.
 */
const sessionIdStart = /^s_[0-9a-hjkmnp-tv-z]{0,26}\u2026?$/;

/**
 * A session's name, for people: 1 to 200 characters on one line (no control characters), and not
 * of the form of a session id or of its start (`s_01m8`), so that a name or an id picks a session
 * without doubt.
 */
export const sessionNameSchema = z.string().check(
  z.minLength(1, 'a session name is at least one character'),
  z.maxLength(200, 'a session name is at most 200 characters'),
  z.refine((name) => !/[\x00-\x1f\x7f]/.test(name), 'a session name holds no control characters'),
  z.refine(
    (name) => !sessionIdStart.test(name),
    'a session name cannot look like a session id or its start (s_ and lowercase letters and digits)',
  ),
);

/** What `session.list` and `session.attach` say about a session. */
export const sessionSummarySchema = z.strictObject({
  sid: sessionIdSchema,
  /**
   * A name for people; defaults to the basename of the starting cwd (with `-2`, `-3`… while a
   * live session has that name).
   */
  name: z.string(),
  /** `live` while a session host runs its shell; `ended` once it has exited. */
  status: z.enum(['live', 'ended']),
  /** The shell's current directory, as of its last completed run. */
  cwd: z.string(),
  /** Path of the shell program. */
  shell: z.string(),
  /** ISO 8601 time of creation. */
  createdAt: z.iso.datetime(),
  /** ISO 8601 time of the last event. */
  lastActivityAt: z.iso.datetime(),
  /**
   * ISO 8601 time someone last opened or left the session in a client that shows it to them (the
   * TUI: `session.attach {attachedBy: 'person'}`, and that client's detach or end), kept in the
   * session's directory across gateways.
   * Absent when nobody has (a session only programs used), or the gateway predates it.
   */
  lastAttachedAt: z.optional(z.iso.datetime()),
  /** The command of the latest run, if any. */
  lastCommand: z.optional(z.string()),
  /** Seq of the latest event (-1 for an empty log). */
  lastSeq: z.int().check(z.gte(-1)),
  /** Process id of the live session host. */
  hostPid: z.optional(z.int()),
  /**
   * How the session's host (for an ended session, its last one) tells when a run ends:
   * `prompt-hook` (the shell's own hooks), or `postamble` (a line typed after each command; the
   * shell then draws no prompt). Absent when no host has said (a session of an older version).
   */
  completionMode: z.optional(z.enum(['prompt-hook', 'postamble'])),
  /**
   * The size of the session's terminal now (as its latest `resize` event says): what a program in
   * it draws for. Absent from gateways of older versions.
   */
  size: z.optional(terminalSizeSchema),
  /**
   * The run going on now, in a live session: its id, its command, the seq of its `run_start`, and
   * `waitsForInput` while it waits for someone to type (its `input_wait` came after anything it
   * printed or was typed).
   */
  running: z.optional(
    z.strictObject({
      runId: z.string(),
      command: z.string(),
      startSeq: nonNegativeInt,
      waitsForInput: z.optional(z.boolean()),
    }),
  ),
});

/** What `session.list` and `session.attach` say about a session. */
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** Outcome of `session.run`. */
export const runResultSchema = z.strictObject({
  runId: z.string(),
  /** Seq of the run's `run_start` event. */
  startSeq: nonNegativeInt,
  /** The shell came back and the exit status is known. */
  completed: z.boolean(),
  /** The timeout passed first; the run goes on and its `run_complete` is still recorded. */
  timedOut: z.boolean(),
  /** The shell (and host) ended before the run completed. */
  exited: z.boolean(),
  exitCode: z.optional(z.int()),
  cwd: z.optional(z.string()),
  durationMs: z.optional(z.number().check(z.nonnegative())),
  /** Seq of the run's `run_complete` event. */
  completeSeq: z.optional(nonNegativeInt),
});

/** Outcome of `session.run`. */
export type RunResult = z.infer<typeof runResultSchema>;

/** Signals a client may deliver to the program running in a session. */
export const sessionSignalSchema = z.enum([
  'SIGINT',
  'SIGQUIT',
  'SIGTSTP',
  'SIGCONT',
  'SIGTERM',
  'SIGHUP',
  'SIGKILL',
  'SIGUSR1',
  'SIGUSR2',
]);

/** A signal a client may deliver to the program running in a session. */
export type SessionSignal = z.infer<typeof sessionSignalSchema>;

/**
 * The signals `session.signal` delivers as the key a person would press in the session's terminal
 * (its line discipline turns the key into the signal for the program in the foreground), with that
 * key: its bytes and its name. At a shell's prompt, where nothing runs, the line editor takes the
 * key instead (Ctrl+C clears the line being typed). The other signals go to the foreground process
 * group, or to the shell when nothing runs.
 */
export const sessionSignalKeys: Readonly<
  Partial<Record<SessionSignal, { readonly bytes: string; readonly name: string }>>
> = {
  SIGINT: { bytes: '\x03', name: 'Ctrl+C' },
  SIGQUIT: { bytes: '\x1c', name: 'Ctrl+\\' },
  SIGTSTP: { bytes: '\x1a', name: 'Ctrl+Z' },
};
