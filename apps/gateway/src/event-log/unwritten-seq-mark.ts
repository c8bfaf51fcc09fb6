import fs from 'node:fs';
import path from 'node:path';
import type { EventPayload } from '@lifeline/protocol';

/** The file in a session directory that holds the mark (see {@link UnwrittenSeqMark}). */
export const UNWRITTEN_SEQ_FILE = 'unwritten.seq';

/** Digits of the mark: wide enough for any seq, so a rewrite never grows the file. */
const MARK_WIDTH = 16;

/**
 * The highest seq a host gave an event that it held in memory because the disk was full, and so
 * sent to clients before it was on disk. A host that dies before it writes those events leaves a
 * log that ends before them: the next one to append must not give those seqs to other events,
 * which clients would take for the ones they have, and drop (see {@link lostSeqNotes}).
 *
 * The mark is a file of fixed size, created with the session while the disk has room and
 * rewritten in place when it is full (a rewrite takes no new space). A session made before marks
 * were kept gets one when a host starts with room for it; until then nothing is known of what its
 * host holds.
 */
export class UnwrittenSeqMark {
  readonly #fd: number | undefined;

  private constructor(fd: number | undefined) {
    this.#fd = fd;
  }

  /**
   * Creates the mark of a new session's log in `dir`, saying nothing is held.
   * @throws the write's error (`ENOSPC`: no session can be made there now)
   */
  static create(dir: string): void {
    fs.writeFileSync(path.join(dir, UNWRITTEN_SEQ_FILE), format(-1), {
      encoding: 'latin1',
      flag: 'wx',
      mode: 0o600,
    });
  }

  /** Opens (or creates) the mark of the log in `dir`. */
  static open(dir: string): UnwrittenSeqMark {
    const file = path.join(dir, UNWRITTEN_SEQ_FILE);
    try {
      const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
      if (fs.fstatSync(fd).size < MARK_WIDTH) fs.writeSync(fd, format(-1), 0, 'latin1');
      return new UnwrittenSeqMark(fd);
    } catch {
      return new UnwrittenSeqMark(undefined);
    }
  }

  /**
   * The mark of the log in `dir`: -1 when it has none, or none that can be read (then nothing
   * was held, or nothing is known of it).
   */
  static read(dir: string): number {
    try {
      const text = fs.readFileSync(path.join(dir, UNWRITTEN_SEQ_FILE), 'latin1');
      const seq = Number.parseInt(text, 10);
      return Number.isSafeInteger(seq) ? seq : -1;
    } catch {
      return -1;
    }
  }

  /** An event with this seq is held in memory, unwritten. A failed write is not reported. */
  held(seq: number): void {
    if (this.#fd === undefined) return;
    try {
      fs.writeSync(this.#fd, format(seq), 0, 'latin1');
    } catch {
      // The log says what it could not write when it can; the mark is only a safeguard.
    }
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
  }
}

function format(seq: number): string {
  return `${seq}`.padStart(MARK_WIDTH - 1, ' ') + '\n';
}

/**
 * The events that take up the seqs after `lastSeq` up to `mark` (see {@link UnwrittenSeqMark}),
 * which a host that died held in memory: the first says how many were lost; the others are notes
 * without text, which show nothing. Empty when the log has every seq up to the mark.
 */
export function lostSeqNotes(lastSeq: number, mark: number): EventPayload[] {
  const lost = mark - lastSeq;
  if (lost <= 0) return [];
  const first: EventPayload = {
    type: 'note',
    text: `${lost === 1 ? 'an event' : `${lost} events`} of this session were lost: its session host died while the disk was full, before it could write what it held in memory`,
  };
  return [
    first,
    ...Array.from({ length: lost - 1 }, (): EventPayload => ({ type: 'note', text: '' })),
  ];
}
