import fs from 'node:fs';
import { descendantPids } from '../process-tree.js';
import { PtyScreen } from './pty-screen.js';

/** The header row: `lifeline · <session> · <cwd> · <connection state>`. */
const headerRow = /^lifeline( · |$)/;

/** The footer of a finished run: `✓ 0 · 1.2s`, `✗ 130 SIGINT · 4.0s`. */
export const runFooter = /^[✓✗] \d+(?: SIG[A-Z0-9]+)? · /;

/** Whether the header says the gateway is up and the session attached (`● ready`). */
export function showsReady(screen: readonly string[]): boolean {
  return screen.some((row) => headerRow.test(row) && row.endsWith('● ready'));
}

/** Whether the header is on screen with any other connection state (starting, recovering, …). */
export function showsNotReady(screen: readonly string[]): boolean {
  return screen.some((row) => headerRow.test(row) && !row.endsWith('● ready'));
}

/** Whether the input line (`› `) is on screen, ready for typing. */
export function showsInputLine(screen: readonly string[]): boolean {
  return screen.some((row) => row.startsWith('› '));
}

/** A `lifeline` TUI in a PTY, and its place in the process tree. */
export class TuiScreen extends PtyScreen {
  /** Pid of the gateway the TUI runs now (its child running the gateway entry point). */
  gatewayPid(): number | undefined {
    return descendantPids(this.pid).find((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('gateway');
      } catch {
        return false;
      }
    });
  }
}
