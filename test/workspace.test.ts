// Workspace consistency: what a newcomer reads (README layout) and what npm users get (manifest
// shape) must match the tree.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const groups = ['apps', 'packages', 'tooling'] as const;

interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
  engines?: { node?: string };
  os?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  repository?: { directory?: string };
  publishConfig?: { access?: string };
  bin?: Record<string, string>;
  license?: string;
}

const workspaces = groups.flatMap((group) =>
  fs
    .readdirSync(path.join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = `${group}/${entry.name}`;
      const manifest = JSON.parse(
        fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
      ) as Manifest;
      return { dir, manifest };
    }),
);
const published = workspaces.filter(({ manifest }) => manifest.private !== true);
/** The catalog of `pnpm-workspace.yaml`: what `catalog:` stands for in a manifest. */
const catalog = new Map<string, string>();
const catalogBlock = /^catalog:\n((?: {2}.+\n)+)/m.exec(
  fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8'),
)?.[1];
for (const [, name, range] of (catalogBlock ?? '').matchAll(/^ {2}'?([^':]+)'?: (.+)$/gm)) {
  if (name !== undefined && range !== undefined) catalog.set(name, range);
}

describe('README layout', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

  test('lists every workspace directory, under its group, and no directory that is not there', () => {
    const listed: string[] = [];
    let group = '';
    for (const line of layout.split('\n')) {
      const groupMatch = /^([a-z]+)\/\s*$/.exec(line);
      if (groupMatch?.[1]) group = groupMatch[1];
      const memberMatch = /^ {2}([a-z-]+)\//.exec(line);
      if (memberMatch?.[1]) listed.push(`${group}/${memberMatch[1]}`);
    }
    expect(listed.sort()).toEqual(workspaces.map(({ dir }) => dir).sort());
  });

  test('every top-level entry it names exists', () => {
    const topLevel = layout
      .split('\n')
      .map((line) => /^(\S+?)\/?\s/.exec(line)?.[1])
      .filter((entry): entry is string => entry !== undefined);
    for (const entry of topLevel) expect(fs.existsSync(path.join(root, entry)), entry).toBe(true);
  });
});

describe.each(workspaces)('$dir', ({ dir }) => {
  test('has a README', () => {
    expect(fs.existsSync(path.join(root, dir, 'README.md'))).toBe(true);
  });
});

describe.each(published)('published $manifest.name', ({ dir, manifest }) => {
  test('is ESM-only, side-effect free, MIT, public, for the Node versions where require(esm) works', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines?.node).toBe('^20.19.0 || >=22.12.0');
    expect(manifest.publishConfig?.access).toBe('public');
    expect(manifest.repository?.directory).toBe(dir);
  });

  test('exports resolve to src/ in the workspace and to dist/ with types first once published', () => {
    const main = manifest.exports?.['.'] as Record<string, string>;
    expect(Object.keys(main)).toEqual(['@lifeline/source', 'types', 'default']);
    expect(main['@lifeline/source']).toMatch(/^\.\/src\/.+\.tsx?$/);
    expect(main.types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
    expect(main.default).toMatch(/^\.\/dist\/.+\.js$/);
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'src']));
  });

  test('ships neither test utilities nor sourcemaps', () => {
    expect(manifest.files).toEqual(expect.arrayContaining(['!src/test-utils', '!dist/**/*.map']));
  });

  test('asks for third-party packages by caret ranges, and for workspace packages by workspace:^', () => {
    const wanted = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const [name, specifier] of Object.entries(wanted)) {
      const range = specifier === 'catalog:' ? catalog.get(name) : specifier;
      if (name.startsWith('@lifeline/')) expect(range, name).toBe('workspace:^');
      else if (name === '@types/node') expect(range, name).toBe('>=20');
      else expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  test('says it runs on Linux only when it reads /proc', () => {
    const readsProc = fs
      .readdirSync(path.join(root, dir, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /(?<!\.test)\.tsx?$/.test(file) && !/__fixtures__|test-utils/.test(file))
      .some((file) =>
        /[`'"]\/proc\//.test(fs.readFileSync(path.join(root, dir, 'src', file), 'utf8')),
      );
    const bundlesAProcReader = Object.keys(manifest.dependencies ?? {}).includes(
      '@lifeline/gateway',
    );
    expect(manifest.os, 'os').toEqual(readsProc || bundlesAProcReader ? ['linux'] : undefined);
  });

  test('every bin is a committed launcher that loads the build', () => {
    for (const target of Object.values(manifest.bin ?? {})) {
      const launcher = fs.readFileSync(path.join(root, dir, target), 'utf8');
      expect(launcher.startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(manifest.files).toContain(target.split('/')[1]);
    }
  });
});

test('every changeset names only published packages', () => {
  const names = new Set(published.map(({ manifest }) => manifest.name));
  const changesetDir = path.join(root, '.changeset');
  for (const file of fs.readdirSync(changesetDir).filter((name) => /^[^A-Z].*\.md$/.test(name))) {
    const frontMatter = /^---\n([\s\S]*?)\n---/.exec(
      fs.readFileSync(path.join(changesetDir, file), 'utf8'),
    );
    for (const line of (frontMatter?.[1] ?? '').split('\n').filter(Boolean)) {
      const name = /^['"]?([^'":]+)['"]?:/.exec(line)?.[1];
      expect(names.has(name ?? ''), `${file}: ${line}`).toBe(true);
    }
  }
});
