import { isTransportError } from '@lifeline/transport';

/**
 * Exit codes of a gateway that could not start listening, the same as the `lifeline` CLI's:
 * 4 when the address cannot be listened on, 5 when there is no usable token.
 */
export const listenExitCodes = { unreachable: 4, auth: 5 } as const;

/** Why a listening gateway could not start: one line for the user, and its exit code. */
export interface ListenFailure {
  /** What was wrong, with what, and what to do; one line, without a prefix. */
  message: string;
  /** {@link listenExitCodes}. */
  exitCode: number;
}

/** Where the gateway was asked to listen, and with which token file. */
export interface ListenTarget {
  host: string;
  port: number;
  tokenFile: string;
}

/** Token problems the transport names, each with a message that already says what to do. */
const tokenProblems: ReadonlySet<string> = new Set([
  'INSECURE_TOKEN_FILE',
  'WEAK_TOKEN',
  'TOKEN_FILE_UNREADABLE',
]);

/**
 * Describes an error of preparing the token file (`stage: 'token'`) or of listening
 * (`stage: 'listen'`), or returns undefined for an error that is neither (a bug, to report as one).
 */
export function describeListenFailure(
  error: unknown,
  stage: 'token' | 'listen',
  target: ListenTarget,
): ListenFailure | undefined {
  if (isTransportError(error)) {
    if (tokenProblems.has(error.code))
      return { message: error.message, exitCode: listenExitCodes.auth };
    if (error.code === 'ADDRESS_IN_USE') {
      return {
        message: `${error.message} Stop whatever holds it, or choose another port.`,
        exitCode: listenExitCodes.unreachable,
      };
    }
    return undefined;
  }
  const code = errnoCode(error);
  if (code === undefined) return undefined;
  if (stage === 'token') {
    return {
      message: `Cannot create the token file ${target.tokenFile} (${code}); choose another --token-file.`,
      exitCode: listenExitCodes.auth,
    };
  }
  const address = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  return {
    message: `Cannot listen on ${address} (${code}); choose another address or port.`,
    exitCode: listenExitCodes.unreachable,
  };
}

/** The errno code of a system error (`EACCES`); undefined for any other error. */
function errnoCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}
