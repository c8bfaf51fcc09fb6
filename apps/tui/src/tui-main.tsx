import fs from 'node:fs';
import os from 'node:os';
import {
  CleanupRegistry,
  createCrashLogger,
  defaultCrashLogPath,
  formatCrashLogEntry,
  installProcessHooks,
  readCrashLog,
  type CrashLogger,
} from '@lifeline/crash-log';
import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { render } from 'ink';
import {
  linkSpawnedGateway,
  spawnGatewayLink,
  type GatewayLink,
} from './connection/gateway-link.js';
import type { SpawnedGateway } from './connection/gateway-process.js';
import { SessionController, type InitialSession } from './connection/session-controller.js';
import { knownCliError } from './commands/internal/known-cli-error.js';
import { quoteWord } from './commands/internal/shell-words.js';
import { startCommand } from './started-as.js';
import type { EarlyPrompt } from './early-prompt.js';
import { ATTACH_KEY_SEQUENCE } from './input/key-bindings.js';
import { KeypressParser, type InputEvent } from './input/keypress.js';
import type { PassthroughMode } from './session/passthrough-plan.js';
import { TerminalHandover } from './terminal-handover.js';
import { terminalGoneCode } from './terminal-gone.js';
import { terminalModesReset, tuiModesOn, windowTitle } from './terminal-sequences.js';
import { createDisplayLines } from './session/display-lines.js';
import { DEFAULT_MAX_LINES } from './session/transcript-fold.js';
import type { createEmulatedScreen } from './terminal/emulated-screen.js';
import { reportedSize, type TerminalSize } from './terminal/reported-size.js';
import { App, type AppProps } from './ui/App.js';
import { sizeConfirmedByProbe } from './ui/size-confirmed-by-probe.js';
import { CursorRowProbe } from './ui/cursor-row-probe.js';
import { DrawnFrame } from './ui/drawn-frame.js';
import { rendererStream } from './ui/renderer-stream.js';
import { FrameRowsPushed } from './ui/frame-rows-pushed.js';
import { ContinuedFrameRows } from './ui/continued-frame-rows.js';
import { RunRowsAboveFrame, runRowsAboveFrameText } from './ui/run-rows-above-frame.js';
import { flushPrintQueue, type PrintQueue } from './ui/print-queue.js';
import { WriteBatch } from './ui/write-batch.js';
import { defaultPrintRate } from './ui/transcript-text.js';

/** Closes a descriptor that may be closed already. */
function closeDescriptor(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBADF') throw error;
  }
}

/** The size a session gets when the terminal reports none. */
const defaultSize: TerminalSize = { cols: 80, rows: 24 };

/**
 * How the TUI reaches a gateway: spawning its own (`started`: one spawned already, while the TUI's
 * modules loaded, used for the first connection; later ones are spawned here), or a remote one.
 */
export type GatewayTarget =
  | { kind: 'spawn'; started?: SpawnedGateway }
  | { kind: 'remote'; connect: () => Promise<GatewayLink> };

/** Options of {@link runTui}. */
export interface TuiOptions {
  initial: InitialSession;
  gateway: GatewayTarget;
  env?: NodeJS.ProcessEnv;
  /** The crash log to write to (the one `gateway.started` already wrote to). @default the state directory's */
  logger?: CrashLogger;
  /** The input line the entry point drew while the TUI loaded: its frame and the keys typed at it are taken over. */
  earlyPrompt?: EarlyPrompt;
  /**
   * Lines of one run's output kept and printed whole however fast they come, as the user set them
   * (see `scrollbackLines`, read before anything starts). @default DEFAULT_MAX_LINES_PER_RUN
   */
  scrollbackLines?: number | undefined;
}

/** Exit codes of the TUI (documented in the README). */
export const exitCodes = { ok: 0, usage: 2, notFound: 3, unreachable: 4, auth: 5 } as const;

/**
 * Runs the TUI until the user quits. Owns the terminal: raw mode, the screen and every mode the TUI
 * or a program it handed the terminal to may have turned on are restored on every way out (quit,
 * signal, crash, `process.exit`).
 * @returns the exit code
 */
