/**
 * The errno code of a system error (`ENOSPC`, `EACCES`, …); undefined for any other value, so that
 * callers handle the failures they expect by name and let everything else through.
 */
export function errnoCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` is a system error with one of `codes`. */
export function hasErrno(error: unknown, ...codes: readonly string[]): boolean {
  const code = errnoCode(error);
  return code !== undefined && codes.includes(code);
}

/** The errno codes of a disk that has no room left for a write (space, or the user's quota). */
export const diskFullCodes: readonly string[] = ['ENOSPC', 'EDQUOT'];

/**
 * The errno codes of a file that may not be written for a while without anything being wrong
 * with the session: a full disk, or a directory made read-only under it (`chmod`, `chattr +i`, a
 * file system remounted read-only).
 */
const unwritableCodes: readonly string[] = [...diskFullCodes, 'EACCES', 'EPERM', 'EROFS'];

/**
 * Runs `write`, unless what it writes cannot be written now (a full disk, a directory made
 * read-only): then `notWritten` is told why, and nothing is returned. Any other failure is thrown.
 */
export function unlessUnwritable<T>(
  write: () => T,
  notWritten: (reason: string) => void,
): T | undefined {
  try {
    return write();
  } catch (error) {
    if (!hasErrno(error, ...unwritableCodes)) throw error;
    notWritten((error as Error).message);
    return undefined;
  }
}
