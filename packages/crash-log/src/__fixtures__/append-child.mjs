// Appends `count` breadcrumbs as fast as it can: node append-child.mjs <lib> <log> <source> <count> [maxBytes]
import { pathToFileURL } from 'node:url';

const [libraryPath, logPath, source, count, maxBytes] = process.argv.slice(2);
const { createCrashLogger } = await import(pathToFileURL(libraryPath).href);
const logger = createCrashLogger({
  source,
  path: logPath,
  enabled: true,
  ...(maxBytes ? { maxBytes: Number(maxBytes) } : {}),
});
// Lines of varied length, with spaces, quotes and a multi-byte character to exercise escaping.
for (let index = 0; index < Number(count); index += 1) {
  logger.breadcrumb('tick', {
    index,
    note: `from ${source} "${'é'.repeat(index % 7)}"`,
    pad: 'x'.repeat((index * 37) % 300),
  });
}
if (logger.firstFailure) {
  console.error(String(logger.firstFailure));
  process.exit(1);
}
