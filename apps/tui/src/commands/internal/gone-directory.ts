import fs from 'node:fs';

/**
 * Why a command is not run in a session that has ended and whose directory is gone: its new shell
 * would start in the home directory instead, where a command meant for that directory
 * (`rm -rf build`) must not run. `undefined` when the session is live (its shell stays where it
 * is) or its directory is there.
 * @param elsewhere how to run the command in a directory named instead (a flag, an argument)
 */
export function goneDirectoryRefusal(
  session: { sid: string; status: 'live' | 'ended'; cwd: string },
  elsewhere: string,
): string | undefined {
  if (session.status !== 'ended' || isDirectory(session.cwd)) return undefined;
  return `session ${session.sid} has ended, and its directory ${session.cwd} no longer exists: its new shell would start in your home directory instead, so the command was not run; ${elsewhere} runs it in a directory you name`;
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
