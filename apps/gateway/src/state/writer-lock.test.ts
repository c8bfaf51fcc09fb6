import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  acquireWriterLockAfterUpkeep,
  acquireWriterLock,
  isProcessAlive,
  liveLockHolder,
} from './writer-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function lockPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-lock-'));
  dirs.push(dir);
  return path.join(dir, 'host.lock');
}

describe('acquireWriterLock', () => {
  test('takes a free lock, records the pid, and releases only its own lock', () => {
    const file = lockPath();
    const result = acquireWriterLock(file, { pid: 4242, isHolderAlive: () => true });
    expect(result.acquired).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('4242');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    if (result.acquired) result.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a lock whose pid could not be written (a full disk) is not left behind to keep the next writer out', () => {
    const file = lockPath();
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    const write = vi.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw full;
    });
    try {
      expect(() => acquireWriterLock(file, { pid: 4242, isHolderAlive: () => true })).toThrow(full);
    } finally {
      write.mockRestore();
    }
    expect(fs.existsSync(file)).toBe(false);
    // With room again, the next host takes it at once: no "live host (pid 0)".
    expect(acquireWriterLock(file, { pid: 4343, isHolderAlive: () => true })).toMatchObject({
      acquired: true,
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('4343');
  });

  test('reports the live holder instead of taking its lock', () => {
    const file = lockPath();
    acquireWriterLock(file, { pid: 1111, isHolderAlive: () => true });
    expect(acquireWriterLock(file, { pid: 2222, isHolderAlive: () => true })).toEqual({
      acquired: false,
      heldBy: 1111,
      upkeep: false,
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('1111');
  });

  test('a release after someone else took over leaves their lock alone', () => {
    const file = lockPath();
    const first = acquireWriterLock(file, { pid: 1111, isHolderAlive: () => true });
    const second = acquireWriterLock(file, { pid: 2222, isHolderAlive: (pid) => pid !== 1111 });
    expect(second.acquired).toBe(true);
    if (first.acquired) first.release();
    expect(fs.readFileSync(file, 'utf8')).toBe('2222');
  });

  test('a lock held for upkeep names no live host, and a host waits for it instead of giving up', async () => {
    const file = lockPath();
    const upkeep = acquireWriterLock(file, { upkeep: true });
    expect(upkeep.acquired).toBe(true);
    // The session looks ended meanwhile (its name is free, `sessions` says ended)…
    expect(liveLockHolder(file)).toBeUndefined();
    // …and another writer is told who holds it, and for what.
    expect(acquireWriterLock(file)).toEqual({
      acquired: false,
      heldBy: process.pid,
      upkeep: true,
    });
    const host = acquireWriterLockAfterUpkeep(file);
    setTimeout(() => {
      if (upkeep.acquired) upkeep.release();
    }, 50);
    const taken = await host;
    expect(taken.acquired).toBe(true);
    expect(liveLockHolder(file)).toBe(process.pid);
    if (taken.acquired) taken.release();
  });

  test('takes over the lock of a process that was killed', async () => {
    const file = lockPath();
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('fs').writeFileSync(${JSON.stringify(file)}, String(process.pid)); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const holder = child.pid ?? 0;
      expect(liveLockHolder(file)).toBe(holder);
      expect(acquireWriterLock(file)).toEqual({ acquired: false, heldBy: holder, upkeep: false });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect(isProcessAlive(holder)).toBe(false);
      expect(liveLockHolder(file)).toBeUndefined();
      const result = acquireWriterLock(file);
      expect(result.acquired).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(String(process.pid));
    } finally {
      child.kill('SIGKILL');
    }
  });
});

test('a zombie (exited, not yet reaped by its parent) does not count as alive', async () => {
  // sh starts a short sleep, then becomes a long one that never reaps it: the short one stays a zombie.
  const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
    );
    await vi.waitFor(() =>
      expect(fs.readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /),
    );
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(isProcessAlive(zombie)).toBe(false);
  } finally {
    parent.kill('SIGKILL');
  }
});
