// Every command explains itself, and the exit codes are documented where users look.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';
import { exitCodes } from '../tui-main.js';
import { cliExitCodes } from './internal/cli-error.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

const commands = [
  'exec',
  'sessions',
  'sessions interrupt',
  'sessions kill',
  'sessions prune',
  'logs',
  'replay',
  'gateway',
  'attach',
  'mcp',
];

describe('lifeline --help', () => {
  test('every command has --help; the root help lists the commands and the exit codes', async () => {
    world = new CliWorld();
    const [root, ...each] = await Promise.all([
      world.run(['--help']),
      ...commands.map((command) => world.run([...command.split(' '), '--help'])),
    ]);
    expect(root).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['exec', 'sessions', 'logs', 'replay', 'gateway', 'attach', 'mcp'])
      expect(root.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(root.stdout).toMatch(
      /Exit codes:\n {2}0 +done +3 +no such session.*\n {2}1 +unexpected failure +4 +the gateway could not be started or reached\n {2}2 +bad flags or arguments +5 +the gateway refused the token/,
    );
    each.forEach((result, index) => {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: lifeline ${commands[index] ?? ''} `));
    });
  });

  test('`lifeline help <command>` prints the help of that command', async () => {
    world = new CliWorld();
    const [help, helpExec] = await Promise.all([world.run(['help']), world.run(['help', 'exec'])]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: lifeline /);
    expect(help.stdout).toMatch(/^ {2}help \[command\] /m);
    expect(helpExec).toMatchObject({ code: 0, stderr: '' });
    expect(helpExec.stdout).toMatch(/^Usage: lifeline exec /);
  });

  test('a command that does not exist is refused, --help or not, with the one meant when it is near', async () => {
    world = new CliWorld();
    const cases = [
      [['list', '--help'], 'unknown command "list" (did you mean `lifeline sessions list`?)'],
      [['sesions'], 'unknown command "sesions" (did you mean `lifeline sessions`?)'],
      [['version'], 'unknown command "version" (did you mean `lifeline --version`?)'],
      [['--name', 'x', 'bogus', '--help'], 'unknown command "bogus"; `lifeline --help`'],
      [['help', 'bogus'], 'unknown command "bogus"; `lifeline --help`'],
      [['--', 'bogus'], 'unknown command "bogus"; `lifeline --help`'],
      [['sessions', '--json', 'bogus'], 'lifeline sessions has no command "bogus": its commands'],
      [
        ['sessions', 'lst', '--help'],
        'lifeline sessions has no command "lst" (did you mean `lifeline sessions list`?): its commands are list,',
      ],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => world.run([...args])));
    results.forEach((result, index) => {
      expect(result).toMatchObject({ code: cliExitCodes.usage, stdout: '' });
      expect(result.stderr).toContain(`lifeline: ${cases[index]?.[1] ?? ''}`);
    });
  });

  test('the CLI and the TUI agree on the exit codes, and the README documents them', () => {
    expect(cliExitCodes).toMatchObject(exitCodes);
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const [code, meaning] of [
      [2, 'usage'],
      [3, 'not found'],
      [4, 'unreachable'],
      [5, 'auth'],
      [124, 'timeout'],
      [125, 'waits for input'],
      [129, 'hung up'],
      [130, 'interrupted'],
      [143, 'terminated'],
    ] as const) {
      expect(readme).toMatch(new RegExp(`\\| ${code} +\\| ${meaning} `));
    }
  });
});
