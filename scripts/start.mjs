#!/usr/bin/env node
// `pnpm start [-- ] [options]`: builds what changed (quietly, unless it fails), then opens the TUI
// with the options given.
// pnpm hands a script the `--` that npm would drop (`pnpm start -- -c` runs `start.mjs -- -c`): a
// leading one is dropped here, so both spellings reach the CLI as `-c`. The TUI is told how it was
// started, to name a command that runs it again when it says how to come back to a session.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();

// The build says nothing unless it fails: the TUI opens on a clean screen.
const building = process.stderr.isTTY ? 'lifeline: building (a minute the first time)…' : '';
process.stderr.write(building);
const build = spawnSync(
  path.join(root, 'node_modules/.bin/turbo'),
  ['run', 'build', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  },
);
if (building) process.stderr.write('\r\x1b[K');
if (build.error) {
  console.error(
    `lifeline: could not run the build (${build.error.message}); run \`pnpm install\` first`,
  );
  process.exit(1);
}
if (build.status !== 0) {
  process.stdout.write(build.stdout);
  process.stderr.write(build.stderr);
  console.error(`lifeline: the build failed (exit ${build.status ?? build.signal}); see above`);
  process.exit(build.status ?? 1);
}

process.argv = [process.argv[0], path.join(root, 'apps/tui/dist/cli.js'), ...args];
// npm is there wherever Lifeline's README commands ran (pnpm may not be on the PATH).
process.env.LIFELINE_STARTED_AS = 'npm start --';
await import(pathToFileURL(process.argv[1]).href);
