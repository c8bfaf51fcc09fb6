import { detectShellKind } from '@lifeline/run-completion';
import type { RunResult } from '@lifeline/protocol';
import { isPeerExitedError, RpcError, RpcErrorCode } from '@lifeline/rpc';
import { busyDetail } from '../commands/internal/busy-refusal.js';
import { goneDirectoryRefusal } from '../commands/internal/gone-directory.js';
import { heldAtPrompt } from '../commands/internal/prompt-keys.js';
import { leftOutWords } from '../commands/internal/text-tail.js';
import { argvCommandLine, quoteWord } from '../commands/internal/shell-words.js';
import { shellExitStatus } from '../commands/internal/shell-exit-status.js';
import type { TerminalSize } from '../session/output-lines.js';
import { stopSignalOf } from '../session/stop-signal.js';
import { gatewayFailure } from './gateway-failure.js';
import { defineTool, type Tool, type ToolCallContext } from './mcp-server.js';
import type { McpSessions } from './mcp-sessions.js';
import { watchRun, type WatchedRun } from './run-watch.js';
import { ToolFailure } from './tool-failure.js';
import { runInput, runReport, sendInputInput, type RunReport } from './tool-schemas.js';

/** How long a command is waited for when the caller gives no timeout. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Most characters of output a result holds (the newest). */
export const OUTPUT_LIMIT = 100_000;
/** Time a gateway gets to answer `session.run` beyond the run's own timeout. */
const ANSWER_MARGIN_MS = 15_000;

/** The `run` and `send_input` tools. */
export function runTools(sessions: McpSessions): Tool[] {
  return [
    defineTool({
      name: 'run',
      title: 'Run a command',
      description:
        'Run a command in a durable shell session and wait for it: returns its exit code, output, the directory it left the shell in and its duration. ' +
        'Give `command` (a command line: pipes, redirections) or `argv` (a program and its arguments, passed exactly). ' +
        'A command that outlives timeoutMs, or waits for someone to type, keeps running: the result says so (timedOut, waitsForInput), ' +
        'send_input types into it, interrupt stops it, read_output shows what it printed since. Progress notifications carry its output as it comes (at most four a second: of a flood, its newest lines); ' +
        'cancelling the call presses Ctrl+C in the session. Sessions outlive this server: a person can watch the same session in the lifeline TUI.',
      input: runInput,
      output: runReport,
      call: (input, context) => runCommand(sessions, input, context),
    }),
    defineTool({
      name: 'send_input',
      title: 'Type into the running command',
      description:
        'Type text into the command running in a session (the answer to a question, a line for a REPL), then press Enter unless enter is false, ' +
        'and follow the command as run does. masked keeps a secret out of the session log. Nothing is typed when no command runs.',
      input: sendInputInput,
      output: runReport,
      call: (input, context) => typeInto(sessions, input, context),
    }),
  ];
}

interface RunTarget {
  sid: string;
  shell: string;
  cwd: string;
  /** Started for this call (already in the directory asked for). */
  fresh: boolean;
  /** Its terminal's size (absent from older gateways). */
  size: TerminalSize | undefined;
}

async function runCommand(
  sessions: McpSessions,
  input: {
    command?: string | undefined;
    argv?: string[] | undefined;
    session?: string | undefined;
    cwd?: string | undefined;
    timeoutMs?: number | undefined;
  },
  context: ToolCallContext,
): Promise<RunReport> {
  if ((input.command === undefined) === (input.argv === undefined))
    throw new ToolFailure(
      'give either command (a command line, e.g. "make test | tail") or argv (a program and its arguments, e.g. ["grep", "-r", "a b", "."]), not both or neither',
    );
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cwd = input.cwd === undefined ? undefined : sessions.directory(input.cwd);
  const commandFor = (target: RunTarget): string => {
    const line =
      input.argv === undefined ? (input.command ?? '') : argvLine(input.argv, target.shell);
    if (cwd === undefined || target.fresh || target.cwd === cwd) return line;
    return `cd -- ${quoteWord(cwd, detectShellKind(target.shell))} && ${line}`;
  };

  const call: CallStart = {
    sessions,
    commandFor,
    cwd,
    deadline: Date.now() + timeoutMs,
    signal: context.signal,
    named: input.session !== undefined,
  };
  const { target, typed, started, note, answered } =
    input.session === undefined
      ? await sessions.ownTurn(() => startInOwn(call))
      : await startInNamed(call, input.session);
  // Counted as running there until it answers, however that ends.
  const watched = await watchRun({
    gateway: sessions.gateway,
    sid: target.sid,
    runId: started.runId,
    afterSeq: started.startSeq,
    typed,
    size: target.size,
    deadline: call.deadline,
    signal: context.signal,
    onOutput: context.progress,
    outputLimit: OUTPUT_LIMIT,
  }).finally(answered);
  const result = report(target.sid, started.runId, watched, started.startSeq);
  return note === undefined ? result : { ...result, note };
}

