import fs from 'node:fs';
import net from 'node:net';
import type { Writable } from 'node:stream';
// The module's own binding, not the global: a test's fake timers replace the global, and must not
// hold back what was written.
import { setImmediate, setTimeout } from 'node:timers';
import { isPeerGoneError } from '../peer-gone.js';
import type { Framing } from './framing.js';
import { frameOverhead, type SerializedMessage } from './serialized-message.js';

/** The outcome of {@link FrameWriter.write}. */
export type WriteOutcome = 'written' | 'gone' | 'stalled';

/**
 * The frames written after the first one of an event-loop turn are batched into `writev` calls: a
 * batch goes out when the turn's I/O callbacks (and the promise reactions they set off) are done,
 * or once it holds both this many bytes and {@link flushBatchMessages} frames (or
 * {@link maxBatchBytes}).
 * Small enough that the peer starts on a burst while it is still written; large enough that each
 * write (and each wakeup of the reader it causes) carries several messages.
 */
const flushBatchBytes = 8 * 1024;
/** See {@link flushBatchBytes}. */
const flushBatchMessages = 8;
/** A batch this large goes out whatever the count: large messages gain nothing from batching. */
const maxBatchBytes = 64 * 1024;

/**
 * Frames up to this size are encoded into arenas of this size, which are reused once every write
 * cut from them has completed: memory the process already touched, instead of fresh pages for
 * every frame or every few (on Linux a page fault costs about as much as encoding a 4 KiB frame).
 * Twice a megabyte, so that a frame carrying a megabyte of data plus its envelope still fits one.
 * Larger frames get a buffer of their own.
 */
const arenaBytes = 2 * 1024 * 1024;
/**
 * Drained arenas kept for reuse, shared by every writer of the process: at most 8 MiB. A writer
 * that keeps a few megabytes queued (a gateway replaying a log to a client) has three or four
 * arenas in flight; with fewer kept, it takes fresh ones all the time, which fault their pages in
 * and which the garbage collector has to count and free: a third of the gateway's time in such a
 * replay went to the collector with two kept.
 */
const maxSpareArenas = 4;
/**
 * Spare arenas are let go once no frame has been written from one for this long: a process that
 * wrote a flood and then idles (a session host between commands) gives their memory back instead
 * of holding it, touched, for as long as it lives. A writer taking up again allocates afresh.
 */
export const SPARE_ARENA_IDLE_MS = 2000;

class Arena {
  readonly bytes = Buffer.allocUnsafeSlow(arenaBytes);
  used = 0;
  /** Writes handed to the stream whose callback has not run yet. */
  inFlight = 0;
  /** The writer appending to this arena; none once it moved on to another. */
  owner: FrameWriter | undefined;
  readonly written = (): void => {
    this.inFlight -= 1;
    if (this.inFlight > 0) return;
    if (this.owner === undefined) keepSpare(this);
    else this.owner.releaseIdleArena();
  };
}

const spareArenas: Arena[] = [];

/** Lets the spare arenas go once {@link SPARE_ARENA_IDLE_MS} pass without one being kept. */
let spareRelease: NodeJS.Timeout | undefined;

function keepSpare(arena: Arena): void {
  if (spareArenas.length < maxSpareArenas) spareArenas.push(arena);
  // Unref'd: it never keeps a process alive.
  if (spareRelease === undefined)
    spareRelease = setTimeout(releaseSpares, SPARE_ARENA_IDLE_MS).unref();
  else spareRelease.refresh();
}

function releaseSpares(): void {
  spareArenas.length = 0;
}

/**
 * The output side of a stream link: encodes frames into reused arenas and writes them to the
 * stream, each frame as soon as it is sent (so the stream holds everything sent, whoever ends it).
 * The first frame of an event-loop turn goes out at once, so the peer can start on it (and a lone
 * request waits for nothing); the rest of the turn's frames are corked into `writev` batches until
 * `setImmediate`, so that an answer settled by a promise after its events (a run's completion)
 * joins them in one write and one wakeup of the peer. With `writeAtTurnEnd`, the first frame is
 * corked with the rest: one write per turn. A writer holds an arena only while frames of
 * it are in flight. Arenas are only used for streams that copy what they write (see
 * {@link copiesWrittenBytes}); every other stream gets a buffer of its own per frame.
 */
export class FrameWriter {
  readonly #output: Writable;
  readonly #maxQueuedBytes: number;
  readonly #reusesMemory: boolean;
  readonly #framing: Framing;
  readonly #writeAtTurnEnd: boolean;
  #arena: Arena | undefined;
  #corked = false;
  #corkedBytes = 0;
  #corkedFrames = 0;
  readonly #uncork = (): void => {
    this.#corked = false;
    if (!this.#output.destroyed) this.#output.uncork();
  };

