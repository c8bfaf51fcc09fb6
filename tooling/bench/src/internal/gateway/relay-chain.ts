import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAll } from '../process-tree.js';

// Calls onMessage with each NDJSON message that arrives on `stream`, parsed. Part of both programs.
const readMessagesSource = `
const readMessages = (stream, onMessage) => {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    for (let end = pending.indexOf('\\n'); end !== -1; end = pending.indexOf('\\n')) {
      const message = JSON.parse(pending.slice(0, end));
      pending = pending.slice(end + 1);
      onMessage(message);
    }
  });
};
`;

// The far end: answers each request on a unix socket with a JSON-RPC result.
const answererSource = `${readMessagesSource}
const net = require('node:net');
const server = net.createServer((socket) => {
  readMessages(socket, (request) => {
    socket.write(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: { completed: true } }) + '\\n');
  });
});
server.listen(process.argv[1], () => process.stdout.write('listening\\n'));
`;

// The relay: forwards each message, parsed and serialised again, from stdin to the socket and from
// the socket to stdout.
const relaySource = `${readMessagesSource}
const net = require('node:net');
const socket = net.connect(process.argv[1]);
socket.on('connect', () => {
  readMessages(process.stdin, (message) => socket.write(JSON.stringify(message) + '\\n'));
  readMessages(socket, (message) => process.stdout.write(JSON.stringify(message) + '\\n'));
  process.stdout.write('{"ready":true}\\n');
});
`;

/** Resolves with the next line `child` prints on stdout. */
function nextLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error('the child has no stdout pipe'));
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => {
      stdout.off('data', onData);
      reject(new Error(`no line from pid ${String(child.pid)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1) return;
      clearTimeout(timer);
      stdout.off('data', onData);
      resolve(received.slice(0, end));
    };
    stdout.setEncoding('utf8').on('data', onData);
  });
}

/**
 * The least a request to a session host through a gateway can cost: a JSON-RPC request written to
 * a Node process on stdio, which parses it and writes it again to a second Node process on a unix
 * socket, which answers; the answer comes back the same way. Two processes woken each way and four
 * parses, as for `session.run`, with no shell, no log and no validation: beside the run's latency,
 * what the process design alone takes.
 */
export class RelayChain {
  readonly #answerer: ChildProcess;
  readonly #relay: ChildProcess;
  readonly #directory: string;
  #nextId = 0;

  private constructor(answerer: ChildProcess, relay: ChildProcess, directory: string) {
    this.#answerer = answerer;
    this.#relay = relay;
    this.#directory = directory;
  }

  /** Starts both processes, and waits until the relay is connected. */
  static async start(options: { env: NodeJS.ProcessEnv }): Promise<RelayChain> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-relay-'));
    const socketPath = path.join(directory, 'answerer.sock');
    const answerer = spawn(process.execPath, ['-e', answererSource, socketPath], {
      env: options.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await nextLine(answerer, 10_000);
    const relay = spawn(process.execPath, ['-e', relaySource, socketPath], {
      env: options.env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const chain = new RelayChain(answerer, relay, directory);
    await nextLine(relay, 10_000);
    return chain;
  }

  /** Sends a request the size of a `session.run` and resolves when its answer is back. */
  async run(timeoutMs = 30_000): Promise<void> {
    const id = (this.#nextId += 1);
    const answered = nextLine(this.#relay, timeoutMs);
    this.#relay.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', id, method: 'session.run', params: { sid: 's_01m89e7r0kr5kze5xefg1kckfb', command: 'true', timeoutMs } })}\n`,
    );
    const answer = JSON.parse(await answered) as { id?: number };
    if (answer.id !== id)
      throw new Error(`the relay answered request ${String(answer.id)}, not ${id}`);
  }

  /**
   * SIGKILLs both processes, waits until they are gone, and removes the socket's directory.
   * @throws Error naming the pids that survived
   */
  async dispose(): Promise<void> {
    const pids = [this.#relay.pid, this.#answerer.pid].filter((pid) => pid !== undefined);
    const survivors = await killAll(pids);
    fs.rmSync(this.#directory, { recursive: true, force: true });
    if (survivors.length > 0)
      throw new Error(
        `the relay left processes behind: ${survivors.join(', ')}; kill them by hand`,
      );
  }
}