/** A command started for a call, where, and what the caller must be told of that place. */
interface StartedCommand {
  target: RunTarget;
  /** The command line typed. */
  typed: string;
  started: RunResult;
  /** What the caller must know: the command does not run where the earlier ones left their state. */
  note: string | undefined;
  /** Called as the call answers (see {@link McpSessions.callRuns}). */
  answered: () => void;
}

/** What starting a call's command needs, wherever it runs. */
interface CallStart {
  sessions: McpSessions;
  /** The command line to type in a session. */
  commandFor: (target: RunTarget) => string;
  /** The directory the command is to run in, when the caller gave one. */
  cwd: string | undefined;
  deadline: number;
  signal: AbortSignal;
  /** Whether the caller named the session (see {@link startRun}). */
  named: boolean;
}

/**
 * Types the call's command in `target` (see {@link startRun}) and counts the call as running
 * there until it answers.
 */
async function startAt(
  call: CallStart,
  target: RunTarget,
  note: string | undefined,
  ifIdle = false,
): Promise<StartedCommand> {
  const typed = call.commandFor(target);
  const started = await startRun(
    call.sessions,
    target.sid,
    typed,
    call.deadline,
    ifIdle,
    call.signal,
    call.named,
  );
  return { target, typed, started, note, answered: call.sessions.callRuns(target.sid) };
}

/** Starts the command in the session the caller named (behind a command already running there). */
async function startInNamed(call: CallStart, reference: string): Promise<StartedCommand> {
  const found = await call.sessions.find(reference);
  const gone = call.cwd === undefined ? goneDirectoryRefusal(found, 'cwd') : undefined;
  if (gone !== undefined) throw new ToolFailure(gone);
  const target = {
    sid: found.sid,
    shell: found.shell,
    cwd: found.cwd,
    fresh: false,
    size: found.size,
  };
  // A command that waits for someone to type may wait for good: the call is refused at once.
  const waitsForInput = found.running?.waitsForInput === true ? found.running.command : undefined;
  const note =
    found.status === 'ended'
      ? `the shell of session ${found.sid} had ended, so this command ran in a new shell there: what was set in the last one (exported variables, functions, an activated environment) is not set here`
      : undefined;
  try {
    return await startAt(call, target, note, waitsForInput !== undefined);
  } catch (error) {
    if (waitsForInput !== undefined && isBusy(error))
      throw new ToolFailure(
        `"${waitsForInput}" in session ${target.sid} waits for someone to type, so the command was not started: send_input with session ${target.sid} types a line into it, interrupt presses Ctrl+C in it`,
      );
    throw error;
  }
}

/**
 * Starts the command in the server's own session (taken in turn, see {@link McpSessions.ownTurn}):
 * behind a command another call of this server runs there; in a new own session, saying so, when
 * there is none yet, when it ended, or when it is busy with something else (a command an earlier
 * call left running at its timeout, keys someone typed).
 */
