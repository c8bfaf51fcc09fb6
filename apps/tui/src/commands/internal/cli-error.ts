const marker = Symbol.for('lifeline.cli.error');

/**
 * Exit codes of every `lifeline` command (documented in `lifeline --help` and the README). `exec`
 * exits with its command's own status instead whenever the command ran.
 */
export const cliExitCodes = {
  ok: 0,
  /** Something unexpected failed; the message says what. */
  failure: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** No session has the given id, or there is no live session to continue. */
  notFound: 3,
  /** The gateway could not be started or reached. */
  unreachable: 4,
  /** The gateway refused the token (or the Origin), or there is no token to present. */
  auth: 5,
  /** `exec`, `sessions input`, `sessions wait`: the command was still running (or, for exec, still queued) when `--timeout` passed. */
  timeout: 124,
  /** `exec`, `sessions input`, `sessions wait`: the command waits for someone to type (it keeps running). */
  inputWait: 125,
  /** `exec`: Ctrl+C twice: exec stopped waiting (the command keeps running); or Ctrl+C withdrew it. */
  interrupted: 130,
  /** `exec`: SIGTERM withdrew the command that waited for a busy session (128 + 15, as a shell says). */
  terminated: 143,
  /** `exec`: SIGHUP withdrew the command that waited for a busy session (128 + 1). */
  hungUp: 129,
} as const;

/** Why a command stopped, as a stable machine-readable code. */
export type CliErrorCode = Exclude<keyof typeof cliExitCodes, 'ok'>;

/**
 * The one error type of the CLI: a failure the user can act on. The CLI prints its message as one
 * line on stderr (`lifeline: …`) and exits with the code's exit status.
 */
export class CliError extends Error {
  private readonly [marker] = true;
  override readonly name = 'CliError';
  /** What went wrong; decides the exit status. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The exit status this error ends the process with. */
  get exitCode(): number {
    return cliExitCodes[this.code];
  }

  /** True for a `CliError`, even one from another copy of this module. */
  static isInstance(value: unknown): value is CliError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
