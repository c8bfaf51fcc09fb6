import { describePaste, formatPasteSize } from '../input/paste-policy.js';
import { useKeyState } from './use-key-state.js';

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
  /** Whether a paste waits, as of the last key (keys of one chunk come between renders). */
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
  const waiting = useKeyState<WaitingPaste | undefined>(undefined);
  return {
    waiting: waiting.value,
    isWaiting: () => waiting.current() !== undefined,
    offer: (text, target) => {
      const size = describePaste(text);
      if (size.confirm) waiting.set({ text, target, size: formatPasteSize(size) });
      else deliver(text, target);
    },
    confirm: () => {
      const paste = waiting.current();
      waiting.set(undefined);
      if (paste) deliver(paste.text, paste.target);
    },
    cancel: () => {
      waiting.set(undefined);
    },
  };
}
