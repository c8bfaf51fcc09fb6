import path from 'node:path';

/**
 * Where each shared file lives inside the state directory (`$LIFELINE_HOME`, else
 * `$XDG_STATE_HOME/lifeline`, else `~/.local/state/lifeline`; resolve it with
 * `resolveStateDirectory` from `@lifeline/crash-log` so every process agrees).
 */
export const stateLayout = {
  /** One directory per session, named by its sid. */
  sessionsDir: (stateDir: string) => path.join(stateDir, 'sessions'),
  /** `session.json`, `events.jsonl`, `events.idx`, `host.lock`, `host.sock` of one session. */
  sessionDir: (stateDir: string, sid: string) => path.join(stateDir, 'sessions', sid),
  /** The crash log every process appends to. */
  crashLog: (stateDir: string) => path.join(stateDir, 'logs', 'crash.log'),
  /** The bearer token of a gateway listening on WebSocket (0600). */
  gatewayToken: (stateDir: string) => path.join(stateDir, 'gateway.token'),
} as const;
