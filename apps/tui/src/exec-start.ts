// Starts `lifeline exec`, from the `lifeline` launcher (bin/lifeline.cjs) or from `dist/cli.js`.
// Built as CommonJS of its own (`dist/exec-start.cjs`, see tsup.config.ts) and required, not
// imported: Node makes an ES module of a built-in by reading every export, and those of `fs` and
// `crypto` load fs's streams and all of WebCrypto, which exec never uses, at every start.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveStateDirectory } from '@lifeline/crash-log';
import { loadBundle } from './bundle-loader.js';
import { enableCompileCache } from './compile-cache.js';
import { exitUnlessStateDirectoryUsable } from './state-directory-check.js';
import type * as ExecMain from './exec-main.js';

/**
 * Runs `lifeline exec …` from its own bundle (`dist/exec.cjs`), its compiled code kept in the state
 * directory where Node keeps none, then exits.
 */
export function startExec(): Promise<never> {
  enableCompileCache();
  exitUnlessStateDirectoryUsable(process.argv.slice(2));
  const { runExecCli } = loadBundle(
    fileURLToPath(new URL('exec.cjs', import.meta.url)),
    path.join(resolveStateDirectory(process.env), 'cache'),
  ) as typeof ExecMain;
  return runExecCli();
}
