import { useRef } from 'react';
import type { SessionController } from '../connection/session-controller.js';
import type { Action } from '../input/key-bindings.js';
import type { KeyPress } from '../input/keypress.js';
import { emptyLine, lineEditor } from '../input/line-editor.js';
import type { InputLineState } from './use-input-line.js';
import type { PendingRun } from './use-pending-run.js';

/** Ctrl+C twice within this long on an empty line quits. */
const DOUBLE_CTRL_C_WINDOW_MS = 2000;

/** What editing Lifeline's line acts on. */
export interface LineEditingOptions {
  controller: SessionController;
  inputLine: InputLineState;
  pendingRun: PendingRun;
  /** The commands run in this session, oldest first (↑ and ↓ recall them). */
  history: () => readonly string[];
  /** Runs a `/command`. */
  runSlash: (text: string) => void;
  /** Says why what was typed for the running command cannot be given to it. */
  refuseKeys: () => void;
  leave: (code: number) => void;
  now: () => number;
}

/**
 * What a key does to Lifeline's line (a shell without a line editor of its own, Lifeline's command
 * line, or no gateway to reach): edits it, recalls history, submits it as a command or a
 * `/command`, clears it, or quits (Ctrl+C twice, Ctrl+D on an empty line).
 * @returns applies one key's action; `commandsRun` says whether a submitted line can run now
 */
export function useLineEditing({
  controller,
  inputLine,
  pendingRun,
  history,
  runSlash,
  refuseKeys,
  leave,
  now,
}: LineEditingOptions): (
  action: Action | undefined,
  press: KeyPress,
  commandsRun: boolean,
) => void {
  const ctrlCArmedAt = useRef<number | undefined>(undefined);
  const setLine = inputLine.set;
  return (action, press, commandsRun) => {
    const current = inputLine.current();
    if (action !== 'interrupt') ctrlCArmedAt.current = undefined;
    if (action === 'submit' && inputLine.isCommandLineOpen()) {
      // Lifeline's command line takes its commands with or without the slash.
      const text = current.text.trim();
      inputLine.closeCommandLine();
      const command = text.replace(/^\/+/, '');
      if (command !== '') runSlash(`/${command}`);
      return;
    }
    switch (action) {
      case 'submit': {
        const text = current.text.trim();
        if (text !== '' && !text.startsWith('/') && !commandsRun) {
          // Kept in the line: it can be sent once the command can be reached again.
          refuseKeys();
          return;
        }
        setLine(emptyLine);
        if (text === '') return;
        inputLine.setHint(undefined);
        if (text.startsWith('/')) {
          runSlash(text);
          return;
        }
        pendingRun.run(current.text, () => {
          // Not started (the status line says why): the line comes back unless something was typed since.
          if (inputLine.current().text === '') setLine(current);
        });
        return;
      }
      case 'interrupt': {
        if (current.text !== '') {
          setLine(emptyLine);
          return;
        }
        const armedAt = ctrlCArmedAt.current;
        if (armedAt !== undefined && now() - armedAt < DOUBLE_CTRL_C_WINDOW_MS) {
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
        setLine(lineEditor.historyPrevious(current, history()));
        return;
      case 'history-next':
        setLine(lineEditor.historyNext(current, history()));
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
        if (press.name !== 'char' || press.ctrl || press.meta) return;
        // Lifeline's command line opens with its slash: one typed out of habit is that one.
        if (press.char.startsWith('/') && current.text === '/' && current.cursor === 1)
          setLine(lineEditor.insert(current, press.char.slice(1)));
        else setLine(lineEditor.insert(current, press.char));
    }
  };
}
