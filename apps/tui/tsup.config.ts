import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  lazyBuiltins,
  sharedBuiltinNamespaces,
  yogaWithoutFetch,
  zodEnglishOnly,
} from '@lifeline/bundle-config';
import { defineConfig, type Options } from 'tsup';

/** The gateway's router, compiled into this bundle from its source: one copy of the packages it shares with the CLI. */
const gatewaySource = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@lifeline/gateway/package.json')),
  'src',
);
const inProcessGateway = path.join(gatewaySource, 'in-process.ts');

const bundle: Options = {
  format: ['esm'],
  // Not shipped: the maps of a bundle of all its dependencies would outweigh the bundle.
  sourcemap: false,
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
};

export default defineConfig([
  {
    ...bundle,
    entry: ['src/index.ts', 'src/cli.ts'],
    dts: { entry: 'src/index.ts' },
    // The other build's file stays.
    clean: ['!exec.cjs', '!exec-start.cjs'],
  },
  {
    // `lifeline exec` as one file of its own (`dist/exec.cjs`, loaded by `dist/exec-start.cjs`): in the
    // chunks shared with the other commands it would load what they need too (the parts of zod
    // behind `mcp`'s JSON schemas, say), a fifth more code to compile at every exec. CommonJS, so
    // that where Node has no compile cache of its own the CLI can keep V8's code for it
    // (src/bundle-loader.ts); the little it uses of the gateway package is inside too. Beside it,
    // `dist/exec-start.cjs`, which loads it (src/exec-start.ts).
    ...bundle,
    entry: { exec: 'src/exec-main.ts', 'exec-start': 'src/exec-start.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    shims: true,
    banner: {},
    noExternal: [/./],
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [sharedBuiltinNamespaces(), lazyBuiltins(['child_process'])],
    // Less source to read, hash and hold at every exec; names stay as written.
    minifyWhitespace: true,
    minifySyntax: true,
    esbuildOptions(options, context) {
      bundle.esbuildOptions?.(options, context);
      options.alias = {
        ...options.alias,
        '@lifeline/gateway': path.join(gatewaySource, 'index.ts'),
      };
    },
    splitting: false,
    dts: false,
    clean: false,
  },
]);
