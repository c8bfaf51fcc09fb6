import module from 'node:module';

/**
 * Turns on V8's compile cache for the modules this process loads from now on, where Node has it
 * (22.1 and later; a no-op before, and when `NODE_DISABLE_COMPILE_CACHE` is set): the next start
 * reads the compiled code from disk instead of compiling the bundle again.
 */
export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
