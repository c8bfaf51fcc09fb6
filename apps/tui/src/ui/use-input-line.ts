import { useRef, useState } from 'react';
import { emptyLine, lineEditor, type LineState } from '../input/line-editor.js';

/** Lifeline's input line: what is typed in it, whether it is the command line, and its hint. */
export interface InputLineState {
  /** The line as drawn now. */
  line: LineState;
  /** The line as of the last key (several keys can arrive in one chunk, before React renders). */
  current: () => LineState;
  set: (next: LineState) => void;
  /** Whether Lifeline's command line (opened with the Lifeline key at the shell's prompt) is open, as drawn now. */
  commandLineOpen: boolean;
  /** Whether it is open, as of the last key. */
  isCommandLineOpen: () => boolean;
  /** Opens Lifeline's command line, its slash typed. */
  openCommandLine: () => void;
  /** Closes it, its line emptied. */
  closeCommandLine: () => void;
  /** The hint under the line until the first command (undefined once one ran). */
  hint: string | undefined;
  setHint: (hint: string | undefined) => void;
}

/** The input line's state, kept in refs as well so that keys of one chunk see each other's edits. */
export function useInputLine(): InputLineState {
  const [line, setLineState] = useState<LineState>(emptyLine);
  // Several keys can arrive in one chunk, before React renders again: the ref is the truth.
  const lineRef = useRef<LineState>(emptyLine);
  const set = (next: LineState) => {
    lineRef.current = next;
    setLineState(next);
  };
  const [hint, setHint] = useState<string | undefined>('  type a command · /help');
  const [commandLineOpen, setCommandLineOpenState] = useState(false);
  const commandLineOpenRef = useRef(false);
  const setCommandLineOpen = (open: boolean) => {
    commandLineOpenRef.current = open;
    setCommandLineOpenState(open);
  };
  return {
    line,
    current: () => lineRef.current,
    set,
    commandLineOpen,
    isCommandLineOpen: () => commandLineOpenRef.current,
    openCommandLine: () => {
      setCommandLineOpen(true);
      set(lineEditor.insert(emptyLine, '/'));
    },
    closeCommandLine: () => {
      setCommandLineOpen(false);
      set(emptyLine);
    },
    hint,
    setHint,
  };
}
