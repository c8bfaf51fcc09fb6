// A state directory that cannot be one is refused up front by every command, in words naming the
// variable it comes from: the built CLI as real processes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { stateDirectoryProblem } from './state-directory-check.js';
import { CliWorld } from './test-utils/cli-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

const commands = [['exec', '--', 'true'], ['sessions'], ['logs'], ['mcp'], ['replay', 'api'], []];

/** The uid and gid of the user nobody. */
const nobody = 65534;

/**
 * Runs the built CLI with `args` and `env`: as the user nobody when this runs as root (who may
 * write anywhere), as this user otherwise.
 */
function runAsUser(args: string[], env: NodeJS.ProcessEnv) {
  const cli = path.resolve(import.meta.dirname, '../bin/lifeline.cjs');
  const [command = '', ...prefix] =
    process.getuid?.() === 0
      ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath]
      : [process.execPath];
  const result = spawnSync(command, [...prefix, cli, ...args], {
    env,
    encoding: 'utf8',
    input: '',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the state directory', () => {
  test('LIFELINE_HOME naming a file: every command exits 2 saying so, and starts nothing', async () => {
    world = new CliWorld();
    const file = path.join(world.root, 'not-a-directory');
    fs.writeFileSync(file, 'x');
    const results = await Promise.all(
      commands.map((args) => world.run(args, { env: { LIFELINE_HOME: file }, input: '' })),
    );
    for (const result of results)
      expect(result).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `lifeline: LIFELINE_HOME is ${file}, which is a file, not a directory: point it at a directory, or unset it\n`,
      });
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
    // Help and the version need no state directory.
    for (const args of [['--help'], ['exec', '--help'], ['--version']])
      expect(await world.run(args, { env: { LIFELINE_HOME: file } })).toMatchObject({ code: 0 });
  });

  test('a state directory that cannot be created under a file is refused, naming the file', async () => {
    world = new CliWorld();
    const file = path.join(world.root, 'not-a-directory');
    fs.writeFileSync(file, 'x');
    const below = path.join(file, 'state');
    expect(
      await world.run(['exec', '--', 'true'], { env: { LIFELINE_HOME: below } }),
    ).toMatchObject({
      code: 2,
      stderr: `lifeline: LIFELINE_HOME is ${below}, which cannot be created: ${file} is a file, not a directory: point it at a directory, or unset it\n`,
    });
    expect(
      await world.run(['sessions'], { env: { LIFELINE_HOME: '', XDG_STATE_HOME: file } }),
    ).toMatchObject({
      code: 2,
      stderr: `lifeline: the state directory is ${path.join(file, 'lifeline')} (XDG_STATE_HOME is ${file}), which cannot be created: ${file} is a file, not a directory: point XDG_STATE_HOME at a directory, or set LIFELINE_HOME to one\n`,
    });
  });

  test('a state directory others can write to, or a symbolic link to one, is refused up front by every command: exit 2, the fix named, nothing started', async () => {
    world = new CliWorld();
    const open = path.join(world.root, 'open-state');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const results = await Promise.all(
      commands.map((args) => world.run(args, { env: { LIFELINE_HOME: open }, input: '' })),
    );
    for (const result of results)
      expect(result).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `lifeline: LIFELINE_HOME is ${open}, which group or others can write to (mode 0777), so what is in it could have been put there by someone else: run chmod 700 ${open}\n`,
      });
    // No gateway was started to refuse it: it would have made its log and sessions there.
    expect(fs.readdirSync(open)).toEqual([]);

    const link = path.join(world.root, 'linked-state');
    fs.chmodSync(open, 0o700);
    fs.symlinkSync(open, link);
    expect(await world.run(['sessions'], { env: { LIFELINE_HOME: link } })).toMatchObject({
      code: 2,
      stderr: `lifeline: LIFELINE_HOME is ${link}, which is a symbolic link: Lifeline keeps its state only in a directory of yours; replace the link with one (mkdir -m 700 ${link}), or point it at a directory of yours, or unset it\n`,
    });
    // Made private, the directory is taken.
    expect(await world.run(['sessions'], { env: { LIFELINE_HOME: open } })).toMatchObject({
      code: 0,
    });
  });

  test("a directory of another user's is refused, naming its owner", () => {
    world = new CliWorld();
    const uid = fs.statSync(world.root).uid;
    expect(stateDirectoryProblem({ LIFELINE_HOME: world.root }, uid + 1)).toBe(
      `LIFELINE_HOME is ${world.root}, which belongs to uid ${uid}, not to you (uid ${uid + 1}): point it at a directory of yours, or unset it`,
    );
    expect(stateDirectoryProblem({ LIFELINE_HOME: world.root }, uid)).toBeUndefined();
  });

  test('a state directory the user cannot create (under / as a user other than root) is refused, naming where: exit 2, nothing started', () => {
    world = new CliWorld();
    const state = path.join('/', `lifeline-test-missing-${process.pid}`, 'state');
    for (const args of [['exec', '--', 'true'], ['sessions'], ['logs']]) {
      const result = runAsUser(args, { ...world.env(), LIFELINE_HOME: state });
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `lifeline: LIFELINE_HOME is ${state}, which cannot be created: you cannot write to /: point it at a directory you can write to, or unset it\n`,
      });
    }
    expect(fs.existsSync(path.dirname(state))).toBe(false);
  });

  test("a state directory of the user's that they cannot write to is refused, saying to point it at one they can: exit 2", () => {
    world = new CliWorld();
    // Under /tmp itself: the user nobody below may not pass through the test's own directories.
    const parent = fs.mkdtempSync(path.join('/tmp', 'lifeline-read-only-'));
    try {
      fs.chmodSync(parent, 0o755);
      const state = path.join(parent, 'state');
      fs.mkdirSync(state, { mode: 0o500 });
      // Owned by the user nobody, who runs the command when this runs as root.
      if (process.getuid?.() === 0) fs.chownSync(state, nobody, nobody);
      expect(runAsUser(['sessions'], { ...world.env(), LIFELINE_HOME: state })).toEqual({
        code: 2,
        stdout: '',
        stderr: `lifeline: LIFELINE_HOME is ${state}, which you cannot write to: point it at a directory you can write to, or unset it\n`,
      });
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  test('a relative LIFELINE_HOME is refused: it would name another directory in each directory', async () => {
    world = new CliWorld();
    expect(
      await world.run(['sessions'], { env: { LIFELINE_HOME: 'relative-home' } }),
    ).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `lifeline: LIFELINE_HOME is relative-home, a relative path, which would name another directory in each directory Lifeline is run in: make it absolute (LIFELINE_HOME=${path.join(world.work, 'relative-home')}, say)\n`,
    });
    expect(fs.existsSync(path.join(world.work, 'relative-home'))).toBe(false);
  });
});
