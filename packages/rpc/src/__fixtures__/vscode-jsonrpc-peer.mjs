// A vscode-jsonrpc peer over stdio (Content-Length framing), for interoperability tests. As a
// server it serves echo, fail (an error with data), wait (until cancelled: it then tells the other
// side with a `waitCancelled` notification) and count (three `$/progress` values for the request's
// partialResultToken). Asked with `ask`, it turns round and calls the other side itself, with
// progress or cancellation, and answers with what it saw.
import vscodeJsonrpc from 'vscode-jsonrpc/node';

const {
  CancellationTokenSource,
  createMessageConnection,
  ProgressType,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} = vscodeJsonrpc;

const connection = createMessageConnection(
  new StreamMessageReader(process.stdin),
  new StreamMessageWriter(process.stdout),
);
const progressType = new ProgressType();

connection.onRequest('echo', (params) => params);
connection.onRequest('fail', () => {
  throw new ResponseError(-32042, 'the fixture refuses', { hint: 'by design' });
});
connection.onRequest('wait', (_params, token) => {
  return new Promise((resolve) => {
    token.onCancellationRequested(() => {
      void connection.sendNotification('waitCancelled', {});
      resolve('stopped');
    });
  });
});
connection.onRequest('count', async (params) => {
  for (const step of [1, 2, 3])
    await connection.sendProgress(progressType, params.partialResultToken, { step });
  return 'counted';
});
connection.onNotification('note', (params) => {
  void connection.sendNotification('noted', params);
});
connection.onRequest('ask', async ({ method, params, cancelOn }) => {
  const source = new CancellationTokenSource();
  if (cancelOn !== undefined) {
    const once = connection.onNotification(cancelOn, () => {
      once.dispose();
      source.cancel();
    });
  }
  const progress = [];
  const token = 'progress-1';
  const listening = connection.onProgress(progressType, token, (value) => progress.push(value));
  try {
    const result = await connection.sendRequest(
      method,
      { ...params, partialResultToken: token },
      source.token,
    );
    return { result, progress };
  } catch (error) {
    return { error: { code: error.code, message: error.message, data: error.data }, progress };
  } finally {
    listening.dispose();
  }
});
connection.onClose(() => process.exit(0));
connection.listen();
