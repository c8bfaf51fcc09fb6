import { Box, Text, useStdout } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SessionSummary } from '@lifeline/protocol';
import type { SessionController } from '../connection/session-controller.js';
import { gatewayStateWords } from '../connection/gateway-state-words.js';
import { inputMode, routeInput, type InputMode, type Refused } from '../input/input-routing.js';
import { keyBindings, LIFELINE_KEY_SEQUENCE, type Action } from '../input/key-bindings.js';
import type { InputEvent, KeyPress } from '../input/keypress.js';
import { emptyLine, lineEditor, type LineState } from '../input/line-editor.js';
import { describePaste, formatPasteSize } from '../input/paste-policy.js';
import type { PassthroughMode } from '../session/passthrough-plan.js';
import { parseSlashCommand, slashCommandHelp } from '../session/slash-commands.js';
import { columnsOf } from './format.js';
import { HeaderBar, headerColumns } from './HeaderBar.js';
import { InputLine } from './InputLine.js';
import { LiveRunView } from './LiveRunView.js';
import { PromptView } from './PromptView.js';
import { SessionPicker } from './SessionPicker.js';
import { TranscriptPrinter } from './transcript-text.js';
import { useOtherSessionsNotice } from './use-other-sessions-notice.js';

/** Where the app's keys come from: the one owner of stdin. */
export interface InputSource {
  subscribe(listener: (event: InputEvent) => void): () => void;
}

/** What the app needs from the process around it. */
export interface AppProps {
  controller: SessionController;
  input: InputSource;
  crashLogPath: string;
  /** The last lines of the crash log, formatted. */
  readLogs: (lines: number) => string[];
  /** Clears the terminal screen and its scrollback. */
  clearScreen: () => void;
  /** Leaves the app with an exit code (after the controller has shut down). */
  exit: (code: number) => void;
  /** Set on every render to the handover state drawn, so output written after a frame matches it. */
  renderedPassthrough?: { current: PassthroughMode };
  /**
   * Where transcript text waits for the next frame to be drawn: written then (with `write`), above a
   * frame that is the one on the screen. Without it, text is written as soon as it is taken.
   */
  printQueue?: PrintQueue;
  /** Whether what the program wrote while the user was attached reached the terminal (read as the terminal comes back). */
  attachedOutputShown?: () => boolean;
  /** Whether the TUI started a new session: it says so when others are running. @default false */
  newSession?: boolean;
  now?: () => number;
}

/** Transcript text waiting for the frame it goes above (see {@link AppProps.printQueue}). */
export interface PrintQueue {
  text: string;
  write: ((text: string) => void) | undefined;
}

/** Writes what waits in `queue`. */
export function flushPrintQueue(queue: PrintQueue): void {
  const text = queue.text;
  queue.text = '';
  if (text !== '') queue.write?.(text);
}

const doubleCtrlCWindowMs = 2000;
/** What Lifeline's command line says until something is typed after its slash. */
const commandLineHint =
  ' help, new, sessions, recover, quit… · Enter runs · Esc closes · Ctrl+] again: Ctrl+] for the shell';
/** What /help says of the keys in a session whose shell edits its own lines. */
const shellEditorHelp = [
  'keys at the prompt go to your shell: its completion, history search, bindings and vi mode work as without Lifeline',
  '  Ctrl+]: open Lifeline’s command line; type a command above (the slash is there) and Enter',
  '          Esc or Ctrl+C closes it; Ctrl+] again types Ctrl+] for the shell',
  'while a command runs, its keys go to it:',
  '  Ctrl+C: interrupt it',
  '  Ctrl+]: hand it the whole terminal; Ctrl+] again takes it back',
];
/** Said under the shell's prompt until the first key goes to it. */
const shellPromptHint = 'keys go to your shell · Ctrl+] opens Lifeline’s commands (/help)';
/** What the line says while the session is being attached. */
const waitingHint = '  attaching the session… what you type goes to it once it is shown';
/**
 * After Enter went to the shell, for this long (or until a run started), the Lifeline key is taken
 * for the attach key of the run about to start: typed with the Enter, it hands that run the terminal.
 */
const runStartWaitMs = 250;
/** Most characters held while a session is being attached; more is refused, in words. */
const maxHeldCharacters = 64 * 1024;
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

