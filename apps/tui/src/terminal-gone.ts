/**
 * Error codes of a terminal that is gone: its window was closed or its line hung up (`EIO`), the
 * reading end went away (`EPIPE`), the device is no more (`ENXIO`), or the stream was already
 * given up after one of those (`ERR_STREAM_DESTROYED`).
 */
const terminalGoneCodes = new Set(['EIO', 'EPIPE', 'ENXIO', 'ERR_STREAM_DESTROYED']);

/** The error code when `error` says the terminal is gone, otherwise `undefined`. */
export function terminalGoneCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && terminalGoneCodes.has(code) ? code : undefined;
}
