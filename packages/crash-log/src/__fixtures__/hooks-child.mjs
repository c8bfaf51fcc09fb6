// A process with crash-log hooks installed: node hooks-child.mjs <lib> <log> <mode> [graceMs]
// Modes: hung-cleanup, quick-cleanup, uncaught, rejection, drain, quit.
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

// Something that keeps the event loop alive, like a server would.
const keepAlive = setInterval(() => {}, 60_000);

process.stdout.write('ready\n');
if (mode === 'uncaught')
  setTimeout(() => {
    throw new Error('boom\nsecond line is not recorded');
  }, 10);
if (mode === 'rejection') setTimeout(() => void Promise.reject(new TypeError('nope')), 10);
if (mode === 'drain') clearInterval(keepAlive);
if (mode === 'quit') setTimeout(() => void hooks.shutdown('quit', 3), 10);