export async function runTui(options: TuiOptions): Promise<number> {
  const env = options.env ?? process.env;
  const { stdin, stdout } = process;
  const target = options.gateway;
  let started = target.kind === 'spawn' ? target.started : undefined;
  if (!stdin.isTTY || !stdout.isTTY) {
    started?.process.kill('SIGKILL', 'local');
    process.stderr.write(
      'lifeline: the TUI needs a terminal on stdin and stdout; for scripts use `lifeline exec -- <command>` (see `lifeline --help`)\n',
    );
    return exitCodes.usage;
  }
  const scrollback = options.scrollbackLines;
  const logger =
    options.logger ?? createCrashLogger({ source: 'tui', path: defaultCrashLogPath(env), env });
  const crashLogPath = logger.path;
  const breadcrumb = (
    event: string,
    fields?: Record<string, string | number | boolean | null | undefined>,
  ) => {
    logger.breadcrumb(event, fields);
  };
  const cleanups = new CleanupRegistry();
  const hooks = installProcessHooks({ logger, cleanups, graceMs: 1000 });
  const passthrough = new TerminalHandover(stdout);
  let terminalRestored = false;
  /** Set once the terminal is found gone (closed, hung up): nothing more is written to it. */
  let terminalGone: string | undefined;
  const writes = new WriteBatch(stdout);
  const restoreTerminal = () => {
    // What the renderer wrote last goes out first, the restore after it.
    writes.send();
    if (terminalRestored) return;
    terminalRestored = true;
    // A full-screen program may have the terminal (a signal came meanwhile): take it back for good.
    const alternateScreen = passthrough.close();
    if (terminalGone !== undefined) return;
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
    } catch (error) {
      // The terminal closed under us (SIGHUP comes with it): there is nothing left to restore.
      const code = terminalGoneCode(error);
      if (code === undefined) throw error;
      terminalGone = code;
      breadcrumb('terminal.gone', { code });
      return;
    }
    stdout.write(terminalModesReset({ alternateScreen }));
  };
  process.on('exit', restoreTerminal);
  process.on('exit', () => {
    // Node restores the terminal settings it found at start as it exits, and aborts when the
    // terminal is gone (EIO): it leaves alone descriptors that no longer name it.
    if (terminalGone !== undefined) for (const fd of [0, 1, 2]) closeDescriptor(fd);
  });
  // A terminal that is gone ends the TUI as a quit does, the session left running: one breadcrumb
  // says why, and the exit is orderly rather than an uncaught write error.
  const onTerminalError = (error: Error) => {
    const code = terminalGoneCode(error);
    if (code === undefined) throw error;
    if (terminalGone !== undefined) return;
    terminalGone = code;
    breadcrumb('terminal.gone', { code });
    void hooks.shutdown('terminal-gone', exitCodes.ok);
  };
  stdout.on('error', onTerminalError);
  stdin.on('error', onTerminalError);
  process.stderr.on('error', onTerminalError);

  // The terminal emulator behind each run's screen (xterm) is not needed for the first frame: it
  // loads once that is drawn, while the gateway and the session start.
  let createRunLines: typeof createEmulatedScreen | undefined;
  const viewReady = import('./terminal/emulated-screen.js').then((module) => {
    createRunLines = module.createEmulatedScreen;
  });
  const controller = new SessionController({
    connect: () => {
      if (target.kind === 'remote') return target.connect();
      const link = started
        ? linkSpawnedGateway(started, { breadcrumb })
        : spawnGatewayLink({ env, cwd: process.cwd(), breadcrumb });
      started = undefined;
      return link;
    },
    initial: options.initial,
    size: reportedSize(stdout) ?? defaultSize,
    breadcrumb,
    createLines: createDisplayLines,
    createRunLines: (size, runLinesOptions) => {
      if (createRunLines === undefined)
        throw new Error('a run screen was asked for before the terminal emulator loaded');
      return createRunLines(size, runLinesOptions);
    },
    viewReady,
    fatalFor: (error: unknown) => fatalFor(error, options.initial),
    ...(scrollback === undefined
      ? {}
      : { maxLinesPerRun: scrollback, maxLines: Math.max(DEFAULT_MAX_LINES, scrollback) }),
  });
  cleanups.add('session', () => controller.quit());
  cleanups.add('terminal', restoreTerminal);

  const listeners = new Set<(event: InputEvent) => void>();
  /**
   * Keys read before the app listens (typed at the early prompt, say, and read back at once): they
   * wait for its first listener rather than go to none.
   */
  let unheard: InputEvent[] | undefined = [];
  const parser = new KeypressParser();
  let escapeTimer: NodeJS.Timeout | undefined;
  const drawnFrame = new DrawnFrame();
  // The terminal's answer says where its cursor is after everything written before the question.
  const cursorRowProbe = new CursorRowProbe({
    write: (text) => {
      drawnFrame.questionAsked();
      stdout.write(text);
    },
  });
  const dispatch = (events: InputEvent[]) => {
    if (unheard !== undefined) {
      unheard.push(...events);
      return;
    }
    for (const event of events) {
      if (event.kind === 'key' && cursorRowProbe.heard(event.sequence)) continue;
      for (const listener of listeners) listener(event);
    }
  };
  const early = options.earlyPrompt?.handOver();
  const renderedPassthrough: { current: PassthroughMode } = { current: 'off' };
  const printQueue: PrintQueue = { text: '', write: undefined };
  controller.onPassthrough((action) => {
    passthrough.apply(action);
  });
  // The terminal's bell, as the program rang it: a flood of bells rings it once in a while.
  let rangAt = Number.NEGATIVE_INFINITY;
  controller.onBell(() => {
    if (performance.now() - rangAt < BELL_INTERVAL_MS) return;
    rangAt = performance.now();
    stdout.write('\x07');
  });
  // The window title the session's shell or program sets (a prompt's `user@host: dir`), as a
  // terminal shows it; control characters never reach the terminal (see ScreenHandover.onTitle).
  controller.onTitle((title) => {
    stdout.write(windowTitle(title));
  });
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.on('data', (chunk: string) => {
    const mode = controller.store.getSnapshot().passthrough;
    if (mode !== 'off') {
      // The program has the terminal: every byte is its, except the attach key of a user who attached.
      const keys = cursorRowProbe.withoutAnswers(chunk);
      const detachAt = mode === 'attached' ? keys.indexOf(ATTACH_KEY_SEQUENCE) : -1;
      const forward = detachAt === -1 ? keys : keys.slice(0, detachAt);
      if (forward !== '') controller.typeKeys(forward);
      if (detachAt !== -1) controller.detachFromRun();
      return;
    }
    clearTimeout(escapeTimer);
    dispatch(parser.push(chunk));
    escapeTimer = setTimeout(() => dispatch(parser.flush()), 50);
  });
  stdin.resume();
  stdout.write(tuiModesOn);
  drawnFrame.hold.printsWaitingText(() => flushPrintQueue(printQueue));
  const framePushed = new FrameRowsPushed();
  const continuedRows = new ContinuedFrameRows();
  const runRowsAbove = new RunRowsAboveFrame();
  // The app lays out and draws at a new width once the terminal says it has it (see
  // sizeConfirmedByProbe); the frame on the screen stays meanwhile, the frames drawn held (and not
  // drawn: they are laid out for the old width).
  const size = sizeConfirmedByProbe(
    stdout,
    cursorRowProbe,
    drawnFrame.hold,
    () => controller.store.getSnapshot().passthrough === 'off',
  );
  let columns = size.columns;
  /** Lays the app out again, at once, at the terminal's size now (once it is rendered). */
  const layout: { again?: () => void } = {};
  size.on(() => {
    // Before the renderer draws at the new size: the frame it drew before is the one on the screen,
    // and the cursor is where the terminal kept it as it wrapped its lines again.
    const scrollFirst = drawnFrame.terminalResized(
      size.columns,
      size.rows,
      controller.store.getSnapshot().passthrough === 'off',
      size.answer?.row,
    );
    if (scrollFirst !== '') stdout.write(scrollFirst);
    framePushed.add(
      controller.store.getSnapshot().transcript.live?.runId,
      drawnFrame.topRowsPushed,
    );
    const widthChanged = size.columns !== columns;
    columns = size.columns;
    // The renderer draws the frame at the new width right after this, from what the app last laid
    // out: laid out for the old width (a header or a prompt cut to fit it), wrapped at the new one,
    // it takes more rows than the frame laid out for the new width, which comes next. Drawn first,
    // it scrolls a line of the transcript into the scrollback, and the frame after it leaves the
    // row empty under it, where the transcript drawn again at the new width takes it to be: the
    // next change of width then draws that line again. The app is laid out at the new width first.
    if (widthChanged) layout.again?.();
    const reported = reportedSize({ isTTY: stdout.isTTY, columns: size.columns, rows: size.rows });
    if (reported) void controller.resize(reported.cols, reported.rows);
  });

  // The gateway and the session start while Ink draws its first frame.
  controller.start();
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  // The same props every time the app is laid out again (see the resize above).
  const appProps: AppProps = {
    controller,
    input: {
      subscribe: (listener) => {
        listeners.add(listener);
        const held = unheard;
        unheard = undefined;
        if (held !== undefined && held.length > 0) queueMicrotask(() => dispatch(held));
        return () => listeners.delete(listener);
      },
    },
    crashLogPath,
    home: process.env.HOME ?? os.homedir(),
    readLogs: (lines) =>
      readCrashLog(crashLogPath, { limit: lines }).map((entry) =>
        formatCrashLogEntry(entry, { time: 'time-of-day' }),
      ),
    exit: resolveExit,
    renderedPassthrough,
    ...(scrollback === undefined
      ? {}
      : { printRate: { ...defaultPrintRate, burstLines: scrollback } }),
    printQueue,
    drawnFrame,
    cursorRowProbe,
    framePushed,
    continuedRows,
    runRowsAbove,
    attachedOutputShown: () => passthrough.outputShown,
    newSession: options.initial.kind === 'new',
    ...(early ? { earlyLine: early.line } : {}),
  };
  const instance = render(<App {...appProps} />, {
    // The early frame stays until the app's first replaces it.
    stdout: rendererStream(
      stdout,
      drawnFrame,
      early?.erased,
      () => passthrough.programScreenShown,
      continuedRows,
      size,
      writes,
    ),
    exitOnCtrlC: false,
    patchConsole: true,
    // The session's frames are paced by the controller (see frameIntervalMs): the renderer's own
    // limit only keeps other changes from drawing more often. At 30 a second, it held a frame
    // drawn right after another (the echo of a second key typed) for up to another 34 ms.
    maxFps: 120,
    onRender: () => {
      // The renderer keeps the frame it last drew and draws it again under text written through
      // it: text is written once the frame of the same state is drawn (right after this call),
      // never under a frame that is already out of date.
      queueMicrotask(() => {
        // Held frames (see FrameHold) hold the transcript's text too: it is printed once they go.
        const mayPrint =
          renderedPassthrough.current === 'off'
            ? drawnFrame.hold.mayPrint()
            : !drawnFrame.hold.holding;
        if (mayPrint) flushPrintQueue(printQueue);
      });
      // A program given the terminal gets it with the frame off the screen, not under one held.
      if (renderedPassthrough.current !== 'off') drawnFrame.hold.stop();
      passthrough.rendered(renderedPassthrough.current);
    },
  });
  layout.again = () => {
    instance.rerender(<App {...appProps} />);
  };
  breadcrumb('tui.start', { pid: process.pid, cols: stdout.columns, rows: stdout.rows });
  const code = await exited;
  // What waits to be printed (a fatal error's message) is printed before the renderer goes.
  drawnFrame.hold.flush();
  // The last frame stays on the terminal: the rows of a running command's screen that Lifeline's
  // own lines took from its top are printed above it, after the lines that left that screen.
  printQueue.text += runRowsAboveFrameText(runRowsAbove, stdout.columns);
  flushPrintQueue(printQueue);
  instance.unmount();
  restoreTerminal();
  stdin.pause();
  breadcrumb('tui.exit', { code });
  hooks.uninstall();
  return code;
}

/** Shortest time between two bells rung on the user's terminal. */
const BELL_INTERVAL_MS = 200;

/**
 * What ends the TUI, with the message it leaves and its exit code; undefined for anything else. A
 * name asked for with `--name` that a live session has already: the person most likely meant that
 * session, and is told how to attach to it.
 */
function fatalFor(
  error: unknown,
  initial: InitialSession,
): { text: string; exitCode: number } | undefined {
  const known = knownCliError(error);
  if (!known) return undefined;
  const named = initial.kind === 'new' ? initial.name : undefined;
  const resume =
    named !== undefined && RpcError.isInstance(error) && error.code === LifelineErrorCode.NameTaken
      ? ` (to attach to it: ${startCommand()} --resume ${quoteWord(named, 'bash')})`
      : '';
  return { text: `${known.message}${resume}`, exitCode: known.exitCode };
}
