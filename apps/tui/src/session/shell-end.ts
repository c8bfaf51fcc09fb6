/**
 * How a session's shell ended, from its `host_exit` event, for the words "the shell exited (…)":
 * the signal that ended it, its exit code, or, when neither was recorded, that its session host
 * went first (killed or crashed), taking the shell with it.
 */
export function describeShellEnd(code: number | null, signal: string | null): string {
  if (signal) return signal;
  if (code !== null) return `code ${code}`;
  return 'its session host was killed or crashed; `lifeline logs` may say why';
}
