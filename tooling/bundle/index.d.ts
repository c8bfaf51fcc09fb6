import type { Options } from 'tsup';

/** An esbuild plugin, as `tsup`'s `esbuildPlugins` takes it. */
export type BundlePlugin = NonNullable<Options['esbuildPlugins']>[number];

/** A plugin of `tsup`'s own, as its `plugins` takes it: it sees each chunk as written. */
export type ChunkPlugin = NonNullable<Options['plugins']>[number];

/** Keeps only zod's English locale (`z.locales.en`) in a bundle. */
export function zodEnglishOnly(): BundlePlugin;

/** Makes yoga-layout decode its embedded WebAssembly directly instead of through `fetch()`. */
export function yogaWithoutFetch(): BundlePlugin;

/** Makes a CommonJS bundle build one view of each Node built-in its modules import by default. */
export function sharedBuiltinNamespaces(): ChunkPlugin;

/** Makes a CommonJS bundle load the named Node built-ins at their first use instead of at its start. */
export function lazyBuiltins(names: readonly string[]): ChunkPlugin;
