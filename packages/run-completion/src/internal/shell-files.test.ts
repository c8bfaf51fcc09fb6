import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FRAME_PREFIX, MAX_COMMAND_BYTES } from './frame-syntax.js';

const directory = path.join(import.meta.dirname, 'shell');
const files = fs.readdirSync(directory).filter((name) => /\.(sh|bash|zsh|fish)$/.test(name));
// shellcheck knows sh and bash; zsh and fish check their own syntax.
const linted = files.filter((name) => /\.(sh|bash)$/.test(name));
const syntaxCheck: Record<string, (file: string) => [string, string[]]> = {
  sh: (file) => ['dash', ['-n', file]],
  bash: (file) => ['bash', ['-n', file]],
  zsh: (file) => ['zsh', ['-n', file]],
  fish: (file) => ['fish', ['--no-execute', file]],
};

describe('the shell integration files', () => {
  test.each(linted)('%s passes shellcheck', (name) => {
    const result = spawnSync('shellcheck', ['--format=gcc', path.join(directory, name)], {
      encoding: 'utf8',
    });
    if (result.error !== undefined) {
      throw new Error(
        `shellcheck could not run (${result.error.message}): install it (apt-get install shellcheck)`,
      );
    }
    expect(result.stdout, result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  test('each is read by its shell without a syntax error, and prints the frames the scanner knows', () => {
    for (const name of files) {
      const [program, args] = syntaxCheck[path.extname(name).slice(1)]!(path.join(directory, name));
      const result = spawnSync(program, args, { encoding: 'utf8' });
      expect(result.stderr, name).toBe('');
      expect(result.status, name).toBe(0);
      // Every frame starts with the prefix the scanner looks for: ESC, as \e or \033, then _ (or \137).
      const text = fs.readFileSync(path.join(directory, name), 'utf8');
      for (const frame of text.match(/\S*lifeline;/g) ?? []) {
        expect(frame, name).toMatch(/(\\e|\\033)(_|\\137)lifeline;$/);
      }
      expect(FRAME_PREFIX).toBe('\x1b_lifeline;');
    }
  });

  test('each prompt hook cuts a command line at the length the scanner takes whole', () => {
    for (const name of files.filter((file) => file.startsWith('prompt-hook'))) {
      const text = fs.readFileSync(path.join(directory, name), 'utf8');
      const limits = new Set(text.match(/\b2\d{5}\b/g));
      expect([...limits], name).toEqual([String(MAX_COMMAND_BYTES)]);
      // bash and zsh count characters first, each at most 4 bytes; fish's encoding is ASCII.
      if (!name.endsWith('.fish')) expect(text, name).toContain(String(MAX_COMMAND_BYTES / 4));
    }
  });
});
