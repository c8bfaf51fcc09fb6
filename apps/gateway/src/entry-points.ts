import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The built CLI of this package. Resolved from the package's manifest, so it is the same file
 * whether this module runs from `src/` (tests), from this package's `dist/`, or bundled into the
 * `lifeline` CLI (`@lifeline/gateway/in-process`).
 */
export function gatewayCliPath(): string {
  return builtFile('cli.js');
}

/**
 * The built entry point of a session host (`node dist/host/host.cjs <sid>`), resolved as
 * {@link gatewayCliPath} is: a file of its own, holding only the host's code.
 */
export function hostEntryPath(): string {
  return builtFile('host', 'host.cjs');
}

function builtFile(...names: string[]): string {
  const manifest = createRequire(import.meta.url).resolve('@lifeline/gateway/package.json');
  return path.join(path.dirname(manifest), 'dist', ...names);
}

/** How to start a gateway speaking NDJSON JSON-RPC on stdio: `{ command, args }` for `spawn`. */
export function gatewayCommand(extraArgs: readonly string[] = []): {
  command: string;
  args: string[];
} {
  return { command: process.execPath, args: [gatewayCliPath(), ...extraArgs] };
}
