// Vitest global setup: the chaos run spawns the built gateway (and through it the built hosts),
// so make sure that build is current (turbo answers from its cache when nothing changed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function buildBeforeTests(): void {
  const root = path.resolve(import.meta.dirname, '../../../..');
  execFileSync(path.join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@lifeline/gateway', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
}
