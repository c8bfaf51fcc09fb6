/** The DEC private modes whose switches the TUI follows in a program's output. */
export const privateModes = {
  /** Application cursor keys (DECCKM): the arrows as `ESC O A`. */
  cursorKeys: 1,
  /** Bracketed paste: pastes between `ESC [ 200 ~` and `ESC [ 201 ~`. */
  bracketedPaste: 2004,
} as const;

/** A DEC private mode switch: `CSI ? 1 h`, also of several modes at once (`CSI ? 1 ; 1049 h`). */
const privateModeSwitch = /\x1b\[\?([\d;]+)([hl])/g;

/**
 * The last switch of DEC private mode `mode` in some output a program wrote: true (it set it,
 * `CSI ? mode h`), false (it reset it, `CSI ? mode l`), or undefined (it said nothing of it).
 */
export function lastPrivateModeSwitch(output: string, mode: number): boolean | undefined {
  // Most output has none: a forward search finds that fastest.
  if (!output.includes('\x1b[?')) return undefined;
  const wanted = String(mode);
  let last: boolean | undefined;
  for (const [, modes = '', final] of output.matchAll(privateModeSwitch))
    if (modes.split(';').includes(wanted)) last = final === 'h';
  return last;
}
