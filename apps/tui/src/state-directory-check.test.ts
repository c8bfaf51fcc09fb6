// A state directory that cannot be one is refused up front by every command, in words naming the
// variable it comes from: the built CLI as real processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

const commands = [['exec', '--', 'true'], ['sessions'], ['logs'], ['mcp'], ['replay', 'api'], []];

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
});
