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