/** The lifeline TUI. */
export function App({
  controller,
  input,
  crashLogPath,
  readLogs,
  clearScreen,
  exit,
  renderedPassthrough,
  printQueue,
  attachedOutputShown = () => true,
  newSession = false,
  now = Date.now,
}: AppProps) {
  const snapshot = useSyncExternalStore(controller.store.subscribe, controller.store.getSnapshot);
  const otherSessions = useOtherSessionsNotice(newSession, controller, input, snapshot);
  const [line, setLineState] = useState<LineState>(emptyLine);
  // Several keys can arrive in one chunk, before React renders again: the ref is the truth.
  const lineRef = useRef<LineState>(emptyLine);
  const setLine = (next: LineState) => {
    lineRef.current = next;
    setLineState(next);
  };
  const [picker, setPicker] = useState<
    { sessions: SessionSummary[]; selected: number } | undefined
  >();
  const [hint, setHint] = useState<string | undefined>('  type a command · /help');
  // Lifeline's command line, opened with the Lifeline key at the shell's own prompt.
  const [commandLineOpen, setCommandLineOpenState] = useState(false);
  const commandLineOpenRef = useRef(false);
  const setCommandLineOpen = (open: boolean) => {
    commandLineOpenRef.current = open;
    setCommandLineOpenState(open);
  };
  // What was typed while the session was being attached, in order, until it can be routed.
  const held = useRef<{ event: InputEvent; literal: boolean }[]>([]);
  const heldCharacters = useRef(0);
  // When Enter last went to the shell, and how many runs there were then (see runStartWaitMs).
  const lastShellEnter = useRef<{ at: number; historyLength: number } | undefined>(undefined);
  const [pendingPaste, setPendingPaste] = useState<
    { text: string; target: 'line' | 'program'; size: string } | undefined
  >();
  const pendingPasteRef = useRef(pendingPaste);
  pendingPasteRef.current = pendingPaste;
  const { stdout, write } = useStdout();
  const [, setRedraw] = useState(0);
  const printer = useRef(new TranscriptPrinter());
  const ctrlCArmedAt = useRef<number | undefined>(undefined);
  const exiting = useRef(false);
  // While a program has the terminal nothing is printed; what a user attached to was shown raw, so
  // its output is not printed again, but its result line (added as it ended) still is. Given back
  // before any of it was shown (it ended before the empty frame was out), it is all printed.
  const passthrough = snapshot.passthrough;
  const previousPassthrough = useRef(passthrough);
  if (previousPassthrough.current === 'attached' && passthrough === 'off' && attachedOutputShown())
    printer.current.skipOutput(snapshot.transcript);
  previousPassthrough.current = passthrough;
  if (renderedPassthrough) renderedPassthrough.current = passthrough;
  // The transcript is printed above the live area as plain text after each commit: no layout, so
  // a flood costs what its text costs. As the terminal is handed over, what the transcript holds so
  // far (a run's header, lines before a full-screen program's switch) is printed first: the
  // program's output continues under it.
  const printedFor = useRef<PassthroughMode>('off');
  useLayoutEffect(() => {
    const handedOverAlready = printedFor.current !== 'off';
    printedFor.current = passthrough;
    if (passthrough !== 'off' && handedOverAlready) return;
    const text = printer.current.take(snapshot.transcript, snapshot.historyThroughSeq);
    if (text === '') return;
    if (printQueue) {
      printQueue.text += text;
      printQueue.write = write;
    } else write(text);
  });

  // A submitted command counts as running from Enter on, before its run_start arrives: Ctrl+C
  // and keys typed right away belong to it.
  const pendingRun = useRef<{ historyLength: number } | undefined>(undefined);
  if (pendingRun.current && snapshot.transcript.history.length > pendingRun.current.historyLength)
    pendingRun.current = undefined;
  const running = snapshot.transcript.live !== undefined || pendingRun.current !== undefined;
  const latest = useRef({ picker, running, snapshot });
  latest.current = { picker, running, snapshot };

  const leave = (code: number) => {
    if (exiting.current) return;
    exiting.current = true;
    void controller.quit().finally(() => {
      exit(code);
    });
  };

  const printLocal = (lines: string[], tone: 'info' | 'warning' | 'error' = 'info') => {
    if (lines.length === 1 && lines[0] !== undefined)
      printer.current.local({ kind: 'note', text: lines[0], tone });
    else printer.current.local({ kind: 'lines', lines });
    setRedraw((value) => value + 1);
  };

  const runSlash = (text: string) => {
    const command = parseSlashCommand(text);
    switch (command.name) {
      case 'help':
        printLocal([
          'commands:',
          ...slashCommandHelp.map(([name, what]) => `  ${name.padEnd(15)} ${what}`),
          ...(latest.current.snapshot.transcript.shellEditsLines === true
            ? shellEditorHelp
            : [
                'keys:',
                ...keyBindings
                  .filter((binding) => binding.label !== '')
                  .map((binding) => `  ${binding.label}`),
              ]),
        ]);
        break;
      case 'new':
        void controller.newSession().catch((error: unknown) => {
          controller.say({
            text: `could not start a new session: ${(error as Error).message}`,
            tone: 'error',
          });
        });
        break;
      case 'sessions':
        void controller.listSessions().then((sessions) => {
          const current = sessions.findIndex((session) => session.sid === controller.sessionId);
          setPicker({ sessions, selected: Math.max(0, current) });
        });
        break;
      case 'resume':
        void controller.resume(command.sid);
        break;
      case 'rename':
        void controller.rename(command.newName).catch((error: unknown) => {
          controller.say({ text: `could not rename: ${(error as Error).message}`, tone: 'error' });
        });
        break;
      case 'recover':
        controller.recover();
        break;
      case 'logs': {
        const lines = readLogs(command.lines);
        printLocal(
          lines.length > 0
            ? [`crash log (${crashLogPath}):`, ...lines]
            : [`the crash log is empty (${crashLogPath})`],
        );
        break;
      }
      case 'clear':
        clearScreen();
        printer.current.reset(latest.current.snapshot.transcript, false);
        setRedraw((value) => value + 1);
        break;
      case 'quit':
        leave(0);
        break;
      case 'invalid':
        printLocal([command.message], 'warning');
        break;
    }
  };

  const refuse = (what: Refused) => {
    const state = gatewayStateWords(latest.current.snapshot.connection);
    const text = {
      keys: `the running command cannot be given what you typed while the gateway is ${state}; /recover tries again, /quit leaves (the session keeps running)`,
      interrupt: `cannot interrupt the running command while the gateway is ${state}; /recover tries again, Ctrl+C again quits (the session keeps running)`,
      attach: `cannot hand the terminal to the running command while the gateway is ${state}; /recover tries again`,
    }[what];
    controller.say({ text, tone: 'warning' });
  };

  const onPromptAction = (action: Action | undefined, press: KeyPress, commandsRun: boolean) => {
    const current = lineRef.current;
    const history = latest.current.snapshot.transcript.history;
    if (action !== 'interrupt') ctrlCArmedAt.current = undefined;
    if (action === 'submit' && commandLineOpenRef.current) {
      // Lifeline's command line takes its commands with or without the slash.
      const text = current.text.trim();
      setCommandLineOpen(false);
      setLine(emptyLine);
      const command = text.replace(/^\/+/, '');
      if (command !== '') runSlash(`/${command}`);
      return;
    }
    switch (action) {
      case 'submit': {
        const text = current.text.trim();
        if (text !== '' && !text.startsWith('/') && !commandsRun) {
          // Kept in the line: it can be sent once the command can be reached again.
          refuse('keys');
          return;
        }
        setLine(emptyLine);
        if (text === '') return;
        setHint(undefined);
        if (text.startsWith('/')) {
          runSlash(text);
          return;
        }
        const pending = { historyLength: history.length };
        pendingRun.current = pending;
        latest.current = { ...latest.current, running: true };
        void controller.run(current.text).then((started) => {
          if (!started && pendingRun.current === pending) {
            pendingRun.current = undefined;
            setRedraw((value) => value + 1);
          }
        });
        return;
      }
      case 'interrupt': {
        if (current.text !== '') {
          setLine(emptyLine);
          return;
        }
        const armedAt = ctrlCArmedAt.current;
        if (armedAt !== undefined && now() - armedAt < doubleCtrlCWindowMs) {
          leave(0);
          return;
        }
        ctrlCArmedAt.current = now();
        controller.say({
          text: 'press Ctrl+C again to quit (the session keeps running)',
          tone: 'info',
        });
        return;
      }
      case 'quit-if-empty':
        if (current.text === '') leave(0);
        else setLine(lineEditor.deleteForward(current));
        return;
      case 'history-previous':
        setLine(lineEditor.historyPrevious(current, history));
        return;
      case 'history-next':
        setLine(lineEditor.historyNext(current, history));
        return;
      case 'cursor-left':
        setLine(lineEditor.left(current));
        return;
      case 'cursor-right':
        setLine(lineEditor.right(current));
        return;
      case 'cursor-home':
        setLine(lineEditor.home(current));
        return;
      case 'cursor-end':
        setLine(lineEditor.end(current));
        return;
      case 'delete-backward':
        setLine(lineEditor.deleteBackward(current));
        return;
      case 'delete-forward':
        setLine(lineEditor.deleteForward(current));
        return;
      case 'delete-word-backward':
        setLine(lineEditor.deleteWordBackward(current));
        return;
      case 'kill-to-start':
        setLine(lineEditor.killToStart(current));
        return;
      case 'kill-to-end':
        setLine(lineEditor.killToEnd(current));
        return;
      case 'clear-screen':
        runSlash('/clear');
        return;
      default:
        if (press.name === 'char' && !press.ctrl && !press.meta)
          setLine(lineEditor.insert(current, press.char));
    }
  };

  /** A paste goes in one piece: into the input line (as one command), or to the running program. */
  const deliverPaste = (text: string, target: 'line' | 'program') => {
    if (target === 'program') controller.paste(text);
    else setLine(lineEditor.insert(lineRef.current, text.replace(/\r\n?/g, '\n')));
  };

  const onPickerAction = (action: Action | undefined) => {
    const current = latest.current.picker;
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
  };

  const currentMode = (): InputMode => {
    const state = latest.current;
    const { connection, transcript } = state.snapshot;
    return inputMode({
      pasteWaiting: pendingPasteRef.current !== undefined,
      pickerOpen: state.picker !== undefined,
      commandLineOpen: commandLineOpenRef.current,
      running: state.running,
      reachable: connection.status === 'live',
      attached: state.snapshot.attached,
      givenUp:
        connection.status === 'gave-up' ||
        connection.status === 'stopped' ||
        state.snapshot.fatal !== undefined,
      shellEditsLines: transcript.shellEditsLines === true && transcript.hostLive,
    });
  };

  /**
   * Routes what was held while the session was being attached, in order, once it can be; drops it
   * with a word if it never can be (the gateway gave up): it is never sent later, elsewhere.
   */
  const releaseHeld = () => {
    if (held.current.length === 0) return;
    const mode = currentMode();
    // Routed once the user is done with what they opened meanwhile.
    if (
      mode === 'waiting' ||
      mode === 'command-line' ||
      mode === 'picker' ||
      mode === 'confirm-paste'
    )
      return;
    const events = held.current;
    held.current = [];
    heldCharacters.current = 0;
    const { connection, fatal } = latest.current.snapshot;
    if (connection.status === 'gave-up' || connection.status === 'stopped' || fatal) {
      const state = gatewayStateWords(latest.current.snapshot.connection);
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
    const waitingPaste = pendingPasteRef.current;
    const mode = currentMode();
    const enter = lastShellEnter.current;
    const runMayStart =
      enter !== undefined &&
      now() - enter.at < runStartWaitMs &&
      latest.current.snapshot.transcript.history.length === enter.historyLength;
    const holding = held.current.length > 0;
    for (const action of routeInput(mode, event, { literal, runMayStart, holding })) {
      switch (action.kind) {
        case 'edit':
          onPromptAction(action.action, action.press, action.commandsRun);
          break;
        case 'send-keys':
          setHint(undefined);
          if (mode === 'shell' && /[\r\n]/.test(action.data))
            lastShellEnter.current = {
              at: now(),
              historyLength: latest.current.snapshot.transcript.history.length,
            };
          controller.type(action.data);
          break;
        case 'hold': {
          const size = action.event.kind === 'paste' ? action.event.text.length : 1;
          if (heldCharacters.current + size > maxHeldCharacters) {
            controller.say({
              text: 'too much typed while the session is being attached: this was not kept (what came before it is sent once the session is shown)',
              tone: 'warning',
            });
            break;
          }
          heldCharacters.current += size;
          held.current.push({ event: action.event, literal: action.literal });
          break;
        }
        case 'open-command-line':
          setCommandLineOpen(true);
          setLine(lineEditor.insert(emptyLine, '/'));
          break;
        case 'close-command-line':
          setCommandLineOpen(false);
          setLine(emptyLine);
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
          onPickerAction(action.action);
          break;
        case 'paste': {
          const size = describePaste(action.text);
          if (size.confirm)
            setPendingPaste({
              text: action.text,
              target: action.target,
              size: formatPasteSize(size),
            });
          else deliverPaste(action.text, action.target);
          break;
        }
        case 'paste-confirm':
          if (waitingPaste) deliverPaste(waitingPaste.text, waitingPaste.target);
          setPendingPaste(undefined);
          break;
        case 'paste-cancel':
          setPendingPaste(undefined);
          break;
        case 'paste-waiting':
          controller.say({ text: 'a paste waits: Enter pastes it, Esc drops it', tone: 'info' });
          break;
        case 'refuse':
          refuse(action.what);
          break;
      }
    }
  };

  // The session is shown (or the gateway gave up): what was held goes where it belongs now.
  useEffect(releaseHeld);

  useEffect(
    () => input.subscribe(onInput),
    // The handler reads the latest state through a ref: subscribe once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [input, controller],
  );

  // A new width re-flows everything: the transcript is printed again at that width, from memory.
  useEffect(() => {
    let width = stdout.columns;
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (stdout.columns === width || latest.current.snapshot.passthrough !== 'off') return;
        width = stdout.columns;
        clearScreen();
        printer.current.reset(latest.current.snapshot.transcript, true);
        setRedraw((value) => value + 1);
      }, 100);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);

  useEffect(() => {
    if (snapshot.fatal) {
      printLocal([snapshot.fatal.text], 'error');
      const code = snapshot.fatal.exitCode;
      setImmediate(() => {
        leave(code);
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshot.fatal]);

  // The run's screen gives way to the lines below it: the frame stays lower than the terminal, so
  // the renderer never has to clear the screen (and with it the scrollback). Those lines take a row
  // each but for the message, which wraps.
  const columns = stdout.columns || 80;
  const messageRows = snapshot.message
    ? Math.max(1, Math.ceil(columnsOf(snapshot.message.text) / columns))
    : 0;
  const headerRows = Math.max(
    1,
    Math.ceil(
      headerColumns(
        snapshot.session,
        snapshot.connection,
        crashLogPath,
        snapshot.transcript.diskFull,
      ) / columns,
    ),
  );
  const chromeRows =
    2 +
    headerRows +
    messageRows +
    (otherSessions ? 1 : 0) +
    (picker ? Math.max(1, picker.sessions.length + 1) : 0);
  // And the row the cursor rests on below the frame.
  const liveRows = Math.max(0, (stdout.rows || 24) - chromeRows - 1);
  const mode = currentMode();
  const prompt = snapshot.transcript.prompt;
  const showPrompt = prompt !== undefined && !running && (mode === 'shell' || mode === 'waiting');
  return (
    <Box flexDirection="column">
      {passthrough === 'off' ? (
        <Box flexDirection="column">
          {snapshot.transcript.live ? (
            <LiveRunView run={snapshot.transcript.live} now={now} maxRows={liveRows} />
          ) : null}
          {picker ? (
            <SessionPicker
              sessions={picker.sessions}
              selected={picker.selected}
              current={snapshot.session?.sid}
              now={now()}
            />
          ) : null}
          <HeaderBar
            session={snapshot.session}
            cwd={snapshot.transcript.cwd ?? snapshot.session?.cwd}
            connection={snapshot.connection}
            crashLogPath={crashLogPath}
            diskFull={snapshot.transcript.diskFull}
          />
          {otherSessions ? (
            <Text dimColor wrap="truncate-end">
              {otherSessions}
            </Text>
          ) : null}
          {snapshot.message ? (
            <Text
              color={
                snapshot.message.tone === 'error'
                  ? 'red'
                  : snapshot.message.tone === 'warning'
                    ? 'yellow'
                    : 'gray'
              }
            >
              {snapshot.message.text}
            </Text>
          ) : null}
          {pendingPaste ? (
            <Text color="yellow">
              paste {pendingPaste.size}{' '}
              {pendingPaste.target === 'line'
                ? 'into the command line'
                : running
                  ? 'into the running command'
                  : 'into your shell'}
              ? Enter pastes · Esc cancels
            </Text>
          ) : showPrompt ? (
            <Box flexDirection="column">
              <PromptView prompt={prompt} maxRows={liveRows + (hint ? 0 : 1)} />
              {hint ? <Text dimColor>{shellPromptHint}</Text> : null}
            </Box>
          ) : (
            <InputLine
              line={line}
              running={running && snapshot.connection.status === 'live' && !commandLineOpen}
              commandLine={commandLineOpen}
              hint={commandLineOpen ? commandLineHint : mode === 'waiting' ? waitingHint : hint}
            />
          )}
        </Box>
      ) : null}
    </Box>
  );
}
