import fs from 'node:fs';
import path from 'node:path';
import type { SessionSummary } from '@lifeline/protocol';
import { CliError } from '../commands/internal/cli-error.js';
import { findSession } from '../commands/internal/session-ref.js';
import { gatewayFailure } from './gateway-failure.js';
import type { SharedGateway } from './shared-gateway.js';
import { ToolFailure } from './tool-failure.js';
import type { SessionInfo } from './tool-schemas.js';

/**
 * The sessions as the tools see them: looked up and started through the shared gateway, and the
 * server's own session, where commands run when the caller names none.
 */
export class McpSessions {
  readonly gateway: SharedGateway;
  /** What relative directories are resolved against, and where sessions start by default. */
  readonly cwd: string;
  /** The state directory the sessions live in, named when a session is not found. */
  readonly stateDirectory: string;
  /** The server's own session: started on first need, replaced when busy. */
  ownSid: string | undefined;
  /** Every session the server started as its own (see {@link ownSid}), the ones replaced too. */
  readonly #ownSessions = new Set<string>();
  /** Own sessions being started: one the server exits during is closed once started. */
  readonly #startingOwn = new Set<Promise<SessionSummary>>();
  /** Settles when the call before the last to ask for a turn in the own session has started its command. */
  #ownTurn: Promise<void> = Promise.resolve();
  /** Calls of this server whose command is in a session and that have not answered yet, by sid. */
  readonly #callsRunning = new Map<string, number>();

  constructor(gateway: SharedGateway, cwd: string, stateDirectory: string) {
    this.gateway = gateway;
    this.cwd = cwd;
    this.stateDirectory = stateDirectory;
  }

  /** Every session, most recently active first. */
  async list(): Promise<SessionSummary[]> {
    const { sessions } = await this.gateway
      .call((link) => link.client.call('session.list', {}))
      .catch((error: unknown) => {
        throw gatewayFailure(error, 'listing the sessions');
      });
    return sessions.sort(
      (left, right) => Date.parse(right.lastActivityAt) - Date.parse(left.lastActivityAt),
    );
  }

  /**
   * The session `reference` means, as `lifeline exec -s` takes it: its id, its name, or the start
   * of its id.
   * @throws ToolFailure when none matches, or several do
   */
  async find(reference: string): Promise<SessionSummary> {
    const sessions = await this.list();
    try {
      return findSession(sessions, reference, this.stateDirectory, 'list_sessions');
    } catch (error) {
      if (!CliError.isInstance(error)) throw error;
      throw new ToolFailure(error.message, { cause: error });
    }
  }

  /**
   * Runs `start` once the calls that came before it and run in the server's own session have
   * started their commands there: calls sent together, without waiting for each other's answers,
   * choose their session (and start the own one) one at a time, in the order they came, so that
   * each finds the one before it running and waits behind it in the same shell.
   */
  async ownTurn<T>(start: () => Promise<T>): Promise<T> {
    const before = this.#ownTurn;
    let done = (): void => undefined;
    this.#ownTurn = new Promise((resolve) => {
      done = resolve;
    });
    await before;
    try {
      return await start();
    } finally {
      done();
    }
  }

  /**
   * Counts a call of this server as running its command in `sid` until the function returned is
   * called (as the call answers): a session busy with such a call is not busy with something an
   * earlier call left running (see {@link hasCallRunning}).
   */
  callRuns(sid: string): () => void {
    this.#callsRunning.set(sid, (this.#callsRunning.get(sid) ?? 0) + 1);
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      const left = (this.#callsRunning.get(sid) ?? 1) - 1;
      if (left > 0) this.#callsRunning.set(sid, left);
      else this.#callsRunning.delete(sid);
    };
  }

  /** Whether a call of this server that has not answered yet runs its command in `sid`. */
  hasCallRunning(sid: string): boolean {
    return this.#callsRunning.has(sid);
  }

  /** Starts the server's own session in `cwd` (an absolute directory): see {@link ownSid}. */
  async startOwn(cwd: string): Promise<SessionSummary> {
    const starting = this.start(cwd);
    this.#startingOwn.add(starting);
    try {
      const session = await starting;
      this.ownSid = session.sid;
      this.#ownSessions.add(session.sid);
      return session;
    } finally {
      this.#startingOwn.delete(starting);
    }
  }

  /**
   * Ends the shells of the server's own sessions that run nothing, as the server exits: nobody
   * would use them again (the next server starts its own), and each keeps a shell and its host
   * running. One running a command is left to finish it. Their logs stay.
   * @returns the own sessions left running, with their commands
   */
  async closeIdleOwn(): Promise<{ sid: string; command: string }[]> {
    const starting = await Promise.allSettled([...this.#startingOwn]);
    for (const started of starting)
      if (started.status === 'fulfilled') this.#ownSessions.add(started.value.sid);
    if (this.#ownSessions.size === 0) return [];
    const own = (await this.list()).filter(
      (session) => this.#ownSessions.has(session.sid) && session.status === 'live',
    );
    await Promise.all(
      own
        .filter((session) => session.running === undefined)
        .map((session) =>
          this.gateway.call((link) =>
            link.client.call('session.close', { sid: session.sid }, { timeoutMs: 15_000 }),
          ),
        ),
    );
    return own.flatMap((session) =>
      session.running ? [{ sid: session.sid, command: session.running.command }] : [],
    );
  }

  /** Starts a session in `cwd` (an absolute directory). */
  async start(cwd: string, name?: string): Promise<SessionSummary> {
    const created = await this.gateway
      .call((link) =>
        link.client.call('session.create', { cwd, ...(name === undefined ? {} : { name }) }),
      )
      .catch((error: unknown) => {
        throw gatewayFailure(error, `starting a session in ${cwd}`);
      });
    return created.session;
  }

  /**
   * An existing directory, relative ones resolved against the server's directory.
   * @throws ToolFailure naming it when it is not a directory
   */
  directory(given: string): string {
    const directory = path.resolve(this.cwd, given);
    let isDirectory = false;
    try {
      isDirectory = fs.statSync(directory).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES') throw error;
    }
    if (!isDirectory)
      throw new ToolFailure(`cwd ${directory} is not a directory; give an existing directory`);
    return directory;
  }
}

/** A session as the tools describe it. */
export function sessionInfo(session: SessionSummary): SessionInfo {
  return {
    session: session.sid,
    name: session.name,
    status: session.status,
    cwd: session.cwd,
    shell: session.shell,
    lastActivityAt: session.lastActivityAt,
    ...(session.lastCommand === undefined ? {} : { lastCommand: session.lastCommand }),
    lastSeq: session.lastSeq,
    ...(session.running
      ? {
          running: {
            runId: session.running.runId,
            command: session.running.command,
            waitsForInput: session.running.waitsForInput === true,
          },
        }
      : {}),
  };
}
