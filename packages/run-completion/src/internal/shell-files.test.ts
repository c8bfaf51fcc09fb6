import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const directory = path.join(import.meta.dirname, 'shell');
const files = fs.readdirSync(directory).filter((name) => name.endsWith('.sh'));

describe('the shell integration files', () => {
  test.each(files)('%s passes shellcheck', (name) => {
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

  test('each is read by dash without a syntax error', () => {
    for (const name of files) {
      const result = spawnSync('dash', ['-n', path.join(directory, name)], { encoding: 'utf8' });
      expect(result.stderr, name).toBe('');
      expect(result.status, name).toBe(0);
    }
  });
});
