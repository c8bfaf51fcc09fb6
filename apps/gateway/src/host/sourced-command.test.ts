import { expect, test } from 'vitest';
import {
  LONGEST_TYPED_COMMAND_BYTES,
  runsFromScript,
  scriptText,
  sourcingLine,
} from './sourced-command.js';

test('a short single-line command is typed as it is', () => {
  expect(runsFromScript('ls -la')).toBe(false);
  expect(runsFromScript('x'.repeat(LONGEST_TYPED_COMMAND_BYTES))).toBe(false);
});

test('a multi-line command, or one longer than the limit in UTF-8 bytes, runs from a script', () => {
  expect(runsFromScript('cd /tmp\nls')).toBe(true);
  expect(runsFromScript('echo a\recho b')).toBe(true);
  expect(runsFromScript('x'.repeat(LONGEST_TYPED_COMMAND_BYTES + 1))).toBe(true);
  // 342 characters of three bytes each: 1026 bytes.
  expect(runsFromScript('中'.repeat(342))).toBe(true);
  expect(runsFromScript('中'.repeat(341))).toBe(false);
});

test('the script is sourced, its path quoted for the shell', () => {
  expect(sourcingLine("/state/it's/run.sh", 'bash')).toBe(`. '/state/it'\\''s/run.sh'`);
  expect(sourcingLine('/s/run.sh', 'fish')).toBe(`source '/s/run.sh'`);
  expect(scriptText('echo a\r\necho b\recho c')).toBe('echo a\necho b\necho c\n');
  expect(scriptText('echo a')).toBe('echo a\n');
});
