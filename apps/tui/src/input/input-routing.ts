import { actionFor, LIFELINE_KEY_SEQUENCE, type Action } from './key-bindings.js';
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
  /** Lifeline's command line, opened with the Lifeline key: keys edit it, Enter runs a `/command`. */
  | 'command-line'
  /**
   * No command runs and the session's shell edits its own lines: keys and pastes go to the shell
   * (completion, history search, its bindings); the Lifeline key opens Lifeline's command line.
   */
  | 'shell'
  /**
   * The session is being attached (first shown, resumed, switched to, recovered) and its history
   * is not all shown yet: what is typed is held, in order, until it is known where it goes.
   */
  | 'waiting'
  /**
   * The session's log cannot be read past a place, so it is never shown beyond it: nothing typed
   * can go to it; the Lifeline key opens Lifeline's command line (another session, quit).
   */
  | 'unshown'
  /** No command runs, and Lifeline edits the command line (a shell without a line editor of its own, or no gateway to reach). */
  | 'line';

/** What the app knows when a key comes. */
export interface InputState {
  pasteWaiting: boolean;
  pickerOpen: boolean;
  /** A command runs (or was just submitted). */
  running: boolean;
  /** The gateway is live with the session attached. */
  reachable: boolean;
  /** Lifeline's command line is open. */
  commandLineOpen?: boolean;
  /**
   * The session is attached and all of its history shown: what is typed can be routed. False while
   * the gateway starts or recovers, or a session is being attached. @default true
   */
  attached?: boolean;
  /** The gateway stopped trying (gave up, stopped): nothing typed can be delivered until /recover. */
  givenUp?: boolean;
  /** The session's log cannot be read past a place: it is not shown, nor attached, beyond it. */
  unreadable?: boolean;
  /** The session's shell runs and edits its own command lines (bash, zsh, fish with prompt hooks). */
  shellEditsLines?: boolean;
}

/** What routing needs to know beyond the mode. */
export interface RouteContext {
  /** A Lifeline key pressed twice, taken as the key itself. @default false */
  literal?: boolean;
  /**
   * Enter just went to the shell and its run may be about to start: the Lifeline key pressed twice
   * hands the terminal to that run (as it does to a running one) rather than being the shell's.
   * @default false
   */
  runMayStart?: boolean;
  /**
   * Something is held already: the Lifeline key is held after it (typed with the Enter that
   * starts a command, it is meant for that command's run), keeping the order. @default false
   */
  holding?: boolean;
}

/** The mode the state puts input in. */
export function inputMode(state: InputState): InputMode {
  if (state.pasteWaiting) return 'confirm-paste';
  if (state.pickerOpen) return 'picker';
  if (state.commandLineOpen === true) return 'command-line';
  if (state.attached === false && state.givenUp !== true)
    return state.unreadable === true ? 'unshown' : 'waiting';
  if (state.running) return state.reachable ? 'program' : 'program-unreachable';
  return state.shellEditsLines === true && state.reachable ? 'shell' : 'line';
}

/** What the running command could not be given. */
export type Refused = 'keys' | 'interrupt' | 'attach';

/** One thing to do with what the user typed. */
export type InputAction =
  /** Edit the input line (or submit it, or quit from it) as the key's binding says. */
  | { kind: 'edit'; action: Action | undefined; press: KeyPress; commandsRun: boolean }
  | { kind: 'send-keys'; data: string }
  /** Kept, in order, until the session is attached; routed again then (`literal` as given here). */
  | { kind: 'hold'; event: InputEvent; literal: boolean }
  | { kind: 'open-command-line' }
  | { kind: 'close-command-line' }
  /** The Lifeline key pressed twice: the key itself, for the shell or the program. */
  | { kind: 'literal-lifeline-key' }
  | { kind: 'interrupt' }
  | { kind: 'attach' }
  | { kind: 'picker'; action: Action | undefined }
  /** A paste, into the input line or to the running command (confirmed first when large). */
  | { kind: 'paste'; text: string; target: 'line' | 'program' }
  | { kind: 'paste-confirm' }
  | { kind: 'paste-cancel' }
  /** A key that does nothing while a paste waits: the user is told which keys do. */
  | { kind: 'paste-waiting' }
  /** A key that does nothing as the session cannot be shown: the line under it says so. */
  | { kind: 'unshown' }
  /** Said to the user: the running command cannot be given this now. */
  | { kind: 'refuse'; what: Refused };

/**
 * Routes one key or paste: the whole of the TUI's input policy, as a pure function. Nothing is
 * dropped without a word; what is typed while the session is being attached is held in order and
 * routed once it is (`literal`: a Lifeline key pressed twice, taken as the key itself).
 */
export function routeInput(
  mode: InputMode,
  event: InputEvent,
  { literal = false, runMayStart = false, holding = false }: RouteContext = {},
): InputAction[] {
  const isLifelineKey = event.kind === 'key' && event.sequence === LIFELINE_KEY_SEQUENCE;
  const lifelineKey = !literal && isLifelineKey;
  switch (mode) {
    case 'waiting':
      if (lifelineKey && !holding) return [{ kind: 'open-command-line' }];
      return [{ kind: 'hold', event, literal }];
    case 'unshown':
      return lifelineKey ? [{ kind: 'open-command-line' }] : [{ kind: 'unshown' }];
    case 'shell':
      if (lifelineKey) return [{ kind: 'open-command-line' }];
      // Pressed twice with the Enter that starts a command: the run gets the whole terminal.
      if (runMayStart && isLifelineKey) return [{ kind: 'attach' }];
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'program' }];
      return [{ kind: 'send-keys', data: event.sequence }];
    case 'command-line': {
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'line' }];
      if (event.sequence === LIFELINE_KEY_SEQUENCE)
        return [{ kind: 'close-command-line' }, { kind: 'literal-lifeline-key' }];
      const action = actionFor(event, 'prompt');
      if (event.name === 'escape' || action === 'interrupt')
        return [{ kind: 'close-command-line' }];
      return [{ kind: 'edit', action, press: event, commandsRun: false }];
    }
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
      // Lifeline's commands are reached as at the prompt; pressed twice, the key hands the
      // command the whole terminal (where it is the key that takes it back).
      if (isLifelineKey) return [{ kind: literal ? 'attach' : 'open-command-line' }];
      if (literal) return [{ kind: 'send-keys', data: event.sequence }];
      if (actionFor(event, 'prompt') === 'interrupt') return [{ kind: 'interrupt' }];
      return [{ kind: 'send-keys', data: event.sequence }];
    }
    case 'program-unreachable': {
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'line' }];
      // Lifeline's commands are reached as when it can be (`/recover` among them); pressed twice,
      // the key would hand the command the terminal, which cannot be done now.
      if (isLifelineKey)
        return [literal ? { kind: 'refuse', what: 'attach' } : { kind: 'open-command-line' }];
      const action = actionFor(event, 'prompt');
      // Ctrl+C still clears the line, and twice on an empty one quits; the refusal is said last.
      if (action === 'interrupt')
        return [
          { kind: 'edit', action, press: event, commandsRun: false },
          { kind: 'refuse', what: 'interrupt' },
        ];
      return [{ kind: 'edit', action, press: event, commandsRun: false }];
    }
    case 'line':
      if (event.kind === 'paste') return [{ kind: 'paste', text: event.text, target: 'line' }];
      if (lifelineKey) return [{ kind: 'open-command-line' }];
      return [
        { kind: 'edit', action: actionFor(event, 'prompt'), press: event, commandsRun: true },
      ];
  }
}