  /**
   * @param maxQueuedBytes the bound of the outbound queue (see {@link write})
   * @param framing how frames are delimited
   * @param writeAtTurnEnd whether the first frame of a turn waits for the turn's end too
   */
  constructor(output: Writable, maxQueuedBytes: number, framing: Framing, writeAtTurnEnd: boolean) {
    this.#output = output;
    this.#framing = framing;
    this.#writeAtTurnEnd = writeAtTurnEnd;
    this.#maxQueuedBytes = maxQueuedBytes;
    this.#reusesMemory = copiesWrittenBytes(output);
  }

  /**
   * Writes one frame. `stalled` (nothing written) when the frame would take the queue over
   * its bound while something is already waiting; `gone` when the stream has ended or fails with a
   * peer-gone error.
   * @throws the stream's synchronous error when it is not a peer-gone error
   */
  write(serialized: SerializedMessage): WriteOutcome {
    const output = this.#output;
    if (output.destroyed || output.writableEnded) return 'gone';
    // Frames are handed to the stream as bytes (not strings), so `writableLength` counts bytes.
    const inArena = this.#reusesMemory ? this.#encodeInArena(serialized) : undefined;
    const frame = inArena ?? serialized.toFrame(this.#framing);
    const queued = output.writableLength;
    if (queued > 0 && queued + frame.length > this.#maxQueuedBytes) return 'stalled';
    if (this.#writeAtTurnEnd && !this.#corked) this.#corkUntilTurnEnd();
    try {
      if (inArena === undefined) {
        output.write(frame);
      } else {
        const arena = this.#arena as Arena;
        arena.used = frame.byteOffset - arena.bytes.byteOffset + frame.length;
        arena.inFlight += 1;
        output.write(frame, arena.written);
      }
    } catch (error) {
      if (isPeerGoneError(error)) return 'gone';
      throw error;
    }
    this.#batch(frame.length);
    return 'written';
  }

  #corkUntilTurnEnd(): void {
    this.#corked = true;
    this.#corkedBytes = 0;
    this.#corkedFrames = 0;
    this.#output.cork();
    setImmediate(this.#uncork);
  }

  #batch(frameBytes: number): void {
    const output = this.#output;
    if (!this.#corked) {
      this.#corkUntilTurnEnd();
      return;
    }
    this.#corkedBytes += frameBytes;
    this.#corkedFrames += 1;
    if (
      (this.#corkedBytes >= flushBatchBytes && this.#corkedFrames >= flushBatchMessages) ||
      this.#corkedBytes >= maxBatchBytes
    ) {
      // A long burst goes out in batches, so the peer can start reading while we still write.
      this.#corkedBytes = 0;
      this.#corkedFrames = 0;
      output.uncork();
      output.cork();
    }
  }

  /** Lets go of the arena once no frame of it is in flight; see {@link Arena}. */
  releaseIdleArena(): void {
    const arena = this.#arena;
    if (arena !== undefined && arena.inFlight === 0) this.#letGo(arena);
  }

  #letGo(arena: Arena): void {
    arena.owner = undefined;
    this.#arena = undefined;
    if (arena.inFlight === 0) keepSpare(arena);
  }

  /**
   * The frame of `serialized`, encoded at the free end of the current arena (not claimed yet), or
   * `undefined` when it does not fit an arena.
   */
  #encodeInArena(serialized: SerializedMessage): Buffer | undefined {
    const { least, most } = serialized.textBytes;
    const roomy = this.#arenaWithRoom(most + frameOverhead);
    if (roomy !== undefined) {
      const { start, end } = serialized.writeFrame(roomy.bytes, roomy.used, this.#framing);
      return roomy.bytes.subarray(start, end);
    }
    // Too long to be sure it fits, short enough that it may: try, rather than measure it first.
    const arena = this.#arenaWithRoom(least + frameOverhead);
    if (arena === undefined) return undefined;
    const bounds = serialized.tryWriteFrame(arena.bytes, arena.used, this.#framing);
    return bounds === undefined ? undefined : arena.bytes.subarray(bounds.start, bounds.end);
  }

  /** An arena with `bytes` free, or `undefined` when no arena is that large. */
  #arenaWithRoom(bytes: number): Arena | undefined {
    if (bytes > arenaBytes) return undefined;
    const current = this.#arena;
    if (current !== undefined) {
      if (current.used + bytes <= arenaBytes) return current;
      this.#letGo(current);
    }
    const arena = spareArenas.pop() ?? new Arena();
    arena.used = 0;
    arena.owner = this;
    this.#arena = arena;
    return arena;
  }
}

/**
 * Whether a write to `output` has copied its bytes by the time it completes, so that the memory
 * may be reused: a socket or pipe (into the kernel) or a file stream does. An in-memory stream (a
 * PassThrough, a duplex pair) hands the very buffer to its reader, who may keep it for as long as
 * it likes after the write completed.
 */
function copiesWrittenBytes(output: Writable): boolean {
  return output instanceof net.Socket || output instanceof fs.WriteStream;
}
