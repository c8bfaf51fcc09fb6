import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { yogaWithoutFetch, zodEnglishOnly } from '@lifeline/bundle-config';
import { defineConfig } from 'tsup';

/** The gateway's router, compiled into this bundle from its source: one copy of the packages it shares with the CLI. */
const inProcessGateway = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@lifeline/gateway/package.json')),
  'src',
  'in-process.ts',
);

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  // Not shipped: the maps of a bundle of all its dependencies would outweigh the bundle.
  sourcemap: false,
  clean: true,
  target: 'node20',
  // One file to load instead of hundreds of modules: the TUI starts in a fraction of the time.
  // The gateway stays a package of its own (it is spawned by path).
  noExternal: [/^(?!@lifeline\/gateway$)/],
  external: ['@lifeline/gateway', 'bufferutil', 'utf-8-validate'],
  esbuildPlugins: [zodEnglishOnly(), yogaWithoutFetch()],
  banner: {
    js: "import { createRequire as __lifelineCreateRequire } from 'node:module'; const require = __lifelineCreateRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.define = { ...options.define, 'process.env.NODE_ENV': '"production"' };
    options.alias = {
      'react-devtools-core': fileURLToPath(new URL('build/empty-module.js', import.meta.url)),
      '@lifeline/gateway/in-process': inProcessGateway,
    };
  },
});
