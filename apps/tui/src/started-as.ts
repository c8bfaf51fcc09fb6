/**
 * How the user starts Lifeline, to name in what the TUI says about coming back to a session:
 * `lifeline`, unless a launcher said otherwise in `LIFELINE_STARTED_AS` (`npm start --` in a clone
 * of the repository, where `lifeline` is not on the PATH).
 */
let startedAs = 'lifeline';

/**
 * Reads `LIFELINE_STARTED_AS` and takes it out of the environment, before any process is started:
 * the gateway, the session hosts and their shells do not inherit it.
 */
export function takeStartedAs(env: NodeJS.ProcessEnv = process.env): void {
  const given = env.LIFELINE_STARTED_AS?.trim();
  delete env.LIFELINE_STARTED_AS;
  if (given) startedAs = given;
}

/** The command that starts Lifeline, as the user types it (see {@link takeStartedAs}). */
export function startCommand(): string {
  return startedAs;
}
