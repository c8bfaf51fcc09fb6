import { isProcessAlive } from '../state/writer-lock.js';

/** Waits up to a second for process `pid` to be gone; whether it is. */
export async function untilProcessGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 40 && isProcessAlive(pid); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isProcessAlive(pid);
}
