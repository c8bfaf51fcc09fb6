import { useEffect, useState } from 'react';
import type { LiveRun } from '../session/transcript-fold.js';

/**
 * How long a run is still shown waiting for input after a wait ended without a line typed: a
 * program that waits for keys and draws its screen again (`top` every few seconds, a pager after
 * Space) is found waiting again within half a second, and should not flicker to `● running` in
 * between.
 */
const WAIT_SHOWN_AFTER_END_MS = 1500;

/**
 * Whether the TUI says the running command waits for input: while its host says so, and for
 * {@link WAIT_SHOWN_AFTER_END_MS} after a wait that ended without a line typed (a line, its Enter,
 * ends it at once: the program may go to work on it).
 */
export function useShownInputWait(live: LiveRun | undefined): boolean {
  const end = live?.waitEndedWithoutLine;
  const runId = live?.runId;
  // The end whose time has run out, so the next render shows the run as running again.
  const [expired, setExpired] = useState<{ runId: string; end: number }>();
  useEffect(() => {
    if (end === undefined || runId === undefined) return undefined;
    const timer = setTimeout(() => setExpired({ runId, end }), WAIT_SHOWN_AFTER_END_MS);
    return () => clearTimeout(timer);
  }, [runId, end]);
  if (live === undefined) return false;
  if (live.waitsForInput) return true;
  if (end === undefined) return false;
  return expired === undefined || expired.runId !== runId || expired.end !== end;
}
