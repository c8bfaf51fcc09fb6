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
