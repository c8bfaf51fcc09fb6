import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';

const localesIndex = /(^|\/)locales\/index\.js$/;
const zodDirectory = `${path.sep}zod${path.sep}`;

/**
 * Keeps only zod's English locale in a bundle. zod re-exports every locale as `z.locales`, about
 * 370 KB of source that each process would parse at start-up; the apps never switch locale, and
 * English (`z.locales.en`) stays available.
 * @returns {import('./index.js').BundlePlugin}
 */
export function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onResolve({ filter: localesIndex }, (args) => {
        if (!args.importer.includes(zodDirectory)) return undefined;
        return {
          path: path.resolve(args.resolveDir, args.path),
          namespace: 'zod-english-only',
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
        contents: 'export { default as en } from "./en.js";\n',
        resolveDir: path.dirname(args.path),
        loader: 'js',
      }));
    },
  };
}

const yogaLoader = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const fetchCheck = /"function"\s*!=\s*typeof fetch/g;

/**
 * Makes yoga-layout (Ink's layout engine) decode its embedded WebAssembly directly. Its loader
 * reads the module, a `data:` URL, through `fetch()` whenever `fetch` exists, and in Node the first
 * `fetch()` loads the whole HTTP client: 50–70 ms of CPU at every start of the TUI for one base64
 * string. The loader's own fallback, used when there is no `fetch`, decodes the same bytes at once.
 * Fails the build if the loader no longer looks as expected.
 * @returns {import('./index.js').BundlePlugin}
 */
export function yogaWithoutFetch() {
  return {
    name: 'yoga-without-fetch',
    setup(build) {
      build.onLoad({ filter: yogaLoader }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        const checks = source.match(fetchCheck)?.length ?? 0;
        if (checks !== 2) {
          throw new Error(
            `${args.path}: expected 2 checks for fetch in yoga's wasm loader, found ${checks}; update yogaWithoutFetch`,
          );
        }
        return { contents: source.replace(fetchCheck, 'true'), loader: 'js' };
      });
    },
  };
}

const builtinInterop = /__toESM\(require\("([^"]+)"\),\s*1\)/g;
const strictDirective = /^"use strict";\n?/;

/**
 * `code` with `helper` put first, after its `"use strict"` directive if it has one.
 * @param {string} code
 * @param {string} helper
 */
function withHelper(code, helper) {
  const directive = strictDirective.exec(code)?.[0] ?? '';
  return `${directive}${helper}${code.slice(directive.length)}`;
}

/**
 * Builds the view of each Node built-in module that a CommonJS bundle's `import fs from 'node:fs'`
 * needs once per process instead of once per importing module. esbuild turns every default import
 * of a built-in into `__toESM(require("fs"), 1)`, which copies each of the module's properties into
 * a new object of getters: a bundle of many modules, each importing `fs` and `path`, spends 5–8 ms
 * of CPU at start-up on copies of the same objects. The copy depends on the module alone (it holds
 * getters to it), so one per built-in serves every importer alike. ESM chunks are left as they are.
 * @returns {import('./index.js').ChunkPlugin}
 */
export function sharedBuiltinNamespaces() {
  return {
    name: 'shared-builtin-namespaces',
    renderChunk(code) {
      let replaced = 0;
      const rewritten = code.replace(builtinInterop, (call, name) => {
        if (!isBuiltin(name)) return call;
        replaced += 1;
        return `__lifelineBuiltin(require(${JSON.stringify(name)}))`;
      });
      if (replaced === 0) return undefined;
      // A function declaration is hoisted: it may come before the helper it calls.
      const helper =
        'var __lifelineBuiltins = new Map();\n' +
        'function __lifelineBuiltin(mod) {\n' +
        '  let namespace = __lifelineBuiltins.get(mod);\n' +
        '  if (namespace === undefined) __lifelineBuiltins.set(mod, (namespace = __toESM(mod, 1)));\n' +
        '  return namespace;\n' +
        '}\n';
      return { code: withHelper(rewritten, helper) };
    },
  };
}

/**
 * Loads the named Node built-ins of a CommonJS bundle when one of their functions is first used
 * instead of when the bundle starts. `require("child_process")` costs `lifeline exec` 3–5 ms of CPU
 * at every start (commander, the transport and the gateway's host launcher each require it), for a
 * `spawn` only `exec --new` and a session whose host has to start again call. Each `require` of
 * them becomes an object that loads the module at its first property read and then reads through
 * to it. Only plain `require` calls change; a default import (`__toESM`) keeps the module as it is.
 * @param {readonly string[]} names built-in modules, as the bundle requires them (`child_process`)
 * @returns {import('./index.js').ChunkPlugin}
 */
export function lazyBuiltins(names) {
  const plainRequire = new RegExp(
    `(?<![\\w$]\\()require\\("(${names.map((name) => name.replace(/[^\w]/g, '\\$&')).join('|')})"\\)`,
    'g',
  );
  return {
    name: 'lazy-builtins',
    renderChunk(code) {
      let replaced = 0;
      const rewritten = code.replace(plainRequire, (_call, name) => {
        replaced += 1;
        return `__lifelineLazyBuiltin(${JSON.stringify(name)})`;
      });
      if (replaced === 0) return undefined;
      const helper =
        'function __lifelineLazyBuiltin(name) {\n' +
        '  let loaded;\n' +
        '  return new Proxy({}, { get: (_target, key) => (loaded ??= require(name))[key] });\n' +
        '}\n';
      return { code: withHelper(rewritten, helper) };
    },
  };
}
