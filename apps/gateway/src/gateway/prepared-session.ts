import fs from 'node:fs';
import path from 'node:path';
import type { SessionRecord } from '../state/session-record.js';
import type { EarlySession } from './early-session.js';
import type { SpawnedHost } from './host-spawn.js';
import type { HostRegistry } from './host-registry.js';

type Breadcrumb = (event: string, fields?: Record<string, string | number | boolean | null | undefined>) => void;

/** What `session.create` asked for, before defaults. */
export interface CreateRequest {
  cwd?: string | undefined;
  shell?: string | undefined;
  env?: Record<string, string> | undefined;
  name?: string | undefined;
}

/** Longest wait for a killed host to be gone: well within the gateway's own 1 s grace at exit. */
const HOST_STOP_WAIT_MS = 500;
/** Longest it keeps trying to remove the session's directory after that. */
const DIRECTORY_REMOVAL_WAIT_MS = 400;

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
      (request.cwd === undefined || (path.isAbsolute(request.cwd) && path.resolve(request.cwd) === this.record.cwd)) &&
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
      await removeDirectory(this.sessionDir);
      fs.rmSync(this.record.socketPath, { force: true });
      this.breadcrumb('session.discard', { sid, reason });
    } catch (error) {
      this.breadcrumb('session.discard_failed', { sid, reason, error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/**
 * Removes a session's directory, trying again for a moment while it is still being written to:
 * the host's shell, hung up, saves its history there as it goes.
 */
async function removeDirectory(dir: string): Promise<void> {
  const deadline = Date.now() + DIRECTORY_REMOVAL_WAIT_MS;
  for (;;) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Ends a host nobody used: killed outright (its shell gets the hang-up of its closed terminal), then
 * waited for, so that nothing writes into the session's directory once it is removed.
 */
async function stopHost(host: SpawnedHost): Promise<void> {
  if (host.exit) return;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill('SIGKILL');
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, HOST_STOP_WAIT_MS).unref())]);
}
