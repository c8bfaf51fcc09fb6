import { Box, Text, useStdout } from 'ink';
import { useRef, useSyncExternalStore } from 'react';
import type { SessionController } from '../connection/session-controller.js';
import { lineEditor, type LineState } from '../input/line-editor.js';
import type { PassthroughMode } from '../session/passthrough-plan.js';
import type { CursorRowProbe } from './cursor-row-probe.js';
import type { ContinuedFrameRows } from './continued-frame-rows.js';
import type { RunRowsAboveFrame } from './run-rows-above-frame.js';
import type { FrameRowsPushed } from './frame-rows-pushed.js';
import type { DrawnFrame } from './drawn-frame.js';
import { attachingHint, EMPTY_EARLY_LINE, type EarlyLine } from './early-prompt-frame.js';
import { fittingText } from './fitting-text.js';
import { columnsOf, rowsTaken } from './format.js';
import { HeaderBar, headerLayout, type SessionActivity } from './HeaderBar.js';
import { InputLine } from './InputLine.js';
import { LiveRunView } from './LiveRunView.js';
import { fitsRunRow } from './run-status-line.js';
import type { PrintQueue } from './print-queue.js';
import type { PrintRate } from './transcript-text.js';
import { PromptView } from './PromptView.js';
import { sayRefused } from './refusals.js';
import { CHROME_ROWS } from '../session/screen-handover.js';
import { SessionPicker } from './SessionPicker.js';
import { runSlashCommand } from './slash-command-runner.js';
import { useInputLine } from './use-input-line.js';
import { useInputRouting, type InputSource } from './use-input-routing.js';
import { useLatest } from './use-latest.js';
import { useLeave } from './use-leave.js';
import { useLineEditing } from './use-line-editing.js';
import { useOtherSessionsNotice } from './use-other-sessions-notice.js';
import { usePasteConfirmation } from './use-paste-confirmation.js';
import { usePendingRun } from './use-pending-run.js';
import { useShownInputWait } from './use-shown-input-wait.js';
import { useSessionPicker } from './use-session-picker.js';
import { useTranscriptPrinter } from './use-transcript-printer.js';

/** What the app needs from the process around it. */
export interface AppProps {
  controller: SessionController;
  input: InputSource;
  crashLogPath: string;
  /** The user's home directory: a cwd in it is shown as `~/…`, as the shell's prompt shows it. */
  home: string | undefined;
  /** The last lines of the crash log, formatted. */
  readLogs: (lines: number) => string[];
  /** Leaves the app with an exit code (after the controller has shut down). */
  exit: (code: number) => void;
  /** Set on every render to the handover state drawn, so output written after a frame matches it. */
  renderedPassthrough?: { current: PassthroughMode };
  /**
   * Where transcript text waits for the next frame to be drawn: written then (with `write`), above a
   * frame that is the one on the screen. Without it, text is written as soon as it is taken.
   */
  printQueue?: PrintQueue;
  /** How many lines of output are printed to the terminal, at most. @default defaultPrintRate */
  printRate?: PrintRate;
  /** The frame as the renderer drew it, followed from what it writes to the terminal. */
  drawnFrame?: DrawnFrame;
  /** Asks the terminal where its cursor is as its width changes (where the terminal is a real one). */
  cursorRowProbe?: CursorRowProbe;
  /** Rows of a running command's screen the terminal pushed off the top of the frame. */
  framePushed?: FrameRowsPushed;
  /** Told which of the frame's lines go on on the next (see `joinContinuedRows`). */
  continuedRows?: ContinuedFrameRows;
  /** Told which rows of a running command's screen the frame leaves out at its top. */
  runRowsAbove?: RunRowsAboveFrame;
  /** Whether what the program wrote while the user was attached reached the terminal (read as the terminal comes back). */
  attachedOutputShown?: () => boolean;
  /** Whether the TUI started a new session: it says so when others are running. @default false */
  newSession?: boolean;
  /**
   * The line typed at the early frame, as it shows it: shown by the first frame, until the keys
   * typed there (read again by the app) are held. @default empty
   */
  earlyLine?: EarlyLine;
  now?: () => number;
}

