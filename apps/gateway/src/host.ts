// A session host (`node dist/host/host.js <sid>`), spawned by gateways. Built on its own, so that it
// loads only the host's code: sharing chunks with the gateway, a host also loaded the WebSocket
// server and Node's HTTP modules, for one more process per session that never serves them.
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
const [sid, ...rest] = process.argv.slice(2);
if (sid === undefined || rest.length > 0) {
  process.stderr.write(
    'lifeline session host: expected exactly one argument, the session id (gateways start hosts themselves)\n',
  );
  process.exit(2);
}
const { runHostProcess } = await import('./host/host-main.js');
await runHostProcess(sid);
