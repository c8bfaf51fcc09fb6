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
    const lacking = errno === undefined ? undefined : whatIsLacking(errno);
    if (lacking === undefined) throw error;
    throw new RpcError(
      LifelineErrorCode.OutOfResources,
      `${what} failed: ${lacking.problem} (${errno}); nothing was changed. ${lacking.remedy}`,
      { data: { errno }, cause: error },
    );
  }
}

/** What an errno says is lacking, and what to do about it; undefined for any other failure. */
function whatIsLacking(errno: string): { problem: string; remedy: string } | undefined {
  if (NO_DESCRIPTOR_LEFT.includes(errno))
    return {
      problem: 'the gateway has no file descriptor left',
      remedy: 'Try again once fewer connections are open, or raise its limit (ulimit -n)',
    };
  if (diskFullCodes.includes(errno))
    return {
      problem: 'the disk Lifeline keeps its sessions on is full',
      remedy:
        'Free some space there (`lifeline sessions prune --older-than 7d` deletes the logs of sessions ended a week ago) and try again',
    };
  return undefined;
}
