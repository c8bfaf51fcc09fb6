import { bracketedPasteOff, bracketedPasteOn } from '../terminal-sequences.js';

/**
 * The last bracketed-paste switch in some output a program wrote: true (it asked for bracketed
 * pastes), false (it asked for them no more), or undefined (it said nothing of them).
 */
export function lastBracketedPasteSwitch(output: string): boolean | undefined {
  const on = output.lastIndexOf(bracketedPasteOn);
  const off = output.lastIndexOf(bracketedPasteOff);
  if (on === -1 && off === -1) return undefined;
  return on > off;
}
