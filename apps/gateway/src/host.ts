// A session host (`node dist/host/host.cjs <sid>`), spawned by gateways. Built on its own, so that it
// loads only the host's code: sharing chunks with the gateway, a host also loaded the WebSocket
// server and Node's HTTP modules, for one more process per session that never serves them.
// CommonJS, and its code (`dist/host/host-main.cjs`) required, not imported: Node's loader of ES
// modules, and the ES module Node makes of each built-in (reading every export, which loads fs's
// streams and all of WebCrypto), would stay resident for as long as the session lives.
import { createRequire } from 'node:module';
import { enableCompileCache } from './compile-cache.js';
import type * as HostMain from './host/host-main.js';

enableCompileCache();
const [sid, ...rest] = process.argv.slice(2);
if (sid === undefined || rest.length > 0) {
  process.stderr.write(
    'lifeline session host: expected exactly one argument, the session id (gateways start hosts themselves)\n',
  );
  process.exit(2);
}
// Beside this file in the build (see tsup.config.ts), and compiled after the compile cache is on.
const { runHostProcess } = createRequire(import.meta.url)('./host-main.cjs') as typeof HostMain;
void runHostProcess(sid);
