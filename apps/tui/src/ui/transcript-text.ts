import type { TranscriptBlock, TranscriptSnapshot } from '../session/transcript-fold.js';
import { formatFooter } from './format.js';

const bold = (text: string) => `\x1b[1m${text}\x1b[22m`;
const dim = (text: string) => `\x1b[2m${text}\x1b[22m`;
const color = (code: number, text: string) => `\x1b[${code}m${text}\x1b[39m`;
const green = 32;
const red = 31;
const yellow = 33;
const cyan = 36;

/** Something to print that is not part of the session: help, logs, messages. */
export type LocalText = { kind: 'note'; text: string; tone: 'info' | 'warning' | 'error' } | { kind: 'lines'; lines: readonly string[] };

/** The printed form of transcript blocks (a hidden-lines marker where memory was bounded). */
export function blocksText(blocks: readonly TranscriptBlock[], sid: string | undefined): string {
  let text = '';
  let pendingHidden = 0;
  const hiddenMarker = () => {
    if (pendingHidden > 0) text += `${dim(`… ${pendingHidden} lines hidden — lifeline replay ${sid ?? '<sid>'}`)}\n`;
    pendingHidden = 0;
  };
  for (const block of blocks) {
    if (block.kind === 'output') {
      pendingHidden += block.hidden;
      if (block.lines.length === 0) continue;
      hiddenMarker();
      text += `${block.lines.join('\n')}\n`;
      continue;
    }
    hiddenMarker();
    switch (block.kind) {
      case 'command':
        text += `${bold(`${color(cyan, '$')} ${block.command}`)}\n`;
        break;
      case 'footer': {
        const footer = formatFooter(block.outcome);
        text += `${color(footer.tone === 'ok' ? green : footer.tone === 'failed' ? red : yellow, footer.text)}\n`;
        break;
      }
      case 'note':
        text += `${block.tone === 'warning' ? color(yellow, block.text) : dim(block.text)}\n`;
        break;
    }
  }
  return text;
}

/** The printed form of text that is not part of the session. */
export function localText(item: LocalText): string {
  if (item.kind === 'lines') return `${item.lines.join('\n')}\n`;
  if (item.tone === 'info') return `${dim(item.text)}\n`;
  return `${color(item.tone === 'error' ? red : yellow, item.text)}\n`;
}

/**
 * Prints the transcript as it grows: each call hands back the text of what was added since the
 * last one, ready to be written above the live area. Printed text is forgotten (the terminal has
 * it), so a flood never accumulates here; nothing goes through layout, so printing costs what the
 * text costs.
 */
export class TranscriptPrinter {
  private printedThrough = -1;
  private sid: string | undefined;
  private pending = '';

  /** Takes the text to print now. */
  take(snapshot: TranscriptSnapshot | undefined): string {
    if (snapshot) this.collect(snapshot);
    const text = this.pending;
    this.pending = '';
    return text;
  }

  /** Queues something that is not part of the session. */
  local(item: LocalText): void {
    this.pending += localText(item);
  }

  /**
   * Starts over after the screen was cleared: with `reprint`, everything still in memory is
   * printed again (at the terminal's new width); otherwise only what comes next.
   */
  reset(snapshot: TranscriptSnapshot, reprint: boolean): void {
    this.pending = '';
    this.sid = snapshot.sid;
    this.printedThrough = -1;
    if (!reprint) {
      this.printedThrough = snapshot.blocks.at(-1)?.id ?? -1;
      return;
    }
    if (snapshot.droppedBlocks > 0) {
      this.pending += `${dim(`… earlier runs are not kept in memory — lifeline replay ${snapshot.sid ?? ''}`.trimEnd())}\n`;
    }
    this.collect(snapshot);
  }

  private collect(snapshot: TranscriptSnapshot): void {
    if (snapshot.sid !== this.sid) {
      this.sid = snapshot.sid;
      this.printedThrough = -1;
    }
    const last = snapshot.blocks.at(-1);
    if (!last || last.id <= this.printedThrough) return;
    const first = snapshot.blocks.findIndex((block) => block.id > this.printedThrough);
    this.pending += blocksText(snapshot.blocks.slice(first), snapshot.sid);
    this.printedThrough = last.id;
  }
}
