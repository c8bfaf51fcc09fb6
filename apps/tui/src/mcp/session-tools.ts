import { MAX_EVENTS_PER_PAGE } from '@lifeline/protocol';
import type { z } from 'zod';
import { idleSignalRefusal } from '../commands/internal/prompt-keys.js';
import { leftOutWords, TextTail } from '../commands/internal/text-tail.js';
import { shellExitStatus } from '../commands/internal/shell-exit-status.js';
import { createDisplayLines, PROGRAM_LINE_COLUMNS } from '../session/display-lines.js';
import { gatewayFailure } from './gateway-failure.js';
import { defineTool, type Tool } from './mcp-server.js';
import { sessionInfo, type McpSessions } from './mcp-sessions.js';
import { OUTPUT_LIMIT } from './run-tools.js';
import { ToolFailure } from './tool-failure.js';
import {
  closedSession,
  closeSessionInput,
  interrupted,
  interruptInput,
  listSessionsInput,
  readOutputInput,
  sessionList,
  sessionOutput,
  startedSession,
  startSessionInput,
} from './tool-schemas.js';

const sgr = /\x1b\[[0-9;:]*m/g;

/**
 * Events before the end of the log a tail is read from at first (each at most 64 KiB of output):
 * four times as many each time until they hold enough.
 */
const TAIL_FIRST_EVENTS = 64;

/** The `list_sessions`, `start_session`, `interrupt`, `close_session` and `read_output` tools. */
export function sessionTools(sessions: McpSessions): Tool[] {
  return [
    defineTool({
      name: 'list_sessions',
      title: 'List sessions',
      description:
        'List every shell session, most recently active first: its id, name, status (live or ended), directory, shell, last command, and the command running now (and whether it waits for input).',
      input: listSessionsInput,
      output: sessionList,
      annotations: { readOnlyHint: true },
      call: async () => ({ sessions: (await sessions.list()).map(sessionInfo) }),
    }),
    defineTool({
      name: 'start_session',
      title: 'Start a session',
      description:
        'Start a new durable shell session in a directory; run with its id or its name runs commands in it. It outlives this server, and a person can watch it in the lifeline TUI.',
      input: startSessionInput,
      output: startedSession,
      call: async (input) =>
        sessionInfo(
          await sessions.start(
            input.cwd === undefined ? sessions.cwd : sessions.directory(input.cwd),
            input.name,
          ),
        ),
    }),
    defineTool({
      name: 'interrupt',
      title: 'Interrupt the running command',
      description:
        "Press Ctrl+C in a session (or send the running program another signal): for a command that timed out or waits for input. With no command running, SIGINT, SIGQUIT and SIGTSTP are keys at the shell's prompt that would clear what someone is typing there: nothing is sent unless atPrompt is true (to cancel a command waiting for more lines). The other signals would go to the shell itself, which most of them end with what was set in it: nothing is sent either unless atPrompt is true.",
      input: interruptInput,
      output: interrupted,
      annotations: { destructiveHint: true },
      call: async (input) => {
        const found = await sessions.find(input.session);
        const sid = found.sid;
        if (found.status === 'ended')
          throw new ToolFailure(`session ${sid} has ended: nothing runs in it to interrupt`);
        const refusal = idleSignalRefusal(
          sid,
          input.signal,
          { commandRuns: found.running !== undefined, atPrompt: input.atPrompt },
          'atPrompt: true',
        );
        if (refusal !== undefined) throw new ToolFailure(refusal);
        await sessions.gateway
          .call((link) => link.client.call('session.signal', { sid, signal: input.signal }))
          .catch((error: unknown) => {
            throw gatewayFailure(error, `sending ${input.signal} to session ${sid}`);
          });
        return {
          session: sid,
          signal: input.signal,
          command: found.running?.command ?? null,
        };
      },
    }),
    defineTool({
      name: 'close_session',
      title: 'Close a session',
      description:
        "End a session's shell and everything running in it, as closing its terminal would (hang-up, then kill). Its log stays: read_output still reads it, and run with its id starts a new shell in it. For sessions this server no longer needs: each live one keeps a shell and its host running.",
      input: closeSessionInput,
      output: closedSession,
      annotations: { destructiveHint: true, idempotentHint: true },
      call: async (input) => {
        const found = await sessions.find(input.session);
        const sid = found.sid;
        if (found.status === 'ended') return { session: sid, alreadyEnded: true, command: null };
        await sessions.gateway
          .call((link) => link.client.call('session.close', { sid }, { timeoutMs: 15_000 }))
          .catch((error: unknown) => {
            throw gatewayFailure(error, `ending session ${sid}`);
          });
        if (sessions.ownSid === sid) sessions.ownSid = undefined;
        return { session: sid, alreadyEnded: false, command: found.running?.command ?? null };
      },
    }),
    defineTool({
      name: 'read_output',
      title: "Read a session's output",
      description:
        "What a session showed after a seq (every seq is one event of the session log): prompts, commands and output as plain text, also of commands a person typed, oldest first, about 100,000 characters at most. The result's lastSeq is the seq of the last event read: pass it as afterSeq to read what comes next (more: true says there is more already; a line cut there goes on in the next read). ended lists the commands that ended among the events read, with their exit codes: how a command that outlived run's timeout ended. An afterSeq past the session's last seq is refused, naming the last seq. tail: true reads the end of the output instead (the lines before it left out, a first line says from which afterSeq to read them).",
      input: readOutputInput,
      output: sessionOutput,
      annotations: { readOnlyHint: true },
      call: async (input) => {
        const found = await sessions.find(input.session);
        const { sid } = found;
        if (input.tail && input.afterSeq !== undefined)
          throw new ToolFailure(
            `give afterSeq or tail, not both: afterSeq ${input.afterSeq} reads on from that seq, tail reads the end of session ${sid}`,
          );
        const read = input.tail
          ? await readOutputTail(sessions, sid, found.lastSeq)
          : await readOutput(sessions, sid, input.afterSeq ?? -1);
        const { status, running } = sessionInfo(await sessions.find(sid));
        return {
          session: sid,
          output: read.output,
          lastSeq: read.lastSeq,
          more: read.more,
          status,
          ...(running ? { running } : {}),
          ended: read.ended,
        };
      },
    }),
  ];
}

/**
 * The session's output after `afterSeq` as plain lines, oldest first: whole events, until they
 * come to {@link OUTPUT_LIMIT} characters. When more events follow (`more`), the last line read
 * may be unfinished: it is not ended, so that the next read, after `lastSeq`, goes on from it.
 */
async function readOutput(
  sessions: McpSessions,
  sid: string,
  afterSeq: number,
): Promise<OutputRead> {
  let output = '';
  const read = await readLog(
    sessions,
    sid,
    afterSeq,
    (text) => (output += text),
    (unfinished) => output.length + unfinished >= OUTPUT_LIMIT,
  );
  return { ...read, output };
}

/**
 * The session's last {@link OUTPUT_LIMIT} characters of output (from a line's start) up to its last
 * event, after a first line saying what was left out and the `afterSeq` to read it from. The log is
 * read from a few events before its end, further back each time until that is enough, so a long
 * log is not read whole.
 */
async function readOutputTail(
  sessions: McpSessions,
  sid: string,
  lastSeq: number,
): Promise<OutputRead> {
  for (let events = TAIL_FIRST_EVENTS; ; events *= 4) {
    const afterSeq = Math.max(-1, lastSeq - events);
    const tail = new TextTail(OUTPUT_LIMIT);
    const read = await readLog(
      sessions,
      sid,
      afterSeq,
      (text) => tail.append(text),
      () => false,
    );
    const output = tail.text();
    const left = leftOutWords(tail.dropped, tail.cut);
    if (afterSeq === -1 && left === undefined) return { ...read, output };
    if (left === undefined) continue;
    const from =
      afterSeq === -1
        ? `[${left} left out; read_output with session ${sid} and afterSeq -1 reads them]`
        : `[${left} after seq ${afterSeq} and everything before left out; read_output with session ${sid} and afterSeq ${afterSeq} reads from there, afterSeq -1 from the start]`;
    return { ...read, output: `${from}\n${output}` };
  }
}

/** What `read_output` read: the text, the last event's seq, and the commands that ended. */
interface OutputRead {
  output: string;
  lastSeq: number;
  more: boolean;
  ended: EndedRun[];
}

/**
 * Reads the session's events after `afterSeq` page by page, handing `take` what the terminal
 * showed as plain text line by line, until `full` says enough, given the length of the line not
 * finished yet (a line of megabytes fills a page too; `more`: the last line handed over may be
 * unfinished), or the log ends.
 */
async function readLog(
  sessions: McpSessions,
  sid: string,
  afterSeq: number,
  take: (text: string) => void,
  full: (unfinished: number) => boolean,
): Promise<Omit<OutputRead, 'output'>> {
  const lines = createDisplayLines({ maxColumns: PROGRAM_LINE_COLUMNS });
  /** Runs whose start was read and whose end was not yet. */
  const commands = new Map<string, { command: string; time: number }>();
  const ended: EndedRun[] = [];
  const takeLines = (finished: string[]) => {
    for (const line of finished) take(`${line.replace(sgr, '')}\n`);
  };
  let lastSeq = afterSeq;
  for (;;) {
    const page = await sessions.gateway
      .call((link) =>
        link.client.call('session.events', {
          sid,
          fromSeq: lastSeq + 1,
          limit: MAX_EVENTS_PER_PAGE,
        }),
      )
      .catch((error: unknown) => {
        throw gatewayFailure(error, `reading the log of session ${sid}`);
      });
    if (afterSeq > page.lastSeq)
      throw new ToolFailure(
        `afterSeq ${afterSeq} is past the end of session ${sid}, whose last seq is ${page.lastSeq}: pass ${page.lastSeq} to read what comes next, or -1 to read from the start`,
      );
    for (const event of page.events) {
      if (full(lines.partial.length)) {
        take(lines.partial.replace(sgr, ''));
        return { lastSeq, more: true, ended };
      }
      lastSeq = event.seq;
      if (event.type === 'output') takeLines(lines.push(event.data));
      else if (event.type === 'run_start')
        commands.set(event.runId, { command: event.command, time: event.time });
      else if (event.type === 'run_complete') {
        const command = commands.get(event.runId)?.command;
        commands.delete(event.runId);
        ended.push({
          runId: event.runId,
          ...(command === undefined ? {} : { command }),
          exitCode: event.exitCode,
          cwd: event.cwd,
          durationMs: event.durationMs,
          shellExited: false,
        });
      } else if (event.type === 'host_exit') {
        // The commands running when the shell ended (`exit 5`, a killed host) end with it.
        const exitCode = shellExitStatus(event.code, event.signal);
        for (const [runId, started] of commands)
          ended.push({
            runId,
            command: started.command,
            exitCode,
            cwd: null,
            durationMs: event.time - started.time,
            shellExited: true,
          });
        commands.clear();
      }
    }
    if (page.events.length === 0 || lastSeq >= page.lastSeq) break;
  }
  takeLines(lines.end());
  return { lastSeq, more: false, ended };
}

/** A command that ended among the events `read_output` read. */
type EndedRun = z.infer<typeof sessionOutput>['ended'][number];
