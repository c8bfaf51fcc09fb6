import fs from 'node:fs';
import path from 'node:path';
import { isSessionId, stateLayout } from '@lifeline/protocol';
import { readSessionRecord, WRITER_LOCK_FILE } from '../state/session-record.js';
import { liveLockHolder } from '../state/writer-lock.js';
import type { SessionCatalog } from './session-catalog.js';

/**
 * Sessions whose host died without releasing its lock (killed, machine crash) get their exit
 * recorded and their stale socket removed, so listings are honest from the first request.
 */
export function sweepLostHosts(
  catalog: SessionCatalog,
  breadcrumb: (event: string, fields?: Record<string, string | number>) => void,
  starting: string | undefined,
): void {
  let names: string[];
  try {
    names = fs
      .readdirSync(stateLayout.sessionsDir(catalog.stateDir))
      .filter((name) => isSessionId(name) && name !== starting);
  } catch {
    return;
  }
  for (const sid of names) {
    const sessionDir = catalog.sessionDir(sid);
    try {
      const lockFile = path.join(sessionDir, WRITER_LOCK_FILE);
      if (liveLockHolder(lockFile) !== undefined) continue;
      const record = readSessionRecord(sessionDir);
      if (fs.existsSync(lockFile) || fs.existsSync(record.socketPath)) {
        if (catalog.recordLostHost(sid, 'the session host died while no gateway was watching')) {
          breadcrumb('host.lost', { sid });
        }
        fs.rmSync(record.socketPath, { force: true });
      }
    } catch {
      // A damaged session directory is reported when someone uses it, not here.
    }
  }
}