/** What Lifeline's command line says until something is typed after its slash (what fits of it). */
const commandLineHint = [
  ' help, new, sessions, recover, quit… · Enter runs · Esc closes · Ctrl+] again sends Ctrl+] to the shell',
  ' help, new, sessions, quit… · Enter runs · Esc closes · Ctrl+] again: to the shell',
  ' help, new, sessions, quit… · Enter runs · Esc closes',
  ' help, quit… · Esc closes',
] as const;
/** The same, opened while a command runs. */
const runCommandLineHint = [
  ' help, sessions, quit… · Enter runs · Esc closes · Ctrl+] again gives it the terminal',
  ' help, sessions, quit… · Enter runs · Esc closes',
  ' help, quit… · Esc closes',
] as const;
/** The same, once recovery gave up: nothing reaches the session, so Ctrl+] again does nothing there. */
const gaveUpCommandLineHint = [
  ' recover, help, sessions, quit… · Enter runs · Esc closes',
  ' recover, quit… · Esc closes',
] as const;
/** Said under the shell's prompt until the first key goes to it (what fits of it). */
const shellPromptHint = [
  'keys go to your shell · Ctrl+] opens Lifeline’s commands (/help)',
  'Ctrl+] opens Lifeline’s commands (/help)',
  'Ctrl+] Lifeline’s commands',
] as const;
/**
 * Lifeline's line showing `text`, the cursor after it: what is typed for the shell and not edited
 * here (held while the session is attached, then typed before the shell's first prompt; what is
 * held is routed a moment after the session shows, and is the text until then).
 */
function lineOf(line: LineState, text: string): LineState {
  return { ...line, text, cursor: text.length };
}

/** What the line says until the session's shell draws its first prompt. */
const shellStartingHint = '  starting the shell… what you type goes to it';
/** What the line says once the session's shell has exited. */
const shellEndedHint =
  '  the shell exited · a command starts a new one in this session · /quit leaves';
/** What the line says when the rest of the session's log cannot be read (the status line says why). */
const unreadableHint =
  '  nothing after this can be shown, nor typed · Ctrl+] opens Lifeline’s commands (sessions, new, quit…)';
