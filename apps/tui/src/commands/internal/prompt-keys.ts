import { sessionSignalKeys, type SessionSignal } from '@lifeline/protocol';

/** The key a session host presses for `signal` (`Ctrl+C` for SIGINT), or undefined for a signal it sends. */
export function keyOfSignal(signal: SessionSignal): string | undefined {
  return sessionSignalKeys[signal]?.name;
}

/**
 * Why `signal` is not delivered to session `sid` where no command runs: at the shell's prompt, a
 * key (see {@link keyOfSignal}) clears the line someone is typing there, and any other signal goes
 * to the shell itself, which most of them end, and what was set in it with it (a command that ended
 * a moment before the signal was meant for it would take the shell down). `undefined` when it may
 * go: a command runs, or `atPrompt` says to send it anyway. `override` names how to say "anyway"
 * (a flag, an argument).
 */
export function idleSignalRefusal(
  sid: string,
  signal: SessionSignal,
  state: { commandRuns: boolean; atPrompt: boolean },
  override: string,
): string | undefined {
  if (state.commandRuns || state.atPrompt) return undefined;
  const key = keyOfSignal(signal);
  return key === undefined
    ? `no command runs in session ${sid}: ${signal} would go to its shell itself, which it ends unless the shell ignores it (its variables and functions lost), so nothing was sent; ${override} sends it anyway`
    : `no command runs in session ${sid}: ${key} would go to the shell's prompt and clear what someone is typing there, so nothing was sent; ${override} sends it anyway (to cancel a command waiting for more lines)`;
}

/**
 * Whether a session-busy refusal's `reason` says the session is held at its prompt, where nothing
 * runs: someone's keys left the line editor in a mode of its own, or someone is typing a command
 * that needs more lines. Ctrl+C there (see {@link idleSignalRefusal}'s override) lets runs in.
 */
export function heldAtPrompt(busyReason: unknown): boolean {
  return busyReason === 'line-editor-mode' || busyReason === 'continuation';
}
