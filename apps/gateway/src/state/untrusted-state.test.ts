import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { gatewayCliPath } from '../entry-points.js';
import { TestWorld } from '../test-utils/gateway-harness.js';
import { UNSAFE_STATE_EXIT_CODE } from './private-directory.js';
import { chooseSocketPath } from './socket-path.js';

const isRoot = process.getuid?.() === 0;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-trust-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Runs a stdio gateway with `LIFELINE_HOME=stateDir` until it exits; its exit code and stderr. */
async function runGateway(
  stateDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [gatewayCliPath()], {
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), LIFELINE_HOME: stateDir, ...env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

test('a state directory that others can write into is refused, saying how to fix it, and nothing is written there', async () => {
  const stateDir = path.join(scratch(), 'state');
  fs.mkdirSync(stateDir);
  fs.chmodSync(stateDir, 0o777);
  const { code, stderr } = await runGateway(stateDir);
  expect(code).toBe(UNSAFE_STATE_EXIT_CODE);
  expect(stderr).toContain(
    `the state directory ${stateDir} is writable by group or others (mode 0777)`,
  );
  expect(stderr).toContain(`chmod 700 ${stateDir}`);
  expect(fs.readdirSync(stateDir)).toEqual([]);
});

test('a state directory that is a file, or under one, is refused with the reason, not a crash', async () => {
  const root = scratch();
  const file = path.join(root, 'state');
  fs.writeFileSync(file, 'notes\n');
  const asFile = await runGateway(file);
  expect(asFile.code).toBe(UNSAFE_STATE_EXIT_CODE);
  expect(asFile.stderr).toBe(
    `lifeline: the state directory ${file} is not a directory, so Lifeline does not use it; move it aside\n`,
  );
  const under = path.join(file, 'lifeline');
  const underFile = await runGateway(under);
  expect(underFile.code).toBe(UNSAFE_STATE_EXIT_CODE);
  expect(underFile.stderr).toMatch(
    new RegExp(
      `^lifeline: the state directory ${under} cannot be created \\(ENOTDIR: .*\\), so Lifeline does not use it; use a directory you can write to \\(set LIFELINE_HOME\\)\n$`,
    ),
  );
  expect(fs.readFileSync(file, 'utf8')).toBe('notes\n');
});

test('a state directory that is a symlink is refused', async () => {
  const root = scratch();
  const real = path.join(root, 'real');
  fs.mkdirSync(real, { mode: 0o700 });
  const stateDir = path.join(root, 'state');
  fs.symlinkSync(real, stateDir);
  const { code, stderr } = await runGateway(stateDir);
  expect(code).toBe(UNSAFE_STATE_EXIT_CODE);
  expect(stderr).toContain(`the state directory ${stateDir} is a symbolic link`);
  expect(fs.readdirSync(real)).toEqual([]);
});

test.skipIf(!isRoot && process.env.CI !== 'true')(
  'a state directory owned by someone else is refused',
  async () => {
    const stateDir = path.join(scratch(), 'state');
    fs.mkdirSync(stateDir, { mode: 0o700 });
    fs.chownSync(stateDir, 65534, 65534);
    const { code, stderr } = await runGateway(stateDir);
    expect(code).toBe(UNSAFE_STATE_EXIT_CODE);
    expect(stderr).toContain('belongs to uid 65534, not to you');
  },
);

test('a symlinked socket directory is refused instead of sending a session to a socket elsewhere', () => {
  const tmp = scratch();
  const elsewhere = path.join(tmp, 'elsewhere');
  fs.mkdirSync(elsewhere, { mode: 0o700 });
  const uid = process.getuid?.() ?? 0;
  fs.symlinkSync(elsewhere, path.join(tmp, `lifeline-${uid}`));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  cleanups.push(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  });
  const deepSessionDir = path.join(
    tmp,
    'a'.repeat(60),
    'b'.repeat(60),
    'sessions',
    's_01hzy3k7m2q9v8c4x6t1b5n0rd',
  );
  expect(() => chooseSocketPath(deepSessionDir, 's_01hzy3k7m2q9v8c4x6t1b5n0rd')).toThrow(
    `the socket directory ${path.join(tmp, `lifeline-${uid}`)} is a symbolic link`,
  );
});

test('a session record naming a socket that is not its own makes no gateway delete that file', async () => {
  const world = new TestWorld();
  const gateway = await world.startGateway();
  const { sid } = await gateway.client.call('session.create', { cwd: world.work });
  const [hostPid] = world.hostPids();
  gateway.spawned.child.kill('SIGKILL');
  process.kill(hostPid ?? 0, 'SIGKILL');
  await vi.waitFor(() => expect(world.hostPids()).toHaveLength(0));
  const precious = path.join(world.root, 'precious.txt');
  fs.writeFileSync(precious, 'keep me\n');
  const recordFile = path.join(world.stateDir, 'sessions', sid, 'session.json');
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(recordFile, JSON.stringify({ ...record, socketPath: precious }), {
    mode: 0o600,
  });

  const next = await world.startGateway();
  await next.client.call('session.list', {});
  expect(fs.readFileSync(precious, 'utf8')).toBe('keep me\n');
  await world.dispose();
});
