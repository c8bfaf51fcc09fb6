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
