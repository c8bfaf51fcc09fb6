import { sharedBuiltinNamespaces, zodEnglishOnly } from '@lifeline/bundle-config';
import { defineConfig, type Options } from 'tsup';

const bundle: Options = {
  format: ['esm'],
  // Not shipped: the maps of a bundle of all its dependencies would outweigh the bundle.
  sourcemap: false,
  target: 'node20',
  // One file to load instead of hundreds of modules: gateways and hosts start, and restart after a
  // crash, in a fraction of the time. The PTY addon is native and stays a dependency.
  noExternal: [/^(?!@lydell\/node-pty)/],
  external: [/^@lydell\/node-pty/, 'bufferutil', 'utf-8-validate'],
  esbuildPlugins: [zodEnglishOnly()],
  banner: {
    js: "import { createRequire as __lifelineCreateRequire } from 'node:module'; const require = __lifelineCreateRequire(import.meta.url);",
  },
};

export default defineConfig([
  {
    ...bundle,
    entry: ['src/index.ts', 'src/in-process.ts', 'src/cli.ts'],
    dts: { entry: ['src/index.ts', 'src/in-process.ts'] },
    // The other build's files stay.
    clean: ['!host/**'],
  },
  {
    // A session host as a build of its own (`dist/host/host.cjs`): in chunks shared with the gateway
    // it would load what only the gateway needs (the WebSocket server, Node's HTTP modules), in one
    // process per session. Measured: 120 ms of CPU to a new session's first run instead of 150,
    // that run done 139 ms after `session.create` instead of 176, and 12 fewer Node modules
    // resident for as long as the session lives.
    ...bundle,
    entry: { host: 'src/host.ts', 'host-main': 'src/host/host-main.ts' },
    outDir: 'dist/host',
    // CommonJS, its code (`host-main.cjs`) required by the entry once the compile cache is on: as
    // ES modules, a host also kept Node's ES module loader and the ES module views of fs and crypto
    // (fs's streams, all of WebCrypto). Measured: an idle host held 0.4–0.6 MB less, fresh or after
    // 340 runs.
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    shims: true,
    banner: {},
    plugins: [sharedBuiltinNamespaces()],
    splitting: false,
    // A host holds its source for as long as its session lives: without whitespace and comments it
    // is 290 KB instead of 409, and one byte a character (a single `…` in a comment made V8 keep
    // the whole text at two). Measured: an idle host after 340 runs held about 1 MB less. Names
    // stay as written, so stack traces still read.
    minifyWhitespace: true,
    clean: true,
  },
]);
