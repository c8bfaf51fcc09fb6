import type { EventPayload } from '@lifeline/protocol';
import { linuxProc } from './proc-reader.js';
import { shellTerminal } from './shell-terminal.js';
import { terminalReadsUnseen } from './terminal-echo.js';

/**
 * Decides how typed input is kept in the log: masked when the caller says it is secret, or when
 * the terminal reads it without echo (a password). The terminal is asked (through `stty`) once for
 * the keys typed between two outputs: a program that turns echo off shows its prompt first.
 */
export class InputMasking {
  readonly #readsUnseen: (shellPid: number) => boolean;
  #mode: 'seen' | 'unseen' | undefined;

  /** @param readsUnseen whether the terminal of `shellPid` reads without echo now */
  constructor(readsUnseen: (shellPid: number) => boolean = terminalOfReadsUnseen) {
    this.#readsUnseen = readsUnseen;
  }

  /**
   * The `input` event for `data` typed into the terminal of `shellPid`. `shellEditsLine`: the
   * shell's own line editor reads the keys (at its prompt, the terminal in its process group), and
   * shows what it reads: the terminal is not asked (asking costs a process, about 10 ms, per key).
   */
  payload(data: string, shellPid: number, secret: boolean, shellEditsLine = false): EventPayload {
    const masked = secret || (!shellEditsLine && this.#terminalReadsUnseen(shellPid));
    // A line typed may make the program read the next one differently (a password after a name).
    if (/[\r\n]/.test(data)) this.#mode = undefined;
    return masked
      ? { type: 'input', data: maskedText(data), masked: true }
      : { type: 'input', data };
  }

  /** The terminal printed something: its mode is asked again for the next keys. */
  outputSeen(): void {
    this.#mode = undefined;
  }

  #terminalReadsUnseen(shellPid: number): boolean {
    this.#mode ??= this.#readsUnseen(shellPid) ? 'unseen' : 'seen';
    return this.#mode === 'unseen';
  }
}

function terminalOfReadsUnseen(shellPid: number): boolean {
  const terminal = shellTerminal(shellPid, linuxProc);
  return terminal !== undefined && terminalReadsUnseen(terminal) === true;
}

/** `data` with each run of characters between control characters written as `***`: not even their number is kept. */
export function maskedText(data: string): string {
  return data.replace(/[^\x00-\x1f\x7f]+/gu, '***');
}
