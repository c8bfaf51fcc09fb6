// What every session host holds for as long as its session lives: its own source.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { hostEntryPath } from '../entry-points.js';

test('the session host’s code is ASCII through and through, so V8 keeps it at one byte a character in every host', () => {
  // A single other character (a `…` in a regular expression, which the bundler cannot escape)
  // made V8 keep the whole 370 KB text at two bytes a character: 0.3 MB more in each idle host.
  const source = fs.readFileSync(
    path.join(path.dirname(hostEntryPath()), 'host-main.cjs'),
    'latin1',
  );
  const others = [...source.matchAll(/[^\x00-\x7f]+/g)].map(
    (found) => `…${source.slice(Math.max(0, found.index - 40), found.index + 10)}…`,
  );
  expect(others).toEqual([]);
});
