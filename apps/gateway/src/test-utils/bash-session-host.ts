import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSessionId, type EventPayload } from '@lifeline/protocol';
import { SessionHost, type SessionHostOptions } from '../host/session-host.js';
import { startShell } from '../host/shell-launch.js';
import type { SessionRecord } from '../state/session-record.js';

/**
 * A session host over a real bash in a temporary directory, its log kept in memory, not started
 * yet (subscribe first, then `host.start(process.pid)`). `close` ends it and removes the directory.
 */
export function bashSessionHost(
  name: string,
  options: Pick<SessionHostOptions, 'flowPollMs'> = {},
): { host: SessionHost; close: () => Promise<void> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `lifeline-${name}-`));
  const home = path.join(root, 'home');
  fs.mkdirSync(home);
  const record: SessionRecord = {
    sid: createSessionId(),
    name,
    shell: '/bin/bash',
    env: {},
    cwd: root,
    createdAt: new Date().toISOString(),
    socketPath: path.join(root, 'host.sock'),
    cols: 80,
    rows: 24,
  };
  let seq = -1;
  const host = new SessionHost({
    record,
    log: {
      appendRecorded(payload: EventPayload) {
        seq += 1;
        return { event: { seq, time: Date.now(), ...payload }, record: undefined };
      },
      get lastSeq() {
        return seq;
      },
      lastTime: undefined,
    },
    startShell: () =>
      startShell(record, root, { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' }),
    saveScript: () => ({ path: path.join(root, 'script'), remove: () => undefined }),
    previousEvent: undefined,
    saveRecord: () => true,
    breadcrumb: () => undefined,
    ...options,
  });
  return {
    host,
    close: async () => {
      host.close(100);
      await host.exited;
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
