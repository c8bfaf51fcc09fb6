// Imports the module named by argv[2] and prints, as JSON, every module URL that import resolved.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
register('./resolve-spy.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
const urls = [];
const done = new Promise((resolve) => {
  port1.on('message', (message) => (message.done ? resolve() : urls.push(message.url)));
});
await import(process.argv[2]);
port1.postMessage('flush');
await done;
port1.close();
process.stdout.write(JSON.stringify(urls));