/** The lifeline TUI. */
export function App({
  controller,
  input,
  crashLogPath,
  home,
  readLogs,
  exit,
  renderedPassthrough,
  printQueue,
  printRate,
  drawnFrame,
  cursorRowProbe,
  framePushed,
  continuedRows,
  runRowsAbove,
  attachedOutputShown = () => true,
  newSession = false,
  earlyLine = EMPTY_EARLY_LINE,
  now = Date.now,
}: AppProps) {
  const snapshot = useSyncExternalStore(controller.store.subscribe, controller.store.getSnapshot);
  const otherSessions = useOtherSessionsNotice(newSession, controller, input, snapshot);
  const latest = useLatest(snapshot);
  const { stdout } = useStdout();
  const inputLine = useInputLine();
  const picker = useSessionPicker(controller);
  /** A paste goes in one piece: into the input line (as one command), or to the running program. */
  const paste = usePasteConfirmation((text, target) => {
    if (target === 'program') controller.paste(text);
    else inputLine.set(lineEditor.insert(inputLine.current(), text.replace(/\r\n?/g, '\n')));
  });
  // Rows of the frame as last laid out (see below), for the transcript's redraw at a new width.
  const frameRows = useRef(0);
  const printing = useTranscriptPrinter({
    snapshot,
    frameRows: () => frameRows.current,
    renderedPassthrough,
    printQueue,
    printRate,
    attachedOutputShown,
    drawnFrame,
    cursorRowProbe,
  });
  const pendingRun = usePendingRun(controller, snapshot.transcript);
  const running = pendingRun.running;
  // What the session is doing is known while attached, and as it was left once the TUI quit.
  const known = snapshot.attached || snapshot.connection.status === 'stopped';
  // The shell ran and exited (`exit`, `lifeline sessions kill`): what is typed starts another.
  const shellEnded = !snapshot.transcript.hostLive && snapshot.transcript.lastSeq >= 0 && known;
  const waitsForInput = useShownInputWait(snapshot.transcript.live);
  const activity: SessionActivity = known
    ? running
      ? waitsForInput
        ? 'waiting for input'
        : 'running'
      : shellEnded
        ? 'shell exited'
        : 'ready'
    : 'attaching';
  const leave = useLeave({
    controller,
    exit,
    fatal: snapshot.fatal,
    printLocal: printing.printLocal,
  });
  const runSlash = (text: string) => {
    runSlashCommand(text, {
      controller,
      printing,
      openPicker: picker.open,
      crashLogPath,
      readLogs,
      shellEditsLines: () => latest.current.transcript.shellEditsLines === true,
      columns: () => stdout.columns || 80,
      leave,
    });
  };
  const edit = useLineEditing({
    controller,
    inputLine,
    pendingRun,
    history: () => latest.current.transcript.history,
    runSlash,
    refuseKeys: () => sayRefused(controller, 'keys', latest.current.connection),
    leave,
    now,
  });
  const { mode, held, typedBeforePrompt } = useInputRouting({
    controller,
    input,
    snapshot: latest,
    inputLine,
    picker,
    paste,
    pendingRun,
    edit,
    now,
    columns: () => stdout.columns || 80,
    earlyLine,
  });

  // The run's screen gives way to the lines below it: the frame stays lower than the terminal, so
  // the renderer never has to clear the screen (and with it the scrollback). Those lines take a row
  // each but for the message, which wraps.
  const columns = stdout.columns || 80;
  const messageRows = snapshot.message ? rowsTaken(columnsOf(snapshot.message.text), columns) : 0;
  const header = headerLayout(
    {
      session: snapshot.session,
      connection: snapshot.connection,
      crashLogPath,
      diskFull: snapshot.transcript.diskFull,
      activity,
    },
    columns,
  );
  const headerRows = rowsTaken(header.fixedColumns, columns);
  // The TUI quit: its last frame says how to come back, with no line to type into under it.
  const detached = snapshot.connection.status === 'stopped';
  const pendingPaste = paste.waiting;
  const prompt = snapshot.transcript.prompt;
  // Until the shell draws its first prompt, Lifeline's line shows what is typed for it.
  const shellStarting =
    !snapshot.transcript.shellPrompted && (mode === 'shell' || mode === 'waiting');
  const showPrompt =
    prompt !== undefined && !running && !shellStarting && (mode === 'shell' || mode === 'waiting');
  const hint = inputLine.hint;
  // A running command's screen is shown, and no line of Lifeline's is open for typing.
  const runShown = running && !inputLine.commandLineOpen && !snapshot.catchingUp;
  // Keys go to the running command: its input line would only say so.
  const keysToRun = runShown && snapshot.connection.status === 'live';
  const rows = stdout.rows || 24;
  // While the gateway is recovered, a running command's screen keeps its rows too, its row saying
  // so where that fits: the header and the input line would hide its first rows meanwhile.
  const recoveringRun =
    runShown &&
    snapshot.connection.status === 'recovering' &&
    fitsRunRow(header.state.text, undefined, columns);
  const noOtherRows =
    !picker.picker && !pendingPaste && !snapshot.transcript.diskFull && !otherSessions;
  const nothingElseToSay = snapshot.connection.status === 'live' && noOtherRows;
  // While nothing else asks for a row, the run's own row says what the header and the input line
  // would: the program's screen has all the rows above it, as many as its terminal has.
  const runRowOnly = (keysToRun || recoveringRun) && noOtherRows;
  const live = snapshot.transcript.live;
  // A message goes on that row too where it fits there: on a row of its own it would take the
  // first row of a full screen, shown then neither in the frame nor in the scrollback.
  const message = snapshot.message;
  const messageOnRunRow =
    runRowOnly &&
    message !== undefined &&
    live !== undefined &&
    fitsRunRow(message.text, header.state.text, columns);
  const messageColor =
    message?.tone === 'error' ? 'red' : message?.tone === 'warning' ? 'yellow' : 'gray';
  // The shell's screen may fill its terminal too (a completion list, a pager's page): the header
  // gives way to its rows while it does.
  const promptFills =
    showPrompt &&
    hint === undefined &&
    nothingElseToSay &&
    prompt.rows.length > rows - CHROME_ROWS - headerRows;
  // The run's row, or that and the input line (the prompt's last row) under the header.
  const linesRows = runRowOnly
    ? 1 + (messageOnRunRow ? 0 : messageRows)
    : (promptFills ? 2 : 2 + headerRows) + messageRows + (otherSessions ? 1 : 0);
  // The session picker takes what the terminal has left, a run's last row aside (its header and
  // one session at least): a longer list scrolls.
  const pickerRows = picker.picker
    ? Math.min(Math.max(1, picker.picker.sessions.length + 1), Math.max(2, rows - linesRows - 2))
    : 0;
  const chromeRows = linesRows + pickerRows;
  // And the row the cursor rests on below the frame.
  const liveRows = Math.max(0, rows - chromeRows - 1);
  frameRows.current =
    chromeRows +
    (live && !snapshot.catchingUp ? Math.min(liveRows, live.screen.length) + 1 : 0) +
    (showPrompt ? Math.max(0, Math.min(liveRows, prompt.rows.length) - 1) : 0);
  // Or it could not open the session: its error, printed above, is the last word.
  if (detached && snapshot.fatal) return null;
  return (
    <Box flexDirection="column">
      {snapshot.passthrough === 'off' ? (
        <Box flexDirection="column">
          {snapshot.transcript.live && !snapshot.catchingUp ? (
            <LiveRunView
              run={snapshot.transcript.live}
              now={now}
              maxRows={liveRows}
              leftRunning={detached}
              cutOff={snapshot.connection.status === 'gave-up'}
              state={runRowOnly ? header.state : undefined}
              message={messageOnRunRow ? { text: message.text, color: messageColor } : undefined}
              framePushed={framePushed}
              continuedRows={continuedRows}
              rowsAbove={runRowsAbove}
            />
          ) : null}
          {picker.picker ? (
            <SessionPicker
              sessions={picker.picker.sessions}
              selected={picker.picker.selected}
              maxRows={pickerRows}
              listing={picker.picker.typedAhead !== undefined}
              current={snapshot.session?.sid}
              home={home}
              now={now()}
            />
          ) : null}
          {runRowOnly || promptFills ? null : (
            <HeaderBar
              session={snapshot.session}
              cwd={snapshot.session?.cwd ?? snapshot.transcript.cwd}
              home={home}
              connection={snapshot.connection}
              crashLogPath={crashLogPath}
              diskFull={snapshot.transcript.diskFull}
              activity={activity}
            />
          )}
          {otherSessions ? (
            <Text dimColor wrap="truncate-end">
              {otherSessions}
            </Text>
          ) : null}
          {message && !messageOnRunRow ? <Text color={messageColor}>{message.text}</Text> : null}
          {detached || runRowOnly ? null : pendingPaste ? (
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
              {hint ? (
                <Text dimColor wrap="truncate-end">
                  {mode === 'waiting'
                    ? attachingHint(snapshot.attachShown).trimStart()
                    : fittingText(shellPromptHint, columns)}
                </Text>
              ) : null}
            </Box>
          ) : (
            <InputLine
              // What is held while the session is being attached shows as it did on the early line.
              line={
                mode === 'waiting' && !inputLine.commandLineOpen && held.text !== ''
                  ? lineOf(inputLine.line, held.text)
                  : mode === 'shell' && shellStarting
                    ? lineOf(inputLine.line, typedBeforePrompt.text || held.text)
                    : inputLine.line
              }
              running={keysToRun}
              commandLine={inputLine.commandLineOpen}
              hint={
                inputLine.commandLineOpen
                  ? snapshot.connection.status === 'gave-up'
                    ? gaveUpCommandLineHint
                    : running
                      ? runCommandLineHint
                      : commandLineHint
                  : mode === 'unshown'
                    ? unreadableHint
                    : mode === 'waiting'
                      ? attachingHint(snapshot.attachShown)
                      : mode === 'shell' && shellStarting
                        ? shellStartingHint
                        : shellEnded
                          ? shellEndedHint
                          : hint
              }
            />
          )}
        </Box>
      ) : null}
    </Box>
  );
}
