import { spawn } from 'node:child_process';
import { readLines } from './ndjson-lines.js';
import { makePayload, methods, type EchoParams } from './payload.js';
import {
  checkEcho,
  exited,
  fixtureArguments,
  NotificationCounter,
  type RpcSubject,
} from './subject.js';

interface Inbound {
  id?: number;
  method?: string;
  result?: unknown;
}

/**
 * The floor of what JSON-RPC over NDJSON costs: a map of pending ids, JSON.stringify + write out,
 * split + JSON.parse in, and nothing else (no validation, no timeouts, no cancellation).
 */
export const ndjsonBaselineSubject: RpcSubject = {
  name: 'hand-rolled NDJSON',
  exitDetection: "child 'exit' → reject every pending call",
  async connect() {
    const child = spawn(process.execPath, fixtureArguments('rpc-ndjson-baseline-server.ts'), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => undefined);
    const pending = new Map<
      number,
      { resolve: (value: unknown) => void; reject: (error: Error) => void }
    >();
    const counter = new NotificationCounter();
    let nextId = 0;
    child.once('exit', () => {
      const error = new Error('the server process exited');
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
    readLines(child.stdout, (line) => {
      const message = JSON.parse(line) as Inbound;
      if (message.id === undefined) {
        if (message.method === methods.item) counter.hit();
        return;
      }
      const call = pending.get(message.id);
      if (call === undefined) return;
      pending.delete(message.id);
      call.resolve(message.result);
    });
    const request = (method: string, params: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        nextId += 1;
        pending.set(nextId, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: nextId, method, params })}\n`);
      });
    const echo = async (params: EchoParams) =>
      checkEcho(params, await request(methods.echo, params));
    await echo(makePayload(64));
    return {
      echo,
      async notifications(count, bytes) {
        const arrived = counter.expect(count);
        await request(methods.notifications, { count, bytes });
        await arrived;
      },
      async hold(count) {
        const calls = Array.from({ length: count }, () => request(methods.hold, {}));
        await echo(makePayload(64));
        return calls;
      },
      kill() {
        child.kill('SIGKILL');
      },
      async dispose() {
        child.kill('SIGKILL');
        await exited(child);
      },
    };
  },
};