async function startInOwn(call: CallStart): Promise<StartedCommand> {
  const { sessions } = call;
  const ownSid = sessions.ownSid;
  const own =
    ownSid === undefined
      ? undefined
      : (await sessions.list()).find((session) => session.sid === ownSid);
  if (own?.status === 'live') {
    const target = { sid: own.sid, shell: own.shell, cwd: own.cwd, fresh: false, size: own.size };
    const behindCall = sessions.hasCallRunning(own.sid);
    try {
      return await startAt(call, target, undefined, !behindCall);
    } catch (error) {
      if (behindCall || !isBusy(error)) throw error;
      // Busy with what an earlier call left running: a new session, and the caller is told, since
      // what the earlier commands set there is not set in it.
      const moved = await startOwn(sessions, call.cwd);
      const busyWith = busyDetail(error)?.command;
      return startAt(
        call,
        moved,
        movedNote(own.sid, typeof busyWith === 'string' ? busyWith : undefined, moved),
      );
    }
  }
  const target = await startOwn(sessions, call.cwd);
  const note =
    ownSid === undefined
      ? undefined
      : `the shell of session ${ownSid}, where the earlier commands ran, had ended, so this command ran in a new session ${target.sid} in ${target.cwd}: what the earlier commands set (a cd, exported variables, an activated environment) is not set here. Later calls without a session use ${target.sid}.`;
  return startAt(call, target, note);
}

async function startOwn(sessions: McpSessions, cwd: string | undefined): Promise<RunTarget> {
  const session = await sessions.startOwn(cwd ?? sessions.cwd);
  return {
    sid: session.sid,
    shell: session.shell,
    cwd: session.cwd,
    fresh: true,
    size: session.size,
  };
}

function argvLine(argv: string[], shell: string): string {
  try {
    return argvCommandLine(argv, shell);
  } catch (error) {
    if (error instanceof RangeError) throw new ToolFailure(`argv: ${error.message}`);
    throw error;
  }
}

/** Says that a command ran in a new session because the one the earlier ones ran in was busy. */
function movedNote(busySid: string, command: string | undefined, target: RunTarget): string {
  const running = command === undefined ? 'a command' : `"${command}"`;
  return (
    `session ${busySid}, where the earlier commands ran, is still running ${running}, so this command ran in a new session ${target.sid} in ${target.cwd}: ` +
    `what the earlier commands set there (a cd, exported variables, an activated environment) is not set here. ` +
    `Pass session ${busySid} to run there once it is free (interrupt stops its command); later calls without a session use ${target.sid}.`
  );
}

function isBusy(error: unknown): boolean {
  return busyDetail(error) !== undefined;
}

/**
 * Starts the command in the session (waiting behind its runs up to the deadline). `named`: the
 * caller named the session (a refusal then says that leaving it out runs the command elsewhere).
 */
async function startRun(
  sessions: McpSessions,
  sid: string,
  command: string,
  deadline: number,
  ifIdle: boolean,
  signal: AbortSignal,
  named: boolean,
): Promise<RunResult> {
  const remaining = Math.max(1, deadline - Date.now());
  try {
    return await sessions.gateway.call((link) =>
      link.client.call(
        'session.run',
        { sid, command, timeoutMs: remaining, wait: false, ...(ifIdle ? { ifIdle } : {}) },
        { timeoutMs: remaining + ANSWER_MARGIN_MS, signal },
      ),
    );
  } catch (error) {
    if (ifIdle && isBusy(error)) throw error;
    if (isBusy(error)) {
      // At the prompt nothing runs: the interrupt tool presses the key there only when told to.
      const reason = ((error as RpcError).data as { reason?: unknown } | undefined)?.reason;
      throw new ToolFailure(
        `${(error as RpcError).message}; ${heldAtPrompt(reason) ? `the interrupt tool with atPrompt: true presses Ctrl+C at the prompt of session ${sid}` : `the interrupt tool stops what runs in session ${sid}`}${named ? ', or leave session out to run in another one' : ''}`,
      );
    }
    if (isPeerExitedError(error))
      throw new ToolFailure(
        `the gateway exited while starting the command in session ${sid}, so it may or may not have started; read_output with session ${sid} shows what ran (\`lifeline logs\` says why the gateway exited)`,
      );
    throw gatewayFailure(error, `starting the command in session ${sid}`);
  }
}

