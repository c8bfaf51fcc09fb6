/**
 * Shortest time between two frames, so output renders at a bounded rate: the rate at which the
 * renderer draws (30 a second) at most. A change after a quiet spell is drawn at once.
 */
export const FRAME_INTERVAL_MS = 33;

/**
 * The same while the screen is behind the program (output waits to be applied) or the program
 * floods it: each frame drawn then costs time that catching up needs, and a screen that scrolls
 * this fast cannot be read frame by frame anyway.
 */
export const FLOOD_FRAME_INTERVAL_MS = 100;

/**
 * Characters of output applied since the last frame above which the program floods the screen:
 * about a megabyte a second at 30 frames a second, far more than a progress bar, `top` or a
 * build's redraws write, and less than what `seq`, `yes`, `cat` of a large file or a verbose log
 * do.
 */
export const FLOOD_CHARS_PER_FRAME = 32 * 1024;

/** What the pace of frames depends on. */
export interface FrameLoad {
  /** Characters of output received and not yet applied. */
  outputWaiting: number;
  /** Characters of output applied since the last frame. */
  outputSinceFrame: number;
  /** Whether a run ended since the last frame. */
  runEnded: boolean;
}

/**
 * The time between two frames under `load`, in milliseconds. The end of a run is drawn at once
 * once its output is all applied, however fast it came: it is the frame the user waits for.
 */
export function frameIntervalMs({ outputWaiting, outputSinceFrame, runEnded }: FrameLoad): number {
  if (runEnded && outputWaiting === 0) return 0;
  return outputWaiting > 0 || outputSinceFrame > FLOOD_CHARS_PER_FRAME
    ? FLOOD_FRAME_INTERVAL_MS
    : FRAME_INTERVAL_MS;
}
