// A process with crash-log hooks installed: node hooks-child.mjs <lib> <log> <mode> [graceMs]
// Modes: hung-cleanup, quick-cleanup, late-cleanup, uncaught, rejection, drain, exit-on-drain,
// exit-after-drain, drain-twice, quit.
import { pathToFileURL } from 'node:url';

const [libraryPath, logPath, mode, graceMs = '400'] = process.argv.slice(2);
const { CleanupRegistry, createCrashLogger, installProcessHooks } = await import(
  pathToFileURL(libraryPath).href
);
const logger = createCrashLogger({ source: 'host:s_01hzy3k7m2q9v8c4x6t1b5n0rd', path: logPath });
const cleanups = new CleanupRegistry();
const hooks = installProcessHooks({ logger, cleanups, graceMs: Number(graceMs) });

cleanups.add('note-cleanup-ran', () => logger.breadcrumb('cleanup.ran', { name: 'note' }));
if (mode === 'hung-cleanup') cleanups.add('hung-socket-close', () => new Promise(() => {}));
if (mode === 'quick-cleanup') {
  cleanups.add('slow-but-finite', () => new Promise((resolve) => setTimeout(resolve, 50)));
}
if (mode === 'late-cleanup') {
  // Stopping the children registers one more cleanup while the shutdown runs; it fails later.
  cleanups.add('stop-children', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    cleanups.add('flush-child', async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      logger.breadcrumb('cleanup.ran', { name: 'flush-child' });
      throw new Error('flush failed');
    });
  });
}

// Something that keeps the event loop alive, like a server would.
const keepAlive = setInterval(() => {}, 60_000);

process.stdout.write('ready\n');
if (mode === 'uncaught')
  setTimeout(() => {
    throw new Error('boom\nsecond line is not recorded');
  }, 10);
if (mode === 'rejection') setTimeout(() => void Promise.reject(new TypeError('nope')), 10);
if (mode === 'drain') clearInterval(keepAlive);
if (mode === 'exit-on-drain') {
  clearInterval(keepAlive);
  // Exits from the drain itself, before the loop could run anything else.
  process.once('beforeExit', () => Promise.resolve().then(() => process.exit(3)));
}
if (mode === 'exit-after-drain' || mode === 'drain-twice') {
  clearInterval(keepAlive);
  // Flush once when the loop first drains: a flush that fails exits with an error code, one that
  // succeeds lets the loop drain again.
  const flushFails = mode === 'exit-after-drain';
  process.once('beforeExit', () =>
    setTimeout(() => {
      if (flushFails) process.exit(3);
    }, 20),
  );
}
if (mode === 'quit') setTimeout(() => void hooks.shutdown('quit', 3), 10);
