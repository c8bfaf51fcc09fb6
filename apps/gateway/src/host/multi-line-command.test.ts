import { expect, test } from 'vitest';
import { scriptText, sourcingLine } from './multi-line-command.js';

test('a single-line command is typed as it is', () => {
  expect(sourcingLine('ls -la', '/s/run.sh', 'bash')).toBeUndefined();
});

test('a multi-line command is sourced from its script, quoted for the shell', () => {
  expect(sourcingLine('cd /tmp\nls', "/state/it's/run.sh", 'bash')).toBe(
    `. '/state/it'\\''s/run.sh'`,
  );
  expect(sourcingLine('echo a\r\necho b', '/s/run.sh', 'fish')).toBe(`source '/s/run.sh'`);
  expect(scriptText('echo a\r\necho b\recho c')).toBe('echo a\necho b\necho c\n');
});
