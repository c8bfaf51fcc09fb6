#!/usr/bin/env node
// Packs every published workspace into a tarball, installs the tarballs with npm into a scratch
// project outside the workspace, and imports each package there: what npm users would get.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const workspaceDirs = ['packages', 'apps'].flatMap((group) =>
  fs
    .readdirSync(path.join(root, group))
    .map((name) => path.join(root, group, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json'))),
);
const published = workspaceDirs
  .map((dir) => ({ dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-release-check-'));
const tarballDir = path.join(scratch, 'tarballs');
fs.mkdirSync(tarballDir);
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

try {
  const tarballs = {};
  for (const { dir, manifest } of published) {
    const output = run('pnpm', ['pack', '--pack-destination', tarballDir], dir).trim().split('\n');
    tarballs[manifest.name] = `file:${output.at(-1)}`;
    console.log(`packed  ${manifest.name}`);
  }
  const project = path.join(scratch, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify(
      { name: 'release-check', private: true, type: 'module', dependencies: tarballs, overrides: tarballs },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  console.log(`installed ${published.length} tarballs with npm in ${project}`);

  for (const { manifest } of published) {
    const probe = `const m = await import(${JSON.stringify(manifest.name)}); console.log(Object.keys(m).length);`;
    const exportCount = run('node', ['--input-type=module', '-e', probe], project).trim();
    console.log(`import  ${manifest.name} (${exportCount} exports)`);
    for (const bin of Object.keys(manifest.bin ?? {})) {
      run(path.join(project, 'node_modules', '.bin', bin), ['--help'], project);
      console.log(`run     ${bin} --help`);
    }
  }
  // The whole product from the tarballs: CLI → gateway → session host → PTY → shell.
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  const env = { PATH: process.env.PATH, HOME: home, LIFELINE_HOME: path.join(scratch, 'state'), SHELL: '/bin/sh', LANG: 'C.UTF-8' };
  try {
    const exec = execFileSync(path.join(project, 'node_modules', '.bin', 'lifeline'), ['exec', '--new', '--json', '--', 'echo', 'from-the-tarballs'], {
      cwd: project,
      env,
      encoding: 'utf8',
    });
    const result = JSON.parse(exec);
    if (result.exitCode !== 0 || result.output.trim() !== 'from-the-tarballs') {
      throw new Error(`lifeline exec from the tarballs printed ${exec}`);
    }
    console.log(`run     lifeline exec --new --json -- echo from-the-tarballs → exit ${result.exitCode}`);
  } finally {
    const sessions = path.join(env.LIFELINE_HOME, 'sessions');
    for (const sid of fs.existsSync(sessions) ? fs.readdirSync(sessions) : []) {
      const pid = Number.parseInt(fs.readFileSync(path.join(sessions, sid, 'host.lock'), 'utf8'), 10);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // The host has ended already.
      }
    }
  }
  console.log(`release:check passed: ${published.length} packages packed, installed, imported and run`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
