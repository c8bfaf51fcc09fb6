/** Above this many bytes queued for one consumer, the PTY is paused. */
export const PAUSE_ABOVE_BYTES = 256 * 1024;

/** The PTY resumes once every consumer is below this (hysteresis avoids flapping). */
export const RESUME_BELOW_BYTES = 64 * 1024;

/**
 * While keys are being typed into the program (a paste), the PTY is paused only above this many
 * bytes queued for one consumer.
 */
export const TYPING_PAUSE_ABOVE_BYTES = 16 * 1024 * 1024;

/** What flow control looks at. */
export interface FlowInputs {
  /** Bytes queued and not yet taken by each consumer. */
  backlogs: readonly number[];
  /** Consumers (gateways) that asked for a pause because their own clients are behind. */
  pauseRequests: number;
  /** Whether the PTY is paused now. */
  paused: boolean;
  /**
   * Whether keys are being typed into the program: the terminal echoes them as the program takes
   * them, and keeps an echo it cannot hand on in a small ring that overwrites its oldest, so what
   * it prints while paused is lost (a paste into `cat` showed a third of its lines). @default false
   */
  typing?: boolean;
}

/**
 * Whether the PTY should be paused: a consumer more than 256 KiB behind, or a gateway asking,
 * pauses it; it resumes only when nobody asks and every consumer is back under 64 KiB. Memory
 * stays bounded because a paused PTY blocks the program that writes to it. While keys are typed,
 * only a consumer more than 16 MiB behind pauses it, so that their echo is never lost: what is
 * printed meanwhile is as much as what is typed, as a rule.
 */
export function shouldPause({
  backlogs,
  pauseRequests,
  paused,
  typing = false,
}: FlowInputs): boolean {
  const worst = backlogs.reduce((max, backlog) => Math.max(max, backlog), 0);
  if (typing) return worst > TYPING_PAUSE_ABOVE_BYTES;
  if (pauseRequests > 0) return true;
  return paused ? worst >= RESUME_BELOW_BYTES : worst > PAUSE_ABOVE_BYTES;
}
