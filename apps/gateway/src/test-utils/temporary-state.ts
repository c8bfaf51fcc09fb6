import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A new empty directory under the system's temporary one, removed once the test that made it ends. */
export function temporaryDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** What a test creates a session with: `/bin/sh`, 80×24, in `cwd`, no environment and no name. */
export function sessionParams(cwd: string) {
  return { cwd, shell: '/bin/sh', env: {}, cols: 80, rows: 24, name: undefined };
}
