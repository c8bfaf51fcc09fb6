/** Above this many bytes queued for one consumer, the PTY is paused. */
export const PAUSE_ABOVE_BYTES = 256 * 1024;

/** The PTY resumes once every consumer is below this (hysteresis avoids flapping). */
export const RESUME_BELOW_BYTES = 64 * 1024;

/** What flow control looks at. */
export interface FlowInputs {
  /** Bytes queued and not yet taken by each consumer. */
  backlogs: readonly number[];
  /** Consumers (gateways) that asked for a pause because their own clients are behind. */
  pauseRequests: number;
  /** Whether the PTY is paused now. */
  paused: boolean;
}

/**
 * Whether the PTY should be paused: a consumer more than 256 KiB behind, or a gateway asking,
 * pauses it; it resumes only when nobody asks and every consumer is back under 64 KiB. Memory
 * stays bounded because a paused PTY blocks the program that writes to it.
 */
export function shouldPause({ backlogs, pauseRequests, paused }: FlowInputs): boolean {
  if (pauseRequests > 0) return true;
  const worst = backlogs.reduce((max, backlog) => Math.max(max, backlog), 0);
  return paused ? worst >= RESUME_BELOW_BYTES : worst > PAUSE_ABOVE_BYTES;
}
