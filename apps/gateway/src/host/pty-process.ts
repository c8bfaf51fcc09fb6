import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import os from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type * as NodePtyModule from '@lydell/node-pty';
import { PtyInput } from './pty-input.js';

type NodePty = typeof NodePtyModule;
let nodePty: NodePty | undefined;

/**
 * node-pty, loaded on first use: only session hosts spawn PTYs, and the gateway (which shares
 * this bundle) starts faster without loading the native addon.
 */
function loadNodePty(): NodePty {
  nodePty ??= createRequire(import.meta.url)('@lydell/node-pty') as NodePty;
  return nodePty;
}

/** What the host needs from a pseudo-terminal running the shell. */
export interface PtyProcess {
  readonly pid: number;
  write(data: string): void;
  /** Whether keys written wait to be taken by the program, or were a moment ago (see PtyInput). */
  readonly typing: boolean;
  /** Whether keys written wait to be taken by the kernel (see PtyInput). */
  readonly keysWaiting: boolean;
  /** Whether keys taken a moment ago are not answered yet by their echo (see PtyInput). */
  readonly keysUnanswered: boolean;
  resize(cols: number, rows: number): void;
  /** Stops reading the PTY: the program blocks once the kernel buffer is full. */
  pause(): void;
  resume(): void;
  kill(signal?: NodeJS.Signals): void;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void): void;
}

/** How to start the shell in a PTY. */
export interface PtySpawnOptions {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(os.constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** What of node-pty's Unix terminal is used beyond its typed interface. */
interface UnixTerminalParts {
  /** The terminal's device (`/dev/pts/N`): the program's end. */
  readonly ptsName: string;
  /** The descriptor of the PTY's master end, which node-pty reads. */
  readonly fd: number;
  /** The stream that reads the master end; node-pty destroys it once the program has exited. */
  readonly _socket: Socket;
}

/** The part of a Readable's private state that `setEncoding` sets. */
interface DecodingState {
  decoder: unknown;
  encoding: string | null;
}

/** Most bytes read at once when the master end is drained. */
const DRAIN_CHUNK_BYTES = 64 * 1024;

/**
 * Spawns a program in a new PTY with node-pty. Everything the program wrote before it exited is
 * delivered before `onExit`:
 * - The terminal's device stays open on this side until then. When the program's end of a Linux
 *   PTY closes, reading the master can report the end of the file (or EIO) while the program's
 *   last writes are still on their way through the kernel, and node-pty then stops reading: the
 *   shell's last lines were lost (the prompt and `exit` after `exit`, once in a hundred on a
 *   loaded machine). Held open, the master reads on until node-pty sees the program gone.
 * - node-pty then destroys its stream (200 ms after the exit), with what it has not delivered: a
 *   paused PTY's (flow control) last output. What the stream and the master still hold is read
 *   out first.
 * What is written waits in order for as long as the program does not read it, without holding up
 * this process (see {@link PtyInput}).
 */
export function spawnPty(options: PtySpawnOptions): PtyProcess {
  const child = loadNodePty().spawn(options.file, options.args, {
    name: options.env.TERM ?? 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env,
    // A UTF-8 terminal: node-pty turns on the terminal's IUTF8 mode (Backspace in a line the
    // terminal puts together erases a whole character) only for a stream it decodes as UTF-8.
    encoding: 'utf8',
  });
  const terminal = child as unknown as UnixTerminalParts;
  // Bytes, decoded here instead: what is drained at the end continues the same decoding. (Node's
  // streams have no call that undoes `setEncoding`; its state's setters do, in Node 20 to 24.)
  const readableState = (terminal._socket as unknown as { _readableState: DecodingState })
    ._readableState;
  readableState.decoder = null;
  readableState.encoding = null;
  const decoder = new StringDecoder('utf8');
  const dataListeners: ((data: string) => void)[] = [];
  const deliver = (text: string) => {
    if (text.length > 0) for (const listener of dataListeners) listener(text);
  };
  // Keys go to the master end directly, never through node-pty's write (see PtyInput).
  const input = new PtyInput((bytes) => fs.writeSync(terminal.fd, bytes));
  // Typed as a string: its stream no longer decodes, so it is a Buffer.
  child.onData((bytes) => {
    input.printed(bytes.length);
    deliver(decoder.write(bytes));
  });
  let deviceFd = openDevice(terminal.ptsName);
  const closeDevice = () => {
    if (deviceFd === undefined) return;
    fs.closeSync(deviceFd);
    deviceFd = undefined;
  };
  const socket = terminal._socket;
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (error?: Error) => {
    if (!socket.destroyed) {
      // What the stream took in while paused comes out as `data`; then what the master holds.
      while (socket.read() !== null);
      deliver(decoder.write(drain(terminal.fd)));
    }
    closeDevice();
    return destroy(error);
  };
  socket.once('close', closeDevice);
  child.onExit(() => {
    input.close();
  });
  return {
    pid: child.pid,
    write: (data) => {
      input.write(data);
    },
    get typing() {
      return input.typing;
    },
    get keysWaiting() {
      return input.waitingBytes > 0;
    },
    get keysUnanswered() {
      return input.unanswered;
    },
    resize: (cols, rows) => {
      child.resize(cols, rows);
    },
    pause: () => {
      child.pause();
      input.pause();
    },
    resume: () => {
      child.resume();
      input.resume();
    },
    kill: (signal) => {
      child.kill(signal);
    },
    onData: (listener) => {
      dataListeners.push(listener);
    },
    onExit: (listener) => {
      child.onExit(({ exitCode, signal }) => {
        deliver(decoder.end());
        const name = signal ? (signalNames.get(signal) ?? null) : null;
        listener({ code: name ? null : exitCode, signal: name });
      });
    },
  };
}

/**
 * Opens the terminal's device on this side, never as this process's controlling terminal;
 * `undefined` when it cannot be opened (the shell still runs; only the guard is missing).
 */
function openDevice(ptsName: string): number | undefined {
  try {
    return fs.openSync(ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  } catch {
    return undefined;
  }
}

/** Reads what the (non-blocking) master end holds now, until it has no more. */
function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(DRAIN_CHUNK_BYTES);
  for (;;) {
    let read: number;
    try {
      read = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch {
      // EAGAIN: nothing more now; EIO: nothing more ever.
      break;
    }
    if (read === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  return Buffer.concat(chunks);
}
