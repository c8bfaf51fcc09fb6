import fs from 'node:fs';
import path from 'node:path';
import { resolveStateDirectory } from '@lifeline/crash-log';
import type { SessionEvent, SessionSummary } from '@lifeline/protocol';
import type { Command } from 'commander';
import type { GatewayLink } from '../connection/gateway-link.js';
import { createDisplayLines, PROGRAM_LINE_COLUMNS } from '../session/display-lines.js';
import { createEmulatedScreen } from '../terminal/emulated-screen.js';
import { TranscriptFold, type TranscriptBlock } from '../session/transcript-fold.js';
import { formatFooter, programRunMark, visible } from '../ui/format.js';
import { AsciicastEncoder } from './internal/asciicast.js';
import { CliError, cliExitCodes } from './internal/cli-error.js';
import {
  cliErrorFor,
  messageOf,
  openLocalGateway,
  processContext,
  type CliContext,
} from './internal/local-gateway.js';
import { lookUpSession } from './internal/session-ref.js';

/** Events fetched per `session.events` call. */
const pageSize = 2000;

/** Adds `lifeline replay` to the program. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .summary("print a session's transcript, or export it as an asciicast")
    .description(
      'Print the transcript of a session, live or ended, from its log: every command, its output and its outcome, as the TUI shows them. ' +
        'With --asciicast, write the raw terminal output with its timing as an asciicast v2 recording instead (play it with `asciinema play FILE`). ' +
        'An ended session is read from disk; no shell is started.',
    )
    .argument('<session>', 'the session: its id, the start of its id, or its name')
    .option('--asciicast <file>', 'write asciicast v2 to FILE (- for stdout)')
    .action(async (reference: string, options: { asciicast?: string }) => {
      process.exitCode = await replay(reference, options, processContext());
    });
}

async function replay(
  reference: string,
  options: { asciicast?: string },
  context: CliContext,
): Promise<number> {
  const link = await openLocalGateway(context);
  try {
    const session = await lookUpSession(link, reference, resolveStateDirectory(context.env)).catch(
      (error: unknown) => {
        throw cliErrorFor(error, 'listing the sessions');
      },
    );
    if (options.asciicast !== undefined) {
      const events = writeAsciicast(
        session,
        options.asciicast === '-' ? undefined : path.resolve(context.cwd, options.asciicast),
      );
      await forEachEvent(link, session, events.push);
      events.end();
    } else {
      const transcript = printTranscript(session, process.stdout.isTTY ? 'terminal' : 'plain');
      try {
        await forEachEvent(link, session, transcript.push);
      } finally {
        // What was read before a damaged record is shown, then the damage is reported.
        transcript.end();
      }
    }
    return cliExitCodes.ok;
  } finally {
    link.close();
  }
}

/** Pages through the session's log up to the event that was last when the replay began. */
async function forEachEvent(
  link: GatewayLink,
  session: SessionSummary,
  visit: (event: SessionEvent) => void,
): Promise<void> {
  let fromSeq = 0;
  let lastSeq = Number.POSITIVE_INFINITY;
  while (fromSeq <= lastSeq) {
    const page = await link.client
      .call('session.events', { sid: session.sid, fromSeq, limit: pageSize })
      .catch((error: unknown) => {
        throw cliErrorFor(error, `reading the log of session ${session.sid}`);
      });
    if (lastSeq === Number.POSITIVE_INFINITY) lastSeq = page.lastSeq;
    if (page.events.length === 0) break;
    for (const event of page.events) {
      if (event.seq > lastSeq) return;
      visit(event);
    }
    fromSeq = (page.events.at(-1)?.seq ?? fromSeq) + 1;
  }
}

function writeAsciicast(
  session: SessionSummary,
  file: string | undefined,
): { push: (event: SessionEvent) => void; end: () => void } {
  let descriptor: number | undefined;
  try {
    if (file !== undefined) descriptor = fs.openSync(file, 'w', 0o600);
  } catch (error) {
    throw new CliError(
      'usage',
      `cannot write the asciicast to ${file}: ${unwritableReason(error)}; give --asciicast a file you may write (or - for stdout)`,
      { cause: error },
    );
  }
  const encoder = new AsciicastEncoder({
    title: `${session.name} (${session.sid})`,
    // TERM is the one the log recorded as the shell started.
    env: { SHELL: session.shell },
  });
  const write = (lines: string[]) => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    // Stdout goes through the stream, whose error handler treats a reader that went away as the end.
    if (descriptor === undefined) process.stdout.write(text);
    else fs.writeSync(descriptor, text);
  };
  return {
    push: (event) => write(encoder.push(event)),
    end: () => {
      write(encoder.end());
      if (descriptor !== undefined) {
        fs.closeSync(descriptor);
        process.stderr.write(
          `lifeline: wrote ${encoder.events} frames of session ${session.sid} to ${file}\n`,
        );
      }
    },
  };
}

