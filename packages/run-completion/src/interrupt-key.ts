import type { ShellKind } from './shell-kind.js';

/** Ctrl+C as a terminal sends it: the terminal makes an interrupt of it (ISIG). */
const CTRL_C = '\x03';

/**
 * The key fish's integration binds to what Ctrl+C does at its prompt. It reaches fish in order
 * with the keys around it, where the interrupt the terminal makes of Ctrl+C does not: fish acts on
 * an interrupt that comes while it is busy (drawing the line it was typed, reading a paste) only
 * when a later one wakes it, and the kernel throws away the input fish had not read yet with it
 * (the end of a paste among it, after which fish takes every key as pasted text).
 */
const FISH_INTERRUPT_KEY = '\x1b[9;3~';

/**
 * What to type for Ctrl+C typed at the prompt of a shell of `kind` started in prompt-hook mode,
 * while its line editor reads the terminal (no command runs, none was entered, and the shell has
 * the terminal to itself): Ctrl+C itself, except for fish, which gets a key of its integration
 * that does what its Ctrl+C does (clear the line, end a paste it was reading).
 */
export function promptInterruptKey(kind: ShellKind): string {
  return kind === 'fish' ? FISH_INTERRUPT_KEY : CTRL_C;
}
