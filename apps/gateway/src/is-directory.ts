import fs from 'node:fs';

/** Whether `candidate` is a directory now (false for a path that is gone or cannot be looked at). */
export function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
