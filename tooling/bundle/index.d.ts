import type { Options } from 'tsup';

/** An esbuild plugin, as `tsup`'s `esbuildPlugins` takes it. */
export type BundlePlugin = NonNullable<Options['esbuildPlugins']>[number];

/** Keeps only zod's English locale (`z.locales.en`) in a bundle. */
export function zodEnglishOnly(): BundlePlugin;

/** Makes yoga-layout decode its embedded WebAssembly directly instead of through `fetch()`. */
export function yogaWithoutFetch(): BundlePlugin;
