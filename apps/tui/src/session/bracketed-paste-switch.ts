import { bracketedPasteOff, bracketedPasteOn } from '../terminal-sequences.js';

/** What both switches start with. */
const bracketedPasteSwitch = bracketedPasteOn.slice(0, -1);

/**
 * The last bracketed-paste switch in some output a program wrote: true (it asked for bracketed
 * pastes), false (it asked for them no more), or undefined (it said nothing of them).
 */
export function lastBracketedPasteSwitch(output: string): boolean | undefined {
  // Most output has none: a forward search finds that fastest.
  if (output.indexOf(bracketedPasteSwitch) === -1) return undefined;
  const on = output.lastIndexOf(bracketedPasteOn);
  const off = output.lastIndexOf(bracketedPasteOff);
  if (on === -1 && off === -1) return undefined;
  return on > off;
}
