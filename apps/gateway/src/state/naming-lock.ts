import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateLayout } from '@lifeline/protocol/state';
import { acquireWriterLock } from './writer-lock.js';

/** Longest a naming waits for another one to finish; then it goes ahead (a holder may hang). */
const NAMING_WAIT_MS = 2000;
const NAMING_POLL_MS = 5;

/**
 * Runs `choose` (which picks a session's name and writes it) while no other process, nor another
 * call in this one, names a session of `stateDir`: two sessions started at the same moment in
 * one directory then get two names, each seeing the other's on disk. The lock is a file holding
 * the pid of its holder, taken over once that process is gone.
 */
export async function withNamingLock<T>(
  stateDir: string,
  choose: () => T | Promise<T>,
): Promise<T> {
  const sessionsDir = stateLayout.sessionsDir(stateDir);
  fs.mkdirSync(sessionsDir, { recursive: true, mode: 0o700 });
  const file = path.join(sessionsDir, '.naming.lock');
  const deadline = Date.now() + NAMING_WAIT_MS;
  let lock = acquireWriterLock(file);
  while (!lock.acquired && Date.now() < deadline) {
    await sleep(NAMING_POLL_MS);
    lock = acquireWriterLock(file);
  }
  try {
    return await choose();
  } finally {
    if (lock.acquired) lock.release();
  }
}