async function typeInto(
  sessions: McpSessions,
  input: {
    session: string;
    text: string;
    enter: boolean;
    masked: boolean;
    timeoutMs?: number | undefined;
  },
  context: ToolCallContext,
): Promise<RunReport> {
  const data = input.enter ? `${input.text}\r` : input.text;
  if (data === '') throw new ToolFailure('nothing to type: give text, or leave enter true');
  const listed = await sessions.find(input.session);
  const { sid } = listed;
  if (listed.status === 'ended')
    throw new ToolFailure(`session ${sid} has ended: nothing runs in it to type into`);
  // Its host knows what runs in it; the list may come from the record on disk.
  const probe = sessions.gateway.follow(sid, {
    lastSeq: () => listed.lastSeq,
    event: () => undefined,
    failed: () => undefined,
  });
  try {
    const { session, lastSeq } = await probe.attached.catch((error: unknown) => {
      throw gatewayFailure(error, `attaching to session ${sid}`);
    });
    const running = session.running;
    if (!running)
      throw new ToolFailure(
        `no command runs in session ${sid}, so nothing was typed; run with session ${sid} starts one`,
      );
    const deadline = Date.now() + (input.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await sessions.gateway
      .call((link) =>
        link.client.call('session.input', {
          sid,
          data,
          runId: running.runId,
          ...(input.masked ? { masked: true } : {}),
        }),
      )
      .catch((error: unknown) => {
        if (RpcError.isInstance(error) && error.code === RpcErrorCode.InvalidParams)
          throw new ToolFailure(
            `"${running.command}" ended before the text reached it, so nothing was typed; read_output with session ${sid} shows how it ended`,
          );
        throw gatewayFailure(error, `typing into session ${sid}`);
      });
    const watching = watchRun({
      gateway: sessions.gateway,
      sid,
      runId: running.runId,
      afterSeq: lastSeq,
      typed: input.text,
      answering: true,
      size: session.size,
      deadline,
      signal: context.signal,
      onOutput: context.progress,
      outputLimit: OUTPUT_LIMIT,
    });
    probe.stop();
    return report(sid, running.runId, await watching, lastSeq);
  } finally {
    probe.stop();
  }
}

/** Rounds milliseconds to a tenth. */
function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The result of a watched run, whose events were watched from the one after `afterSeq`. */
function report(sid: string, runId: string, watched: WatchedRun, afterSeq: number): RunReport {
  const { outcome } = watched;
  if (outcome.kind === 'lost')
    throw new ToolFailure(
      `${outcome.message}; the command goes on in session ${sid}: read_output with session ${sid} and afterSeq ${watched.lastSeq} shows what it prints`,
    );
  if (outcome.kind === 'cancelled')
    throw new ToolFailure(`cancelled: Ctrl+C was pressed in session ${sid}`);
  const left = leftOutWords(watched.droppedLines, watched.cutCharacters);
  const output =
    left === undefined
      ? watched.output
      : `[${left} left out; read_output with session ${sid} and afterSeq ${afterSeq} reads them]\n${watched.output}`;
  const base = {
    session: sid,
    runId,
    output,
    lastSeq: watched.lastSeq,
    timedOut: outcome.kind === 'timeout',
    waitsForInput: outcome.kind === 'input-wait',
  };
  if (outcome.kind !== 'ended')
    return {
      ...base,
      exitCode: null,
      stoppedBy: null,
      cwd: null,
      durationMs: tenths(watched.watchedMs),
      shellExited: false,
    };
  const { end } = outcome;
  if (end.kind === 'completed')
    return {
      ...base,
      exitCode: end.exitCode,
      stoppedBy: stopSignalOf(end.exitCode),
      cwd: end.cwd,
      durationMs: tenths(end.durationMs),
      shellExited: false,
    };
  return {
    ...base,
    exitCode: shellExitStatus(end.code, end.signal),
    stoppedBy: null,
    cwd: null,
    durationMs: tenths(watched.watchedMs),
    shellExited: true,
  };
}
