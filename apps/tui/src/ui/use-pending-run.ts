import { useRef, useState } from 'react';
import type { SessionController } from '../connection/session-controller.js';
import type { TranscriptSnapshot } from '../session/transcript-fold.js';

/** Whether a command runs, counting one submitted whose run has not started yet. */
export interface PendingRun {
  /** Whether a command runs, as drawn now. */
  running: boolean;
  /** Whether one runs, as of the last key (a command submitted in this chunk counts). */
  isRunning: () => boolean;
  /**
   * Runs `command` in the session; it counts as running from now on. `refused` is called if it
   * could not be started (the gateway is down, say).
   */
  run: (command: string, refused?: () => void) => void;
}

/**
 * A submitted command counts as running from Enter on, before its run_start arrives: Ctrl+C and
 * keys typed right away belong to it. It stops counting once its run is in the transcript, or if
 * it could not be started.
 */
export function usePendingRun(
  controller: SessionController,
  transcript: TranscriptSnapshot,
): PendingRun {
  const [, setRedraw] = useState(0);
  const pendingRun = useRef<{ historyLength: number } | undefined>(undefined);
  if (pendingRun.current && transcript.history.length > pendingRun.current.historyLength)
    pendingRun.current = undefined;
  const running = transcript.live !== undefined || pendingRun.current !== undefined;
  const latest = useRef({ running, historyLength: transcript.history.length });
  latest.current = { running, historyLength: transcript.history.length };
  return {
    running,
    isRunning: () => latest.current.running,
    run: (command, refused) => {
      const pending = { historyLength: latest.current.historyLength };
      pendingRun.current = pending;
      latest.current = { ...latest.current, running: true };
      void controller.run(command).then((started) => {
        if (started) return;
        refused?.();
        if (pendingRun.current === pending) {
          pendingRun.current = undefined;
          setRedraw((value) => value + 1);
        }
      });
    },
  };
}