type Tone = 'ok' | 'failed' | 'warning' | 'info' | 'command';
const toneStyle: Record<Tone, [string, string]> = {
  ok: ['\x1b[32m', '\x1b[39m'],
  failed: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  info: ['\x1b[2m', '\x1b[22m'],
  command: ['\x1b[1m', '\x1b[22m'],
};
const sgr = /\x1b\[[0-9;:]*m/g;

/** Prints the transcript as it folds: each block once, as soon as the fold has it. */
function printTranscript(
  session: SessionSummary,
  format: 'terminal' | 'plain',
): { push: (event: SessionEvent) => void; end: () => void } {
  // Printed blocks are never needed again: keep one run in memory, and bound its lines.
  const fold = new TranscriptFold({
    sid: session.sid,
    createLines: createDisplayLines,
    // Each line is printed once and let go: one as long as exec and the MCP tools give whole.
    createRunLines: (size, options) =>
      createEmulatedScreen(size, { ...options, longestLine: PROGRAM_LINE_COLUMNS }),
    // The shell's prompt and the line typed at it are the `$` header, as in the TUI.
    promptScreen: true,
    // A replay shows it all: what a clear erased too, above where it happened.
    keepCleared: true,
    maxRuns: 1,
    maxLinesPerRun: 100_000,
  });
  fold.setShell(session.shell, session.completionMode);
  let nextBlock = 0;
  const style = (tone: Tone, text: string) =>
    format === 'terminal' ? `${toneStyle[tone][0]}${text}${toneStyle[tone][1]}` : text;
  const render = (block: TranscriptBlock): string[] => {
    switch (block.kind) {
      case 'command':
        // Repeated under a clear, which a replay does not do: the command is above already.
        if (block.afterClearSeq !== undefined) return [];
        // A command of several lines (a heredoc, a quoted line end) is printed on as many, as typed;
        // the mark of a run a program typed follows its last line, as in the TUI.
        return block.command.split('\n').map((line, index, lines) => {
          const text = style('command', visible(line, true));
          const mark =
            block.byProgram && index === lines.length - 1 ? style('info', programRunMark) : '';
          return index === 0
            ? `${format === 'terminal' ? '\x1b[1;36m$\x1b[0m' : '$'} ${text}${mark}`
            : `${text}${mark}`;
        });
      case 'output':
        return format === 'terminal'
          ? block.lines.map((line) => `${line}\x1b[0m`)
          : block.lines.map((line) => line.replace(sgr, ''));
      case 'footer': {
        const footer = formatFooter(block.outcome);
        return [style(footer.tone, footer.text)];
      }
      case 'note':
        return [style(block.tone, visible(block.text))];
      case 'clear':
        // A terminal showed nothing of what came before it; the replay shows it all, and where.
        return [
          style(
            'info',
            block.clear === 'scrollback'
              ? '── cleared: the screen and the scrollback ──'
              : '── cleared: the screen ──',
          ),
        ];
    }
  };
  const flush = () => {
    const { blocks } = fold.snapshot();
    const lines: string[] = [];
    // Block ids are contiguous: start at the first one not printed yet.
    for (
      let index = Math.max(0, nextBlock - (blocks[0]?.id ?? 0));
      index < blocks.length;
      index += 1
    ) {
      const block = blocks[index];
      if (!block) continue;
      lines.push(...render(block));
      nextBlock = block.id + 1;
    }
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  };
  return {
    push: (event) => {
      if (fold.apply(event) === 'applied') flush();
    },
    end: () => {
      const { live } = fold.snapshot();
      if (!live) {
        // A job's output at the prompt of a shell still live is the transcript's last lines.
        fold.logEnds();
        flush();
        return;
      }
      // What its screen shows now: the lines it printed that have not left it yet.
      const screen = live.screen.map((row) =>
        format === 'terminal' ? `${row}\x1b[0m` : row.replace(sgr, ''),
      );
      const shown = screen.slice(
        0,
        live.screen.findLastIndex((row) => row.replace(sgr, '').trim() !== '') + 1,
      );
      const lines = [...shown, style('info', `… still running (run ${live.runId})`)];
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  };
}

/** Why a file cannot be opened for writing, in plain words (the system's own for the rare rest). */
function unwritableReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'you may not write there';
    case 'EROFS':
      return 'its file system is read-only';
    default:
      return messageOf(error);
  }
}
