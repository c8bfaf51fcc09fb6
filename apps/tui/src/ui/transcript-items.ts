import type { TranscriptBlock, TranscriptSnapshot } from '../session/transcript-fold.js';
import { formatFooter } from './format.js';

/** One printed piece of the transcript, frozen when it is printed. */
export type TranscriptItem =
  | { key: string; kind: 'command'; command: string }
  | { key: string; kind: 'lines'; lines: string[] }
  | { key: string; kind: 'hidden'; count: number; sid: string | undefined }
  | { key: string; kind: 'footer'; text: string; tone: 'ok' | 'failed' | 'warning' }
  | { key: string; kind: 'note'; text: string; tone: 'info' | 'warning' | 'error' };

/** Turns transcript blocks into printable items (a hidden-lines marker where memory was bounded). */
export function itemsForBlocks(blocks: readonly TranscriptBlock[], sid: string | undefined, keyPrefix: string): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  let pendingHidden = 0;
  for (const block of blocks) {
    const key = `${keyPrefix}${block.id}`;
    if (block.kind === 'output') {
      pendingHidden += block.hidden;
      if (block.lines.length === 0) continue;
      if (pendingHidden > 0) items.push({ key: `${key}h`, kind: 'hidden', count: pendingHidden, sid });
      pendingHidden = 0;
      items.push({ key, kind: 'lines', lines: [...block.lines] });
      continue;
    }
    if (pendingHidden > 0) items.push({ key: `${key}h`, kind: 'hidden', count: pendingHidden, sid });
    pendingHidden = 0;
    switch (block.kind) {
      case 'command':
        items.push({ key, kind: 'command', command: block.command });
        break;
      case 'footer':
        items.push({ key, kind: 'footer', ...formatFooter(block.outcome) });
        break;
      case 'note':
        items.push({ key, kind: 'note', text: block.text, tone: block.tone });
        break;
    }
  }
  return items;
}

/**
 * Feeds `<Static>` with what has not been printed yet. Printed items are forgotten: the terminal
 * keeps them, and `<Static>` is given a fresh list (under a new key) once the old one grows, so a
 * flood of output never accumulates in memory.
 */
export class TranscriptPrinter {
  private printedThrough = -1;
  private sid: string | undefined;
  private generation = 0;
  private items: TranscriptItem[] = [];
  private localCount = 0;

  /** Items to give `<Static>` now, and its key. */
  view(): { key: string; items: TranscriptItem[] } {
    return { key: `static-${this.generation}`, items: this.items };
  }

  /** Adds what the transcript gained since the last call. */
  update(snapshot: TranscriptSnapshot): boolean {
    if (snapshot.sid !== this.sid) {
      this.sid = snapshot.sid;
      this.printedThrough = -1;
    }
    const fresh = snapshot.blocks.filter((block) => block.id > this.printedThrough);
    if (fresh.length === 0) return false;
    this.printedThrough = fresh.at(-1)?.id ?? this.printedThrough;
    this.append(itemsForBlocks(fresh, snapshot.sid, `${snapshot.sid ?? 'none'}-`));
    return true;
  }

  /** Prints something that is not part of the session (help, logs, messages). */
  local(item: { kind: 'note'; text: string; tone: 'info' | 'warning' | 'error' } | { kind: 'lines'; lines: string[] }): void {
    this.localCount += 1;
    this.append([{ ...item, key: `local-${this.localCount}` }]);
  }

  /** Starts over: nothing printed (after the screen was cleared). */
  reset(snapshot: TranscriptSnapshot | undefined, reprint: boolean): void {
    this.generation += 1;
    this.items = [];
    this.sid = snapshot?.sid;
    this.printedThrough = -1;
    if (snapshot && reprint) {
      if (snapshot.droppedBlocks > 0) {
        this.items.push({ key: `dropped-${this.generation}`, kind: 'note', text: `… earlier runs are not kept in memory — lifeline replay ${snapshot.sid ?? ''}`.trimEnd(), tone: 'info' });
      }
      this.update(snapshot);
    } else if (snapshot) {
      this.printedThrough = snapshot.blocks.at(-1)?.id ?? -1;
    }
  }

  private append(items: TranscriptItem[]): void {
    if (this.items.length > 500) {
      this.generation += 1;
      this.items = [];
    }
    this.items = [...this.items, ...items];
  }
}
