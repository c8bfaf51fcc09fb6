import type { RunOutput } from './run-output.js';

/**
 * How often a run's held-back lines are looked at while it prints: a program drawing a display
 * again in place (a spinner, a progress display) draws it several times a second.
 */
export const OUTPUT_SETTLE_MS = 500;

/** What {@link settleWhileRunning} returns. */
export interface OutputSettling {
  /** The run printed something. */
  printed(): void;
  /** Stops (the run ended, or the caller stopped waiting). */
  stop(): void;
}

/**
 * Hands `write` the lines of `output` the program has gone past ({@link RunOutput.settle}) every
 * `intervalMs` while it prints, and once more an interval after it last printed: a line followed
 * by a wait (a server saying where it listens) comes within about that time, and so do the lines
 * above a spinner or a live summary that keeps being drawn below them.
 */
export function settleWhileRunning(
  output: RunOutput,
  write: (text: string) => void,
  intervalMs = OUTPUT_SETTLE_MS,
): OutputSettling {
  let timer: NodeJS.Timeout | undefined;
  /** The run printed since the last look: what it drew then is looked at again after the next interval. */
  let printedSince = false;
  const look = () => {
    const printed = printedSince;
    printedSince = false;
    const text = output.settle();
    if (text !== '') write(text);
    timer = printed ? setTimeout(look, intervalMs).unref() : undefined;
  };
  return {
    printed() {
      printedSince = true;
      timer ??= setTimeout(look, intervalMs).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
