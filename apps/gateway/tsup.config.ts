import { zodEnglishOnly } from '@lifeline/bundle-config';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/in-process.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: ['src/index.ts', 'src/in-process.ts'] },
  // Not shipped: the maps of a bundle of all its dependencies would outweigh the bundle.
  sourcemap: false,
  clean: true,
  target: 'node20',
  // One file to load instead of hundreds of modules: gateways and hosts start, and restart after a
  // crash, in a fraction of the time. The PTY addon is native and stays a dependency.
  noExternal: [/^(?!@lydell\/node-pty)/],
  external: [/^@lydell\/node-pty/, 'bufferutil', 'utf-8-validate'],
  esbuildPlugins: [zodEnglishOnly()],
  banner: {
    js: "import { createRequire as __lifelineCreateRequire } from 'node:module'; const require = __lifelineCreateRequire(import.meta.url);",
  },
});
