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

/**
 * Output this soon after keys were typed is taken as their echo (or the line editor's answer to
 * them): the program and the session host answer a key within a few milliseconds.
 */
export const KEY_ECHO_WINDOW_MS = 50;

/**
 * Characters of output since the last frame, at most, that may be the echo of keys typed: a few
 * keys, or a line the line editor draws again; more is a program's output.
 */
export const KEY_ECHO_CHARS = 256;

/** What the pace of frames depends on. */
export interface FrameLoad {
  /** Characters of output received and not yet applied. */
  outputWaiting: number;
  /** Characters of output applied since the last frame. */
  outputSinceFrame: number;
  /** Whether a run ended since the last frame. */
  runEnded: boolean;
  /** Milliseconds since keys were last typed into the session (by any client). */
  sinceKeysMs?: number;
}

/**
 * The time between two frames under `load`, in milliseconds. The end of a run is drawn at once
 * once its output is all applied, however fast it came: it is the frame the user waits for. So is
 * the echo of keys typed, as in a terminal: a shell echoes keys typed fast (or a key sequence
 * sent at once) one read at a time, and each echo waiting for the frame's interval after the one
 * before showed the last key up to twice that late.
 */
export function frameIntervalMs({
  outputWaiting,
  outputSinceFrame,
  runEnded,
  sinceKeysMs = Number.POSITIVE_INFINITY,
}: FrameLoad): number {
  if (runEnded && outputWaiting === 0) return 0;
  if (outputWaiting === 0 && outputSinceFrame <= KEY_ECHO_CHARS && sinceKeysMs < KEY_ECHO_WINDOW_MS)
    return 0;
  return outputWaiting > 0 || outputSinceFrame > FLOOD_CHARS_PER_FRAME
    ? FLOOD_FRAME_INTERVAL_MS
    : FRAME_INTERVAL_MS;
}
