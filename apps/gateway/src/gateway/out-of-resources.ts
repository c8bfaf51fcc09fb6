import { LifelineErrorCode } from '@lifeline/protocol';
import { RpcError } from '@lifeline/rpc';
import { errnoCode } from '../errno.js';

/** Errno codes of a process (or system) that has no file descriptor left to open. */
const NO_DESCRIPTOR_LEFT: readonly string[] = ['EMFILE', 'ENFILE'];

/**
 * Runs `action`; a failure for lack of file descriptors becomes `OutOfResources` saying what was
 * not done, and every other failure goes through as it is.
 */
export async function failingForLackOfDescriptors<T>(
  what: string,
  action: () => T | Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const errno = errnoCode(error);
    if (errno === undefined || !NO_DESCRIPTOR_LEFT.includes(errno)) throw error;
    throw new RpcError(
      LifelineErrorCode.OutOfResources,
      `${what} failed: the gateway has no file descriptor left (${errno}); nothing was changed. Try again once fewer connections are open, or raise its limit (ulimit -n)`,
      { data: { errno }, cause: error },
    );
  }
}
