import { useEffect, useRef } from 'react';
import type { ControllerSnapshot, SessionController } from '../connection/session-controller.js';

/** How the app leaves, and what ends it of itself. */
export interface LeaveOptions {
  controller: SessionController;
  /** Leaves the app with an exit code (after the controller has shut down). */
  exit: (code: number) => void;
  /** Set when the TUI cannot go on: it is printed, and the app leaves with its code. */
  fatal: ControllerSnapshot['fatal'];
  /** Prints a line of Lifeline's own into the transcript. */
  printLocal: (lines: string[], tone: 'error') => void;
}

/**
 * Leaving the app, once: the controller shuts down (the session keeps running), then the app exits
 * with the code. A fatal error is printed and leaves with its own code.
 * @returns leaves with an exit code
 */
export function useLeave({
  controller,
  exit,
  fatal,
  printLocal,
}: LeaveOptions): (code: number) => void {
  const exiting = useRef(false);
  const leave = (code: number) => {
    if (exiting.current) return;
    exiting.current = true;
    void controller.quit().finally(() => {
      exit(code);
    });
  };
  useEffect(() => {
    if (fatal) {
      // Worded as every other error of the command is, the TUI's too.
      printLocal([`lifeline: ${fatal.text}`], 'error');
      const code = fatal.exitCode;
      setImmediate(() => {
        leave(code);
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fatal]);
  return leave;
}
