import { enterAlternateScreen } from '../terminal-sequences.js';

/** Who has the terminal: the TUI, a full-screen program (alternate screen), or the running program because the user attached to it. */
export type PassthroughMode = 'off' | 'alternate-screen' | 'attached';

/** What to do with one piece of live output. */
export type PassthroughAction =
  | {
      kind: 'enter';
      mode: Exclude<PassthroughMode, 'off'>;
      /**
       * Attached: the program's screen down to its cursor (display text, rows joined by CRLF), as
       * the TUI showed it under the transcript: drawn again where the program's output continues.
       */
      line?: string;
    }
  | { kind: 'raw'; data: string }
  | { kind: 'leave' };

/** An alternate-screen switch seen in an output chunk (from the output sanitiser). */
export interface ScreenSwitch {
  active: boolean;
  /** Position in the chunk just after the switch sequence. */
  chunkOffset: number;
}

/**
 * Plans one live output chunk: while the terminal is handed over, the raw bytes go straight to
 * it. A program entering the alternate screen takes the terminal from the switch on; leaving it
 * gives the terminal back right after the switch. A user who attached keeps the terminal through
 * any switches until they detach.
 */
export function planPassthrough(
  mode: PassthroughMode,
  chunk: string,
  switches: readonly ScreenSwitch[],
): { actions: PassthroughAction[]; mode: PassthroughMode } {
  const actions: PassthroughAction[] = [];
  let current = mode;
  let position = 0;
  const raw = (end: number) => {
    if (end > position) actions.push({ kind: 'raw', data: chunk.slice(position, end) });
    position = end;
  };
  for (const change of switches) {
    if (current === 'attached') continue;
    if (change.active && current === 'off') {
      position = change.chunkOffset;
      actions.push(
        { kind: 'enter', mode: 'alternate-screen' },
        { kind: 'raw', data: enterAlternateScreen },
      );
      current = 'alternate-screen';
    } else if (!change.active && current === 'alternate-screen') {
      raw(change.chunkOffset);
      actions.push({ kind: 'leave' });
      current = 'off';
    }
  }
  if (current !== 'off') raw(chunk.length);
  return { actions, mode: current };
}
