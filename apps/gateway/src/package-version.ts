import fs from 'node:fs';

/**
 * This package's version, from its `package.json`: the directory above `src/` and `dist/` alike,
 * so the built bundle and the sources report the same.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(
    fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return manifest.version;
}
