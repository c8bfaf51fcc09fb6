import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built CLI of this package. Resolved from the package root, so it is the same file whether
 * this module runs from `src/` (tests) or from a bundle in `dist/`.
 */
export function gatewayCliPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', 'dist', 'cli.js');
}

/** How to start a gateway speaking NDJSON JSON-RPC on stdio: `{ command, args }` for `spawn`. */
export function gatewayCommand(extraArgs: readonly string[] = []): {
  command: string;
  args: string[];
} {
  return { command: process.execPath, args: [gatewayCliPath(), ...extraArgs] };
}
