import { sessionSignalKeys, type SessionSignal } from '@lifeline/protocol';

/** The key a session host presses for `signal` (`Ctrl+C` for SIGINT), or undefined for a signal it sends. */
export function keyOfSignal(signal: SessionSignal): string | undefined {
  return sessionSignalKeys[signal]?.name;
}

/**
 * Why `signal` is not delivered to session `sid` where no command runs, when it is delivered as a
 * key (see {@link keyOfSignal}): at the shell's prompt, the key clears the line someone is typing
 * there. `undefined` when it may go: a command runs, `atPrompt` says to press it anyway, or the
 * signal goes to a process. `override` names how to say "anyway" (a flag, an argument).
 */
export function promptKeyRefusal(
  sid: string,
  signal: SessionSignal,
  state: { commandRuns: boolean; atPrompt: boolean },
  override: string,
): string | undefined {
  const key = keyOfSignal(signal);
  if (key === undefined || state.commandRuns || state.atPrompt) return undefined;
  return `no command runs in session ${sid}: ${key} would go to the shell's prompt and clear what someone is typing there, so nothing was sent; ${override} sends it anyway (to cancel a command waiting for more lines)`;
}

/**
 * Whether a session-busy refusal's `reason` says the session is held at its prompt, where nothing
 * runs: someone's keys left the line editor in a mode of its own, or someone is typing a command
 * that needs more lines. Ctrl+C there (see {@link promptKeyRefusal}'s override) lets runs in.
 */
export function heldAtPrompt(busyReason: unknown): boolean {
  return busyReason === 'line-editor-mode' || busyReason === 'continuation';
}
