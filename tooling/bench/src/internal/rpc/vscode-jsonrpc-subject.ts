import { spawn } from 'node:child_process';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { makePayload, methods, type EchoParams, type NotificationsParams } from './payload.js';
import {
  checkEcho,
  exited,
  fixtureArguments,
  NotificationCounter,
  type RpcSubject,
} from './subject.js';

/** vscode-jsonrpc's message connection over the child's stdio, with its Content-Length framing. */
export const vscodeJsonrpcSubject: RpcSubject = {
  name: 'vscode-jsonrpc',
  exitDetection: 'connection.onClose → dispose() (rejects pending requests)',
  async connect() {
    const child = spawn(process.execPath, fixtureArguments('rpc-vscode-jsonrpc-server.ts'), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const counter = new NotificationCounter();
    connection.onNotification(methods.item, counter.hit);
    // Without this, vscode-jsonrpc leaves pending requests waiting when the reader closes.
    connection.onClose(() => connection.dispose());
    connection.onError(() => undefined);
    connection.listen();
    const echo = async (params: EchoParams) =>
      checkEcho(params, await connection.sendRequest(methods.echo, params));
    await echo(makePayload(64));
    return {
      echo,
      async notifications(count, bytes) {
        const arrived = counter.expect(count);
        const params: NotificationsParams = { count, bytes };
        await connection.sendRequest(methods.notifications, params);
        await arrived;
      },
      async hold(count) {
        const calls = Array.from({ length: count }, () => connection.sendRequest(methods.hold, {}));
        await echo(makePayload(64));
        return calls;
      },
      kill() {
        child.kill('SIGKILL');
      },
      async dispose() {
        child.kill('SIGKILL');
        await exited(child);
        connection.dispose();
      },
    };
  },
};
