#!/usr/bin/env node
// Before publishing: the npm account the release runs as may publish under every scope of the
// published packages (its own name, or an npm organisation it belongs to). Stops the release with
// what to fix otherwise, before anything is published.
// Usage: node scripts/scope-check.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scopeProblem, scopesOf } from './lib/scope-ownership.mjs';

const root = path.resolve(import.meta.dirname, '..');
const names = ['packages', 'apps'].flatMap((group) =>
  fs
    .readdirSync(path.join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) =>
      JSON.parse(fs.readFileSync(path.join(root, group, entry.name, 'package.json'), 'utf8')),
    )
    .filter((manifest) => manifest.private !== true)
    .map((manifest) => manifest.name),
);

/** What `npm <args>` printed, or `undefined` when it failed (its stderr passed through). */
function npm(args) {
  try {
    return execFileSync('npm', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (error) {
    if (typeof error?.status === 'number') return undefined;
    throw error;
  }
}

const user = npm(['whoami']);
const problems = scopesOf(names).flatMap((scope) => {
  const listed =
    user === undefined || user === scope ? undefined : npm(['org', 'ls', scope, '--json']);
  const problem = scopeProblem({
    scope,
    user,
    members: listed === undefined ? undefined : JSON.parse(listed),
  });
  return problem === undefined ? [] : [problem];
});
if (problems.length > 0) {
  for (const problem of problems) console.error(`scope check: ${problem}`);
  process.exit(1);
}
console.log(`scope check: ${user} may publish ${names.join(', ')}`);
