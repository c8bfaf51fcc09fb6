import type { SessionSummary } from '@lifeline/protocol';
import { byRecentActivity } from '../commands/internal/session-pick.js';
import type { SessionController } from '../connection/session-controller.js';
import { describeError } from '../connection/status-message.js';
import type { Action } from '../input/key-bindings.js';
import { useKeyState } from './use-key-state.js';

/** The session picker while it is open: the sessions listed and the one selected. */
export interface OpenPicker {
  sessions: SessionSummary[];
  selected: number;
  /**
   * While the list is on its way: the keys pressed meanwhile, which act on it once it is there
   * (typed ahead, they must not reach the shell, where Enter would run a command).
   */
  typedAhead?: Action[];
}

/** The session picker (`/sessions`): open or not, and what its keys do. */
export interface SessionPicking {
  /** The picker as drawn now, if it is open. */
  picker: OpenPicker | undefined;
  /** Whether it is open, as of the last key (keys of one chunk come between renders). */
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

/**
 * The session picker: ↑/↓ select, Enter switches to the session selected, Esc closes it. Every key
 * of a chunk counts: each moves on from where the key before it left the selection. It is open
 * from the moment it is asked for: keys typed while the list is on its way act on it once it is
 * there, in order (Esc at once).
 */
export function useSessionPicker(
  controller: Pick<SessionController, 'listSessions' | 'resume' | 'say' | 'sessionId'>,
): SessionPicking {
  const picker = useKeyState<OpenPicker | undefined>(undefined);
  const act = (action: Action | undefined) => {
    const current = picker.current();
    if (!current) return;
    if (current.typedAhead) {
      if (action === 'picker-cancel') picker.set(undefined);
      else if (action !== undefined) current.typedAhead.push(action);
      return;
    }
    switch (action) {
      case 'picker-up':
        picker.set({ ...current, selected: Math.max(0, current.selected - 1) });
        return;
      case 'picker-down':
        picker.set({
          ...current,
          selected: Math.min(current.sessions.length - 1, current.selected + 1),
        });
        return;
      case 'picker-choose': {
        const chosen = current.sessions[current.selected];
        picker.set(undefined);
        if (chosen) void controller.resume(chosen.sid);
        return;
      }
      case 'picker-cancel':
        picker.set(undefined);
        return;
      default:
        return;
    }
  };
  return {
    picker: picker.value,
    isOpen: () => picker.current() !== undefined,
    open: () => {
      const typedAhead: Action[] = [];
      const opening: OpenPicker = { sessions: [], selected: 0, typedAhead };
      picker.set(opening);
      controller.listSessions().then(
        (sessions) => {
          // Closed (Esc) while it was listed: nothing opens.
          if (picker.current() !== opening) return;
          picker.set(openPicker(sessions, controller.sessionId));
          for (const action of typedAhead) act(action);
        },
        (error: unknown) => {
          // The gateway went away while it listed them, say: the picker closes.
          if (picker.current() === opening) picker.set(undefined);
          controller.say({
            text: `cannot list the sessions: ${describeError(error)}`,
            tone: 'error',
          });
        },
      );
    },
    onAction: act,
  };
}
