import { spawn } from 'node:child_process';
import { JSONRPCClient, JSONRPCServer, JSONRPCServerAndClient } from 'json-rpc-2.0';
import { readLines } from './ndjson-lines.js';
import { makePayload, methods, type EchoParams } from './payload.js';
import {
  checkEcho,
  exited,
  fixtureArguments,
  NotificationCounter,
  type RpcSubject,
} from './subject.js';

/** json-rpc-2.0's JSONRPCServerAndClient over the child's stdio, framed as NDJSON by hand. */
export const jsonRpc2Subject: RpcSubject = {
  name: 'json-rpc-2.0',
  exitDetection: "child 'exit' → rejectAllPendingRequests()",
  async connect() {
    const child = spawn(process.execPath, fixtureArguments('rpc-json-rpc-2-server.ts'), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => undefined);
    const peer = new JSONRPCServerAndClient(
      new JSONRPCServer(),
      new JSONRPCClient((message) => {
        child.stdin.write(`${JSON.stringify(message)}\n`);
      }),
    );
    const counter = new NotificationCounter();
    peer.addMethod(methods.item, counter.hit);
    child.once('exit', () => peer.rejectAllPendingRequests('the server process exited'));
    readLines(child.stdout, (line) => {
      void peer.receiveAndSend(JSON.parse(line));
    });
    const echo = async (params: EchoParams) =>
      checkEcho(params, await peer.request(methods.echo, params));
    await echo(makePayload(64));
    return {
      echo,
      async notifications(count, bytes) {
        const arrived = counter.expect(count);
        await peer.request(methods.notifications, { count, bytes });
        await arrived;
      },
      async hold(count) {
        const calls = Array.from({ length: count }, () => peer.request(methods.hold, {}));
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
