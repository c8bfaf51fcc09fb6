import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { diskFullCodes, errnoCode } from '../errno.js';

/** Errno codes of a process (or system) that has no file descriptor left to open. */
const NO_DESCRIPTOR_LEFT: readonly string[] = ['EMFILE', 'ENFILE'];

/**
 * Runs `action`; a failure for lack of file descriptors, or of room on the disk, becomes
 * `OutOfResources` saying what was not done and what to do, and every other failure goes through
 * as it is.
 */
export async function failingForLackOfResources<T>(
  what: string,
  action: () => T | Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const errno = errnoCode(error);
    if (errno !== undefined && NO_DESCRIPTOR_LEFT.includes(errno))
      throw new RpcError(
        LifelineErrorCode.OutOfResources,
        `${what} failed: the gateway has no file descriptor left (${errno}); nothing was changed. Try again once fewer connections are open, or raise its limit (ulimit -n)`,
        { data: { errno }, cause: error },
      );
    if (errno !== undefined && diskFullCodes.includes(errno))
      throw new RpcError(
        LifelineErrorCode.OutOfResources,
        `${what} failed: the disk Lifeline keeps its sessions on is full (${errno}); nothing was changed. Free some space there (\`lifeline sessions prune --older-than 7d\` deletes the logs of sessions ended a week ago) and try again`,
        { data: { errno }, cause: error },
      );
    throw error;
  }
}
