import { actionFor, type Action } from './key-bindings.js';
import type { InputEvent, KeyPress } from './keypress.js';

/** Where what the user types goes now. */
export type InputMode =
  /** A large paste waits to be confirmed (Enter) or dropped (Esc, Ctrl+C). */
  | 'confirm-paste'
  /** The session picker is open. */
  | 'picker'
  /** A command runs and the session can be reached: keys are the command's. */
  | 'program'
  /**
   * A command runs, and the session cannot be reached (the gateway starts, recovers, gave up or
   * stopped): keys edit the input line, so that `/recover` and `/quit` can be typed; what is
   * meant for the command is refused, never kept for later.
   */
  | 'program-unreachable'
  /** No command runs: keys edit the input line. */
  | 'line';

/** What the app knows when a key comes. */
export interface InputState {
  pasteWaiting: boolean;
  pickerOpen: boolean;
  /** A command runs (or was just submitted). */
  running: boolean;
  /** The gateway is live with the session attached. */
  reachable: boolean;
}

/** The mode the state puts input in. */
export function inputMode(state: InputState): InputMode {
  if (state.pasteWaiting) return 'confirm-paste';
  if (state.pickerOpen) return 'picker';
  if (!state.running) return 'line';
  return state.reachable ? 'program' : 'program-unreachable';
}

/** What the running command could not be given. */
export type Refused = 'keys' | 'interrupt' | 'attach';

/** One thing to do with what the user typed. */
export type InputAction =
  /** Edit the input line (or submit it, or quit from it) as the key's binding says. */
  | { kind: 'edit'; action: Action | undefined; press: KeyPress; commandsRun: boolean }
  | { kind: 'send-keys'; data: string }
  | { kind: 'interrupt' }
  | { kind: 'attach' }
  | { kind: 'picker'; action: Action | undefined }
  /** A paste, into the input line or to the running command (confirmed first when large). */
  | { kind: 'paste'; text: string; target: 'line' | 'program' }
  | { kind: 'paste-confirm' }
  | { kind: 'paste-cancel' }
  /** A key that does nothing while a paste waits: the user is told which keys do. */
  | { kind: 'paste-waiting' }
  /** Said to the user: the running command cannot be given this now. */
  | { kind: 'refuse'; what: Refused };

/**
 * Routes one key or paste: the whole of the TUI's input policy, as a pure function. Nothing is
 * dropped without a word, and nothing meant for the running command is kept to be sent later.
 */
export function routeInput(mode: InputMode, event: InputEvent): InputAction[] {
  switch (mode) {
    case 'confirm-paste':
      if (event.kind === 'paste') return [{ kind: 'paste-waiting' }];
      if (event.name === 'return') return [{ kind: 'paste-confirm' }];
      if (event.name === 'escape' || (event.ctrl && event.char === 'c'))
        return [{ kind: 'paste-cancel' }];
      return [{ kind: 'paste-waiting' }];
    case 'picker':
      if (event.kind === 'paste') return [];
      return [{ kind: 'picker', action: actionFor(event, 'picker') }];
    case 'program': {
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'program' }];
      const action = actionFor(event, 'prompt');
      if (action === 'interrupt') return [{ kind: 'interrupt' }];
      if (action === 'attach') return [{ kind: 'attach' }];
      return [{ kind: 'send-keys', data: event.sequence }];
    }
    case 'program-unreachable': {
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'line' }];
      const action = actionFor(event, 'prompt');
      // Ctrl+C still clears the line, and twice on an empty one quits; the refusal is said last.
      if (action === 'interrupt')
        return [
          { kind: 'edit', action, press: event, commandsRun: false },
          { kind: 'refuse', what: 'interrupt' },
        ];
      if (action === 'attach') return [{ kind: 'refuse', what: 'attach' }];
      return [{ kind: 'edit', action, press: event, commandsRun: false }];
    }
    case 'line':
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'line' }];
      return [
        { kind: 'edit', action: actionFor(event, 'prompt'), press: event, commandsRun: true },
      ];
  }
}
