import fs from 'node:fs';
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

/**
 * Describes an error of preparing the token file (`stage: 'token'`) or of listening
 * (`stage: 'listen'`), or returns undefined for an error that is neither (a bug, to report as one).
 */
export function describeListenFailure(error: unknown, stage: 'token' | 'listen', target: ListenTarget): ListenFailure | undefined {
  const { tokenFile } = target;
  const address = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const auth = (message: string): ListenFailure => ({ message, exitCode: listenExitCodes.auth });
  if (isTransportError(error)) {
    switch (error.code) {
      case 'INSECURE_TOKEN_FILE':
        return auth(insecureTokenFileMessage(tokenFile));
      case 'WEAK_TOKEN':
        return auth(
          `the token in ${tokenFile} is too weak (it needs 48 hex or 32 base64url characters); delete the file and the gateway creates a new one, or choose another --token-file`,
        );
      case 'TOKEN_FILE_UNREADABLE':
        return auth(`cannot read the token file ${tokenFile} (${causeOf(error.cause) ?? 'not a regular file'}); fix it or choose another --token-file`);
      case 'ADDRESS_IN_USE':
        return {
          message: `cannot listen on ${address}: the address is in use (another gateway, or another program); stop it or choose another port`,
          exitCode: listenExitCodes.unreachable,
        };
      default:
        return undefined;
    }
  }
  const cause = causeOf(error);
  if (cause === undefined) return undefined;
  if (stage === 'token') return auth(`cannot create the token file ${tokenFile} (${cause}); choose another --token-file`);
  return { message: `cannot listen on ${address} (${cause}); choose another address or port`, exitCode: listenExitCodes.unreachable };
}

function insecureTokenFileMessage(tokenFile: string): string {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(tokenFile);
  } catch {
    // Gone meanwhile: the generic advice below still holds.
  }
  const uid = process.getuid?.();
  if (stat && uid !== undefined && stat.uid !== uid) {
    return `the token file ${tokenFile} belongs to another user (uid ${stat.uid}); use a token file of your own with --token-file`;
  }
  const mode = stat ? ` has mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, so others may have read its token` : ' is not private';
  return `the token file ${tokenFile}${mode}; make it private (chmod 600), or delete it and the gateway creates a new token`;
}

/** The errno code of a system error (`EACCES`); undefined for any other error. */
function causeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}
