import { CliError, cliExitCodes } from './commands/internal/cli-error.js';

/** The environment variable that sets {@link scrollbackLines}. */
export const SCROLLBACK_LINES_VARIABLE = 'LIFELINE_SCROLLBACK_LINES';
const fewest = 1_000;
const most = 10_000_000;

/**
 * How many lines of one run's output the TUI keeps and prints to the terminal whole however fast
 * they come (a faster flood's lines beyond it are counted in a hidden-lines marker), as the user
 * set it in {@link SCROLLBACK_LINES_VARIABLE} for a terminal whose history holds more than the
 * default; undefined when unset.
 * @throws CliError `usage` for a value that is not a whole number in range
 */
export function scrollbackLines(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[SCROLLBACK_LINES_VARIABLE];
  if (value === undefined || value === '') return undefined;
  const lines = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(lines >= fewest && lines <= most))
    throw new CliError(
      'usage',
      `${SCROLLBACK_LINES_VARIABLE}=${value}: give a whole number of lines from ${fewest} to ${most} (as many as your terminal's history keeps), or unset it for 10000`,
    );
  return lines;
}

/**
 * {@link scrollbackLines}, or the end of the process with the usage exit code, saying why, when
 * the value is not a number of lines in range (for the entry point, before it starts anything).
 */
export function scrollbackLinesOrExit(env: NodeJS.ProcessEnv = process.env): number | undefined {
  try {
    return scrollbackLines(env);
  } catch (error) {
    process.stderr.write(`lifeline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(cliExitCodes.usage);
  }
}
