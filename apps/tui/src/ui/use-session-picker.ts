import { useState } from 'react';
import type { SessionSummary } from '@lifeline/protocol';
import { byRecentActivity } from '../commands/internal/session-pick.js';
import type { SessionController } from '../connection/session-controller.js';
import type { Action } from '../input/key-bindings.js';
import { useLatest } from './use-latest.js';

/** The session picker while it is open: the sessions listed and the one selected. */
export interface OpenPicker {
  sessions: SessionSummary[];
  selected: number;
}

/** The session picker (`/sessions`): open or not, and what its keys do. */
export interface SessionPicking {
  /** The picker as drawn now, if it is open. */
  picker: OpenPicker | undefined;
  /** Whether it is open, as of the last render (keys of one chunk read it between renders). */
  isOpen: () => boolean;
  /** Lists the sessions and opens the picker on the one shown. */
  open: () => void;
  /** Moves the selection, switches to the session chosen, or closes the picker. */
  onAction: (action: Action | undefined) => void;
}

/**
 * The picker as it opens: the sessions most recently active first (the order `lifeline exec`
 * picks them in), the one shown selected.
 */
export function openPicker(
  listed: readonly SessionSummary[],
  shown: string | undefined,
): OpenPicker {
  const sessions = byRecentActivity(listed);
  const selected = sessions.findIndex((session) => session.sid === shown);
  return { sessions, selected: Math.max(0, selected) };
}

/** The session picker: ↑/↓ select, Enter switches to the session selected, Esc closes it. */
export function useSessionPicker(controller: SessionController): SessionPicking {
  const [picker, setPicker] = useState<OpenPicker | undefined>();
  const latest = useLatest(picker);
  return {
    picker,
    isOpen: () => latest.current !== undefined,
    open: () => {
      void controller.listSessions().then((sessions) => {
        setPicker(openPicker(sessions, controller.sessionId));
      });
    },
    onAction: (action) => {
      const current = latest.current;
      if (!current) return;
      switch (action) {
        case 'picker-up':
          setPicker({ ...current, selected: Math.max(0, current.selected - 1) });
          return;
        case 'picker-down':
          setPicker({
            ...current,
            selected: Math.min(current.sessions.length - 1, current.selected + 1),
          });
          return;
        case 'picker-choose': {
          const chosen = current.sessions[current.selected];
          setPicker(undefined);
          if (chosen) void controller.resume(chosen.sid);
          return;
        }
        case 'picker-cancel':
          setPicker(undefined);
          return;
        default:
          return;
      }
    },
  };
}
