import type { SessionController } from '../connection/session-controller.js';
import { parseSlashCommand } from '../session/slash-commands.js';
import { helpLines } from './help-lines.js';
import type { TranscriptPrinting } from './use-transcript-printer.js';

/** What the slash commands act on. */
export interface SlashCommandContext {
  controller: SessionController;
  printing: TranscriptPrinting;
  /** Opens the session picker (`/sessions`). */
  openPicker: () => void;
  crashLogPath: string;
  /** The last lines of the crash log, formatted. */
  readLogs: (lines: number) => string[];
  /** Whether the session's shell edits its own lines (what `/help` says of the keys). */
  shellEditsLines: () => boolean;
  /** The terminal's width: `/help` wraps its lines between words to it. */
  columns: () => number;
  /** Leaves the app (`/quit`). */
  leave: (code: number) => void;
}

/** Runs a line that starts with `/`: a Lifeline command. */
export function runSlashCommand(
  text: string,
  {
    controller,
    printing,
    openPicker,
    crashLogPath,
    readLogs,
    shellEditsLines,
    columns,
    leave,
  }: SlashCommandContext,
): void {
  const command = parseSlashCommand(text);
  switch (command.name) {
    case 'help':
      printing.printLocal(helpLines(shellEditsLines(), columns()));
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
      openPicker();
      break;
    case 'resume':
      void controller.resume(command.reference);
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
      printing.printLocal(
        lines.length > 0
          ? [`crash log (${crashLogPath}):`, ...lines]
          : [`the crash log is empty (${crashLogPath})`],
      );
      break;
    }
    case 'clear':
      printing.clear();
      break;
    case 'quit':
      leave(0);
      break;
    case 'invalid':
      // Said on the status line, as other refusals are: printed, it would go above a running
      // command's screen, among lines the command printed before it.
      controller.say({ text: command.message, tone: 'warning' });
      break;
  }
}
