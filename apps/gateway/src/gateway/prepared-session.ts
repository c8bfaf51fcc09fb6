import fs from 'node:fs';
import path from 'node:path';
import type { SessionRecord } from '../state/session-record.js';
import type { EarlySession } from './early-session.js';
import type { SpawnedHost } from './host-spawn.js';
import type { HostRegistry } from './host-registry.js';

type Breadcrumb = (
  event: string,
  fields?: Record<string, string | number | boolean | null | undefined>,
) => void;

/** What `session.create` asked for, before defaults. */
export interface CreateRequest {
  cwd?: string | undefined;
  shell?: string | undefined;
  env?: Record<string, string> | undefined;
  name?: string | undefined;
}

/** Longest wait for a killed host to be gone: well within the gateway's own 1 s grace at exit. */
const HOST_STOP_WAIT_MS = 500;

/**
 * The session a gateway began at its start (`--new-session`), until the client's first
 * `session.create` claims it. A request for anything else (another cwd, a shell, env or name)
 * gets a session of its own, and the prepared one is stopped and removed, as it is when the
 * gateway ends without it being claimed: a session nobody asked for leaves no trace.
 */
export class PreparedSession {
  #open = true;
  private readonly record: SessionRecord;
  private readonly sessionDir: string;
  private readonly host: SpawnedHost;

  constructor(
    early: Extract<EarlySession, { started: true }>,
    private readonly registry: HostRegistry,
    private readonly breadcrumb: Breadcrumb,
  ) {
    this.record = early.record;
    this.sessionDir = early.sessionDir;
    this.host = early.host;
    registry.adopt(this.record.sid, this.host);
  }

  /**
   * The prepared session if `request` asks for what it is (nothing but, at most, its cwd); the
   * first request decides, whatever it asks.
   */
  claim(request: CreateRequest): SessionRecord | undefined {
    if (!this.#open) return undefined;
    const matches =
      (request.cwd === undefined ||
        (path.isAbsolute(request.cwd) && path.resolve(request.cwd) === this.record.cwd)) &&
      request.shell === undefined &&
      Object.keys(request.env ?? {}).length === 0 &&
      request.name === undefined;
    if (!matches) {
      void this.discard('the first session.create asked for another session');
      return undefined;
    }
    this.#open = false;
    return this.record;
  }

  /**
   * Stops the prepared session's host and removes its files, unless it was claimed. Never throws:
   * what it could not remove stays as an ended session, and the crash log says why.
   */
  async discard(reason: string): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    const { sid } = this.record;
    this.registry.forget(sid);
    try {
      await stopHost(this.host);
      fs.rmSync(this.sessionDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
      fs.rmSync(this.record.socketPath, { force: true });
      this.breadcrumb('session.discard', { sid, reason });
    } catch (error) {
      this.breadcrumb('session.discard_failed', {
        sid,
        reason,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * Ends a host nobody used: killed outright (its shell gets the hang-up of its closed terminal), then
 * waited for, so that nothing writes into the session's directory once it is removed. The wait
 * holds the gateway open: the host was spawned unreferenced (it may outlive the gateway), and a
 * gateway with nothing else left to do would otherwise exit before the session is removed.
 */
async function stopHost(host: SpawnedHost): Promise<void> {
  if (host.exit) return;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill('SIGKILL');
  await Promise.race([
    exited,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, HOST_STOP_WAIT_MS))),
  ]);
  clearTimeout(timer);
}
