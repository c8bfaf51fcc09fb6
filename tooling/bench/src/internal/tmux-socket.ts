import fs from 'node:fs';
import path from 'node:path';

/**
 * Removes the socket file of the tmux server started with `-L name`, once that server has ended:
 * tmux does not always remove it on its way out. It is kept in `$TMUX_TMPDIR`, else `/tmp`, in a
 * directory of the user's (whatever `TMPDIR` says).
 */
export function removeTmuxSocket(env: NodeJS.ProcessEnv, name: string): void {
  const directory = path.join(env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
  fs.rmSync(path.join(directory, name), { force: true });
}
