import { useEffect, useRef, useState } from 'react';
import type { ControllerSnapshot, SessionController } from '../connection/session-controller.js';
import { gatewayStateWords } from '../connection/gateway-state-words.js';
import { HeldInput } from '../input/held-input.js';
import { inputMode, routeInput, type InputMode } from '../input/input-routing.js';
import { LIFELINE_KEY_SEQUENCE, type Action } from '../input/key-bindings.js';
import type { InputEvent, KeyPress } from '../input/keypress.js';
import { sayRefused } from './refusals.js';
import type { InputLineState } from './use-input-line.js';
import type { PasteConfirmation } from './use-paste-confirmation.js';
import type { PendingRun } from './use-pending-run.js';
import { EMPTY_EARLY_LINE, typedAtEarlyPrompt, type EarlyLine } from './early-prompt-frame.js';
import type { SessionPicking } from './use-session-picker.js';

/** Where the app's keys come from: the one owner of stdin. */
export interface InputSource {
  subscribe(listener: (event: InputEvent) => void): () => void;
}

/**
 * After Enter went to the shell, for this long (or until a run started), the Lifeline key is taken
 * for the attach key of the run about to start: typed with the Enter, it hands that run the terminal.
 */
const RUN_START_WAIT_MS = 250;
/** Said when a key other than Enter or Esc comes while a paste waits for one of them. */
const PASTE_WAITS = 'a paste waits: Enter pastes it, Esc drops it';
/** Ctrl+], as a key: the Lifeline key pressed twice is this, for the shell or the program. */
const lifelineKeyPress: KeyPress = {
  kind: 'key',
  name: 'char',
  char: ']',
  ctrl: true,
  meta: false,
  shift: false,
  sequence: LIFELINE_KEY_SEQUENCE,
};

/** What routing the keys needs: the state they are routed by, and what carries their actions out. */
export interface InputRoutingOptions {
  controller: SessionController;
  input: InputSource;
  /** The controller's snapshot as of the last render. */
  snapshot: { readonly current: ControllerSnapshot };
  inputLine: InputLineState;
  picker: SessionPicking;
  paste: PasteConfirmation;
  pendingRun: PendingRun;
  /** Applies a key's action to Lifeline's line. */
  edit: (action: Action | undefined, press: KeyPress, commandsRun: boolean) => void;
  now: () => number;
  /** The terminal's width now. */
  columns: () => number;
  /** What the early frame showed typed: the held line until the first key is routed. @default empty */
  earlyLine?: EarlyLine;
}

/** Whether the gateway stopped trying (gave up, stopped) or the TUI cannot go on. */
function givenUp({ connection, fatal }: ControllerSnapshot): boolean {
  return connection.status === 'gave-up' || connection.status === 'stopped' || fatal !== undefined;
}

/** Where input goes as drawn now, and what is held meanwhile as the input line shows it. */
export interface InputRouting {
  mode: InputMode;
  /**
   * What was typed while the session is being attached, as the early input line shows it (the
   * text typed, Backspace applied; up to the first key it does not edit).
   */
  held: EarlyLine;
  /**
   * What was typed for the shell since it started, until it draws its first prompt (it holds the
   * keys unechoed until its line editor reads them, and shows them with its prompt then).
   */
  typedBeforePrompt: EarlyLine;
}

/**
 * Wires the keyboard to the pure routing of `routeInput`: reads the mode from the app's state,
 * carries out the actions it returns, and holds what is typed while the session is being attached
 * until it can be routed (or drops it, in words, if the gateway gives up).
 */
