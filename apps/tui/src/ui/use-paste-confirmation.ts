import { useState } from 'react';
import { describePaste, formatPasteSize } from '../input/paste-policy.js';
import { useLatest } from './use-latest.js';

/** Where a paste goes: into the input line, or to the session's terminal (program or shell). */
export type PasteTarget = 'line' | 'program';

/** A paste large enough to be asked about first. */
export interface WaitingPaste {
  text: string;
  target: PasteTarget;
  /** Its size in words (`12 lines, 6.1 KiB`). */
  size: string;
}

/** Pastes delivered at once, or held for a yes or no when they are large. */
export interface PasteConfirmation {
  /** The paste waiting for an answer, as drawn now. */
  waiting: WaitingPaste | undefined;
  /** Whether a paste waits, as of the last render (keys of one chunk read it between renders). */
  isWaiting: () => boolean;
  /** A paste came: delivered now, or held to be confirmed if it is large. */
  offer: (text: string, target: PasteTarget) => void;
  /** Delivers the paste that waits (Enter). */
  confirm: () => void;
  /** Drops the paste that waits (Esc). */
  cancel: () => void;
}

/**
 * Pastes over the size the paste policy allows ask first; others go at once to `deliver`, in one
 * piece.
 */
export function usePasteConfirmation(
  deliver: (text: string, target: PasteTarget) => void,
): PasteConfirmation {
  const [waiting, setWaiting] = useState<WaitingPaste | undefined>();
  const latest = useLatest(waiting);
  return {
    waiting,
    isWaiting: () => latest.current !== undefined,
    offer: (text, target) => {
      const size = describePaste(text);
      if (size.confirm) setWaiting({ text, target, size: formatPasteSize(size) });
      else deliver(text, target);
    },
    confirm: () => {
      const paste = latest.current;
      if (paste) deliver(paste.text, paste.target);
      setWaiting(undefined);
    },
    cancel: () => {
      setWaiting(undefined);
    },
  };
}
