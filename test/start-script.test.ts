import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
// The pnpm that runs the tests (`npx pnpm test` puts none on the PATH), else the one on the PATH.
const pnpm = /pnpm(\.c?js)?$/.test(process.env.npm_execpath ?? '')
  ? [process.execPath, process.env.npm_execpath ?? '']
  : ['pnpm'];
const version = (
  JSON.parse(fs.readFileSync(path.join(root, 'apps/tui/package.json'), 'utf8')) as {
    version: string;
  }
).version;

test.each([
  ['pnpm', 'after the `--` it passes on', [...pnpm, '--silent', 'start', '--', '--version']],
  ['pnpm', 'without one', [...pnpm, '--silent', 'start', '--version']],
  ['npm', 'after the `--` it drops', ['npm', '--silent', 'start', '--', '--version']],
])(
  '`%s start` hands the options %s to lifeline',
  (_, _how, [command = 'pnpm', ...args]) => {
    const started = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
    expect(started.stderr).not.toMatch(/unknown command/);
    expect(started.status).toBe(0);
    expect(started.stdout.trim().split('\n').at(-1)).toBe(version);
  },
  120_000,
);
