import { spawnSync } from 'node:child_process';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { argvCommandLine, quoteWord } from './shell-words.js';

/** The shells Lifeline starts, run without their startup files so only the quoting is tested. */
const shells = [
  { path: '/usr/bin/bash', args: ['--norc', '--noprofile', '-c'] },
  { path: '/usr/bin/zsh', args: ['-f', '-c'] },
  { path: '/usr/bin/fish', args: ['--no-config', '-c'] },
  { path: '/usr/bin/dash', args: ['-c'] },
] as const;

/** Characters shells read specially, mixed with plain, control and non-ASCII ones. */
const hostileCharacter = fc.oneof(
  fc.constantFrom(
    ...' \t\n\r\'"`$;&|<>()[]{}*?~!#%^=\\,@+:.-/'.split(''),
    '\x01',
    '\x03',
    '\x04',
    '\x1b',
    '\x7f',
    'é',
    'ß',
    '日本',
    '🙂',
    '$(id)',
    '${HOME}',
    '*.ts',
    '\\x41',
    "'\\''",
  ),
  fc.string({ unit: 'grapheme', maxLength: 2 }),
  fc.string({ unit: 'binary-ascii', maxLength: 2 }),
);
const word = fc
  .array(hostileCharacter, { maxLength: 12 })
  .map((parts) => parts.join('').replaceAll('\0', ''));
/** Several argument vectors, run in one shell process: one line each. */
const argvBatch = fc.array(fc.array(word, { maxLength: 6 }), { minLength: 1, maxLength: 40 });

/**
 * Runs each vector through `printf '%s\0'` in the shell (its count first), as one command line
 * per vector, and reads back the words each printf received.
 */
function echoedThrough(shell: (typeof shells)[number], batch: readonly string[][]): string[][] {
  const script = batch
    .map((argv) => argvCommandLine(['printf', '%s\\0', String(argv.length), ...argv], shell.path))
    .join('\n');
  const result = spawnSync(shell.path, [...shell.args, script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', HOME: '/nonexistent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0)
    throw new Error(`${shell.path} failed (${result.status}): ${result.stderr}`);
  const fields = result.stdout.split('\0');
  const echoed: string[][] = [];
  let at = 0;
  while (at < fields.length - 1) {
    const count = Number(fields[at]);
    echoed.push(fields.slice(at + 1, at + 1 + count));
    at += 1 + count;
  }
  return echoed;
}

describe.each(shells)('argvCommandLine in $path', (shell) => {
  test('each word reaches the program exactly as given', () => {
    fc.assert(
      fc.property(argvBatch, (batch) => {
        expect(echoedThrough(shell, batch)).toEqual(batch);
      }),
      fuzzParameters(`shell words: ${shell.path}`, { numRuns: 25 }),
    );
  });

  test('words with no special characters stay bare, the rest are quoted', () => {
    const line = argvCommandLine(['sh', '-c', 'echo hi; exit 3'], shell.path);
    expect(line.startsWith('sh -c ')).toBe(true);
    expect(echoedThrough(shell, [['a b', '$HOME', '*', 'x;y', '']])).toEqual([
      ['a b', '$HOME', '*', 'x;y', ''],
    ]);
  });
});

test('a control character is never typed as itself, so no key acts on the terminal', () => {
  for (const kind of ['bash', 'zsh', 'fish', 'dash'] as const)
    expect(quoteWord('a\x03b\x04c\x1bd\te\x7f', kind)).not.toMatch(/[\x00-\x1f\x7f]/);
});

test('an empty vector and a word holding NUL are refused, naming the word', () => {
  expect(() => argvCommandLine([], '/bin/bash')).toThrow(/at least the program/);
  expect(() => argvCommandLine(['echo', 'a\0b'], '/bin/bash')).toThrow(/word 2 holds a NUL/);
});
