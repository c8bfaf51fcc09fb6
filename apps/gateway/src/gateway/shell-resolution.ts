import fs from 'node:fs';
import path from 'node:path';

/**
 * The absolute path of a shell given as a path or a bare name (looked up in `PATH`).
 * @returns undefined when no executable file matches
 */
export function resolveShell(shell: string, searchPath: string | undefined): string | undefined {
  const candidates = shell.includes('/')
    ? [path.resolve(shell)]
    : (searchPath ?? '').split(':').filter(Boolean).map((dir) => path.join(dir, shell));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(candidate: string): boolean {
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}
