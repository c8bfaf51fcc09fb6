import type { RunOutput } from './run-output.js';

/**
 * How long a run's output stays quiet before the lines above its cursor are taken as final: a
 * program drawing a display again in place (a progress display) draws it several times a second.
 */
export const OUTPUT_SETTLE_MS = 500;

/** What {@link settleWhenQuiet} returns. */
export interface QuietSettle {
  /** The run printed something: the quiet starts again from now. */
  printed(): void;
  /** Stops watching (the run ended, or the caller stopped waiting). */
  stop(): void;
}

/**
 * Hands `write` the lines of `output` held back above its cursor once the run has printed nothing
 * for `quietMs`: a program that prints a line and then waits (a server saying where it listens)
 * is heard within that time, while one that keeps drawing lines again in place is given their
 * last frame.
 */
export function settleWhenQuiet(
  output: RunOutput,
  write: (text: string) => void,
  quietMs = OUTPUT_SETTLE_MS,
): QuietSettle {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    printed() {
      stop();
      timer = setTimeout(() => {
        timer = undefined;
        const text = output.settle();
        if (text !== '') write(text);
      }, quietMs);
      timer.unref();
    },
    stop,
  };
}
