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