export function useInputRouting(options: InputRoutingOptions): InputRouting {
  const {
    controller,
    input,
    snapshot,
    inputLine,
    picker,
    paste,
    pendingRun,
    edit,
    now,
    columns,
    earlyLine = EMPTY_EARLY_LINE,
  } = options;
  // What was typed while the session was being attached, in order, until it can be routed.
  const held = useRef(new HeldInput());
  // The same, as the input line shows it until it is routed.
  // The early frame's line until the keys typed at it are held again, from the first routed on.
  const [heldLine, setHeldLine] = useState(earlyLine);
  const showsEarlyLine = useRef(earlyLine !== EMPTY_EARLY_LINE);
  const [typedBeforePrompt, setTypedBeforePrompt] = useState(EMPTY_EARLY_LINE);
  const shellPrompted = snapshot.current.transcript.shellPrompted;
  /** Shows what goes to a shell that has not drawn its first prompt yet (`\x1b`: something not typed). */
  const typedUnprompted = (mode: InputMode, keys: string) => {
    if (mode === 'shell' && !snapshot.current.transcript.shellPrompted)
      setTypedBeforePrompt((line) => typedAtEarlyPrompt(line, keys, columns()));
  };
  // When Enter last went to the shell, and how many runs there were then (see RUN_START_WAIT_MS).
  const lastShellEnter = useRef<{ at: number; historyLength: number } | undefined>(undefined);

  const currentMode = (): InputMode => {
    const { connection, transcript } = snapshot.current;
    return inputMode({
      pasteWaiting: paste.isWaiting(),
      pickerOpen: picker.isOpen(),
      commandLineOpen: inputLine.isCommandLineOpen(),
      running: pendingRun.isRunning(),
      reachable: connection.status === 'live',
      attached: snapshot.current.attached,
      givenUp: givenUp(snapshot.current),
      unreadable: snapshot.current.unreadable,
      shellEditsLines: transcript.shellEditsLines === true && transcript.hostLive,
    });
  };

  /**
   * Routes what was held while the session was being attached, in order, once it can be; drops it
   * with a word if it never can be (the gateway gave up): it is never sent later, elsewhere.
   */
  const releaseHeld = () => {
    if (!held.current.holding) return;
    const mode = currentMode();
    // Routed once the user is done with what they opened meanwhile.
    if (
      mode === 'waiting' ||
      mode === 'command-line' ||
      mode === 'picker' ||
      mode === 'confirm-paste'
    )
      return;
    const events = held.current.take();
    setHeldLine(EMPTY_EARLY_LINE);
    if (mode === 'unshown') {
      controller.say({
        text: 'what you typed while the session was being attached was not sent: the session cannot be shown past the damage in its log',
        tone: 'warning',
      });
      return;
    }
    if (controller.isQuitting) {
      controller.say({
        text: 'what you typed was not sent: Lifeline was quitting when it came',
        tone: 'warning',
      });
      return;
    }
    if (givenUp(snapshot.current)) {
      const state = gatewayStateWords(snapshot.current.connection);
      controller.say({
        text: `what you typed while the session was being attached was not sent: the gateway is ${state}; /recover tries again`,
        tone: 'warning',
      });
      return;
    }
    for (const { event, literal } of events) route(event, literal);
  };

  const onInput = (event: InputEvent) => {
    releaseHeld();
    route(event, false);
  };

  const route = (event: InputEvent, literal: boolean) => {
    if (showsEarlyLine.current) {
      showsEarlyLine.current = false;
      setHeldLine(EMPTY_EARLY_LINE);
    }
    const mode = currentMode();
    const enter = lastShellEnter.current;
    const runMayStart =
      enter !== undefined &&
      now() - enter.at < RUN_START_WAIT_MS &&
      snapshot.current.transcript.history.length === enter.historyLength;
    const holding = held.current.holding;
    for (const action of routeInput(mode, event, { literal, runMayStart, holding })) {
      switch (action.kind) {
        case 'edit':
          edit(action.action, action.press, action.commandsRun);
          break;
        case 'send-keys':
          inputLine.setHint(undefined);
          if (mode === 'shell' && /[\r\n]/.test(action.data))
            lastShellEnter.current = {
              at: now(),
              historyLength: snapshot.current.transcript.history.length,
            };
          typedUnprompted(mode, action.data);
          controller.typeKeys(action.data);
          break;
        case 'hold':
          if (held.current.hold({ event: action.event, literal: action.literal })) {
            const heldEvent = action.event;
            setHeldLine((line) =>
              typedAtEarlyPrompt(
                line,
                // A paste is not shown as typed: it stops the line's echo, as Enter does.
                heldEvent.kind === 'paste' ? '\x1b' : heldEvent.sequence,
                columns(),
              ),
            );
          } else
            controller.say({
              text: 'too much typed while the session is being attached: this was not kept (what came before it is sent once the session is shown)',
              tone: 'warning',
            });
          break;
        case 'open-command-line':
          inputLine.openCommandLine();
          break;
        case 'close-command-line':
          inputLine.closeCommandLine();
          break;
        case 'literal-lifeline-key':
          route(lifelineKeyPress, true);
          break;
        case 'interrupt':
          void controller.interrupt();
          break;
        case 'attach':
          controller.attachToRun();
          break;
        case 'picker':
          picker.onAction(action.action);
          break;
        case 'paste':
          // A paste is not shown as typed: it stops the line's echo, as Enter does.
          typedUnprompted(mode, '\x1b');
          paste.offer(action.text, action.target);
          break;
        case 'paste-confirm':
          paste.confirm();
          forgetPasteWaits();
          break;
        case 'paste-cancel':
          paste.cancel();
          forgetPasteWaits();
          break;
        case 'paste-waiting':
          controller.say({ text: PASTE_WAITS, tone: 'info' });
          break;
        case 'unshown':
          break;
        case 'refuse':
          sayRefused(controller, action.what, snapshot.current.connection);
          break;
      }
    }
  };

  /** The paste was answered: the word that it waits goes with it. */
  const forgetPasteWaits = () => {
    if (snapshot.current.message?.text === PASTE_WAITS) controller.say(undefined);
  };

  // The session is shown (or the gateway gave up): what was held goes where it belongs now.
  useEffect(releaseHeld);
  // The shell shows what was typed before its prompt from now on (and a new shell starts afresh).
  useEffect(() => {
    if (shellPrompted) setTypedBeforePrompt(EMPTY_EARLY_LINE);
  }, [shellPrompted]);

  useEffect(
    () => input.subscribe(onInput),
    // The handler reads the latest state through refs: subscribe once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [input, controller],
  );

  return { mode: currentMode(), held: heldLine, typedBeforePrompt };
}
