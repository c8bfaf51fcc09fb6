// The declaration of the shell files imported as text, for every program that compiles this source.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration cannot be imported
/// <reference path="./shell/text-files.d.ts" />
import incompleteHandler from './shell/incomplete-handler.sh';
import postambleFunctions from './shell/postamble-functions.sh';
import postambleSettings from './shell/postamble-settings.sh';
import promptHookBash from './shell/prompt-hook.bash';
import promptHookFish from './shell/prompt-hook.fish';
import promptHookZsh from './shell/prompt-hook.zsh';
import readyFrame from './shell/ready-frame.sh';

/** What stands for the session token in the shell files; replaced when a session's files are made. */
const TOKEN_PLACEHOLDER = 'LIFELINE_SESSION_TOKEN';

/** `text` with the session token in place of its placeholder. */
function withToken(text: string, token: string): string {
  return text.replaceAll(TOKEN_PLACEHOLDER, token);
}

/** The functions each postamble line calls, one a line (`shell/postamble-functions.sh`). */
export const POSTAMBLE_FUNCTIONS_SH = postambleFunctions;

/** Postamble settings after the user's files: the prompt and the line editor (`shell/postamble-settings.sh`). */
export const POSTAMBLE_SETTINGS_SH = postambleSettings;

/** Turns on `noflsh` and prints the ready frame (`shell/ready-frame.sh`). */
export function readyFrameSh(token: string): string {
  return withToken(readyFrame, token);
}

/** Drops a command that needs more lines, through `PS2` (`shell/incomplete-handler.sh`). */
export function incompleteHandlerSh(token: string): string {
  return withToken(incompleteHandler, token);
}

/**
 * fish's prompt-hook integration (`shell/prompt-hook.fish`); `execDataDirectory` is the
 * `XDG_DATA_DIRS` entry, quoted for fish, that an `exec fish` puts first.
 */
export function fishPromptHook(token: string, execDataDirectory: string): string {
  return withToken(promptHookFish, token).replaceAll(
    'LIFELINE_EXEC_DATA_DIR',
    () => execDataDirectory,
  );
}

/** zsh's prompt-hook hooks, sourced after the user's .zshrc (`shell/prompt-hook.zsh`). */
export function zshPromptHook(token: string): string {
  return withToken(promptHookZsh, token);
}

/**
 * bash's prompt-hook hooks, run after the user's files (`shell/prompt-hook.bash`);
 * `afterExecFile` is the path, quoted for bash, of the file an `exec bash` has the new bash source,
 * and `execRcfile` the path, quoted for bash, of the rcfile a plain `exec bash` is given.
 */
export function bashPromptHook(token: string, afterExecFile: string, execRcfile: string): string {
  return withToken(promptHookBash, token)
    .replaceAll('LIFELINE_AFTER_EXEC_FILE', () => afterExecFile)
    .replaceAll('LIFELINE_EXEC_RCFILE', () => execRcfile);
}
