// The README's example, run as a user copies it: from the built package, with a real PTY and bash.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '..');
let scratch: string | undefined;

afterEach(() => {
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** The first `ts` code block under the README's `## Example` heading. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Example\n'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('README.md has no ts block under ## Example');
  return code;
}

test('the README example runs `ls /` to completion, and the shell shows none of the keys that type it', () => {
  // Inside the package, so that its own name and its PTY dependency resolve as for a user.
  scratch = fs.mkdtempSync(path.join(packageDir, '.readme-example-'));
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home);
  // A prompt hook of the user's own that takes a moment after Lifeline's, as pyenv's does: the
  // prompt frame is out well before the line editor reads keys.
  fs.writeFileSync(path.join(home, '.bashrc'), "PROMPT_COMMAND='sleep 0.3'\n");
  const script = path.join(scratch, 'example.mjs');
  fs.writeFileSync(
    script,
    `${readmeExample()}\nconsole.log(JSON.stringify(log.filter((event) => event.type === 'output').map((event) => event.data).join('')));\n`,
  );
  const stdout = execFileSync(process.execPath, [script], {
    cwd: scratch,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
    timeout: 60_000,
  });
  expect(stdout).toMatch(/\{\s*kind: 'completed',\s*exitCode: 0,\s*cwd: '[^']+',/);
  const shown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '""') as string;
  expect(shown).toMatch(/\busr\b/);
  // The keys that start and end the typed line are the shell's, never echoed.
  expect(shown).not.toMatch(/\x1b\[9;\d+~|\^\[\[9;/);
});

test('the README example type-checks as TypeScript (strict, Node module resolution), as the README says it may be saved', () => {
  scratch = fs.mkdtempSync(path.join(packageDir, '.readme-example-'));
  const script = path.join(scratch, 'example.mts');
  fs.writeFileSync(script, readmeExample());
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  let reported = '';
  try {
    execFileSync(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', script],
      { cwd: scratch, encoding: 'utf8', timeout: 60_000 },
    );
  } catch (error) {
    reported = (error as { stdout?: string }).stdout ?? String(error);
  }
  expect(reported).toBe('');
});
