// For the global setup of integration tests that spawn built programs: the build must be current
// before they run (turbo answers from its cache in a second when nothing changed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Builds the workspace packages a turbo filter selects, and what they depend on; only errors are
 * printed.
 * @param {string} filter a turbo `--filter`, e.g. `@lifeline/gateway`
 */
export function buildWorkspace(filter) {
  execFileSync(
    path.join(root, 'node_modules/.bin/turbo'),
    ['run', 'build', `--filter=${filter}`, '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    },
  );
}
