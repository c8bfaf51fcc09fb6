/** `CSI ? 1 h`, also among other modes set at once (`CSI ? 1 ; 1049 h`); `l` for off. */
const applicationOn = /\x1b\[\?(?:\d+;)*1(?:;\d+)*h/g;
const applicationOff = /\x1b\[\?(?:\d+;)*1(?:;\d+)*l/g;

/**
 * The last switch of the cursor keys' mode in some output a program wrote: true (it asked for
 * application cursor keys, `CSI ? 1 h`, as zsh's and readline's keypad setting and full-screen
 * programs do), false (normal ones again), or undefined (it said nothing of them).
 */
export function lastCursorKeysSwitch(output: string): boolean | undefined {
  // Most output has none: a forward search finds that fastest.
  if (output.indexOf('\x1b[?') === -1) return undefined;
  const on = lastIndexOf(output, applicationOn);
  const off = lastIndexOf(output, applicationOff);
  if (on === -1 && off === -1) return undefined;
  return on > off;
}

function lastIndexOf(text: string, pattern: RegExp): number {
  let last = -1;
  for (const match of text.matchAll(pattern)) last = match.index;
  return last;
}

/**
 * Keys as a terminal in the given cursor keys' mode sends them: the arrows, Home and End without
 * modifiers as `ESC O A` in application mode and `ESC [ A` in normal mode, whichever way the
 * user's terminal sent them (with modifiers they are the same in both).
 */
export function cursorKeysFor(keys: string, application: boolean): string {
  return application
    ? keys.replace(/\x1b\[([ABCDHF])/g, '\x1bO$1')
    : keys.replace(/\x1bO([ABCDHF])/g, '\x1b[$1');
}
